"""The bulletins app imports downward: no module imports another that imports it back (function-level
imports included), and the renderers read only the dataclasses the query modules build."""

from __future__ import annotations

import ast
from pathlib import Path

import luoshi.bulletins

APP = Path(luoshi.bulletins.__file__).parent
# What a renderer may import from luoshi: the dataclasses, plain text helpers, its fellow renderers, lib.
RENDERER_MAY_IMPORT = (
    "luoshi.bulletins.data",
    "luoshi.bulletins.errors",
    "luoshi.bulletins.narrative",
    "luoshi.bulletins.periods",
    "luoshi.bulletins.renderers.",
    "luoshi.lib.",
)


def _module(path: Path) -> str:
    parts = path.relative_to(APP.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every luoshi module the file imports, at the top or inside a function ("from a import b": a.b if a
    module, else a)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("luoshi"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if _exists(sub) else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("luoshi"))
    return found


def _exists(module: str) -> bool:
    base = APP.parent.parent.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _app_modules() -> dict[str, set[str]]:
    return {
        _module(p): _imports(p)
        for p in APP.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts
    }


def test_no_module_of_the_app_imports_one_that_imports_it_back() -> None:
    graph = _app_modules()

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt in graph and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cycles = sorted(m for m in graph if m in reaches(m))
    assert cycles == []


def test_the_renderers_import_only_the_dataclasses_and_plain_helpers() -> None:
    renderers = {
        m: found for m, found in _app_modules().items() if m.startswith("luoshi.bulletins.renderers.")
    }
    assert (
        "luoshi.bulletins.renderers.ledger_xlsx" in renderers
        and "luoshi.bulletins.renderers.urging" in renderers
    )
    wrong = {
        m: sorted(i for i in found if not i.startswith(RENDERER_MAY_IMPORT)) for m, found in renderers.items()
    }
    assert {m: w for m, w in wrong.items() if w} == {}
