"""The dependency rule (docs/architecture.md "Layers"), checked on every import in the product code.

The apps stand in one order, bottom first. A module may import its own app and the apps below it,
never one above: function-level imports count too, and so does a module named in a string to
``importlib``. Tests may import anything, except another app's ``tests`` package (the one test world
is ``luoshi.testing``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # luoshi/
DOCS = PACKAGE.parent / "docs" / "architecture.md"

# Bottom first. Each line of the table in docs/architecture.md "Layers" names these, in this order.
LAYERS: list[tuple[str, ...]] = [
    ("conf", "lib", "catalogs"),  # the settings registry; plain Python helpers, no models
    ("cli_commands", "core"),  # the commands' registry; start-up checks, the base page and command
    ("cli",),  # the `luoshi` command
    ("units",),
    ("accounts",),  # roles and the unit of a user
    ("audit",),
    ("people",),  # the office's administration of accounts and units (services, login protection)
    ("notifications",),
    ("documents",),
    ("decomposition",),
    ("tasks",),
    ("reports",),
    ("supervision",),
    ("ratings",),
    ("bulletins",),
    ("instructions",),
    ("evaluation",),
    ("accountability",),
    ("review",),
    ("api", "web"),  # entry points: services and access of the stages
    ("site", "wsgi"),  # the chain put together: home, init, serve (the WSGI application), tick, demo, region
    ("testing",),  # test helpers
    ("settings", "test_settings", "urls", "__main__"),  # the project's wiring
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _top(path: Path) -> str:
    """The app (or root module) a file belongs to: ``luoshi/<top>/...`` or ``luoshi/<top>.py``."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _product_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if not {"tests", "migrations"} & set(p.relative_to(PACKAGE).parts)
    )


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every ``luoshi.*`` import, and every ``luoshi.*`` string given to importlib."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "luoshi":
                found += [(node.lineno, f"luoshi.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return [(line, m) for line, m in found if m.startswith("luoshi.")]


def _upward_imports() -> list[str]:
    wrong = []
    for path in _product_files():
        here = _top(path)
        for line, module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            there = module.split(".")[1]
            if there in RANK and RANK[there] > RANK[here]:
                wrong.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} ({here}) imports {module} ({there}, above it)"
                )
    return wrong


def test_every_app_and_root_module_has_a_layer() -> None:
    tops = {_top(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert tops - set(RANK) == set(), "add the new app to LAYERS and to docs/architecture.md"
    assert set(RANK) - tops == set(), "a layer names an app that is gone"


def test_product_code_imports_only_downward() -> None:
    assert _upward_imports() == []


def test_no_app_level_cycle() -> None:
    """Follows from the rule, checked on its own terms: the graph of app imports has no cycle."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in _product_files():
        here = _top(path)
        for _line, module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            there = module.split(".")[1]
            if there != here and there in RANK:
                edges[here].add(there)
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def cycle_from(app: str, path: list[str]) -> list[str] | None:
        state[app] = 1
        for nxt in sorted(edges[app]):
            if state.get(nxt) == 1:
                loop = [*path, app]
                return [*loop[loop.index(nxt) :], nxt]
            if nxt not in state and (found := cycle_from(nxt, [*path, app])):
                return found
        state[app] = 2
        return None

    for app in sorted(edges):
        if app not in state:
            assert cycle_from(app, []) is None


# The entry points import services and access, never the models of a stage they do not serve: an API
# module reads the models of the stages it serves and of the foundation; another stage's objects come
# through that stage's access (get_<kind>_for) and services.
FOUNDATION = {"units", "accounts"}
API_SERVES: dict[str, set[str]] = {
    "bulletins": {"bulletins"},
    "chain": {"tasks"},
    "documents": {"documents"},
    "followup": {"evaluation", "accountability"},
    "instructions": {"instructions", "evaluation"},
    "plans": {"decomposition"},
    "ratings": {"ratings"},
    "reports": {"reports"},
    "review": {"review"},
    "supervision": {"supervision"},
}


def _annotation_only_lines(tree: ast.AST) -> set[int]:
    """Lines under ``if TYPE_CHECKING:``: imports for annotations, which read no table."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        ):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _models_of_other_stages(
    files: list[Path], serves: dict[str, set[str]], key: Callable[[Path], str]
) -> list[str]:
    """Imports of another stage's models; a page may still name them in annotations (``TYPE_CHECKING``)."""
    wrong = []
    for path in files:
        allowed = FOUNDATION | serves.get(key(path), set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for_annotations = _annotation_only_lines(tree)
        for line, module in _imported(tree):
            parts = module.split(".")
            if line in for_annotations:
                continue
            if len(parts) >= 3 and parts[2] == "models" and parts[1] not in allowed:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return wrong


def test_the_api_reads_only_the_models_of_the_stages_it_serves() -> None:
    files = [p for p in _product_files() if _top(p) == "api" and "migrations" not in p.parts]
    assert set(API_SERVES) == {p.stem for p in (PACKAGE / "api" / "endpoints").glob("*.py")} - {"__init__"}
    assert (
        _models_of_other_stages(files, API_SERVES, lambda p: p.stem if p.parent.name == "endpoints" else "")
        == []
    )


# The pages of a stage live in web/<stage>/ and read the models of that stage and of the foundation.
WEB_SERVES: dict[str, set[str]] = {
    "documents": {"documents"},
    "plan": {"decomposition"},
    "tasks": {"tasks"},
    "reports": {"reports"},
    "supervision": {"supervision"},
    "ratings": {"ratings"},
    "dashboard": {"ratings"},
    "bulletins": {"bulletins"},
    "instructions": {"instructions"},
    "evaluation": {"evaluation"},
    "accountability": {"accountability"},
    "review": {"review"},
    "people": {"people"},
    "audit": {"audit"},
    "office": set(),  # the office's home: what every stage asks of the office today
    "my": set(),  # the unit's home and its inbox: what every stage asks of the unit
    "common": set(),
}
# Reads of another stage's models that are still to move behind that stage's access and services (each
# line is a web/<stage> module and the stages whose models it still imports). The list may only shrink.
WEB_STILL_READS: dict[str, set[str]] = {
    "luoshi/web/my/pages.py": {"ratings", "reports", "supervision", "tasks"},
    "luoshi/web/office/pages.py": {"reports", "supervision", "tasks"},
    "luoshi/web/tasks/followup.py": {"evaluation", "instructions", "reports"},
    "luoshi/web/tasks/pages.py": {"accountability", "evaluation", "ratings", "supervision"},
}


def _web_stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE / "web").parts
    return parts[0] if len(parts) > 1 and parts[0] in WEB_SERVES else ""


def test_every_web_stage_package_is_known() -> None:
    packages = {p.parent.name for p in (PACKAGE / "web").glob("*/__init__.py")} - {"templatetags", "tests"}
    assert packages - set(WEB_SERVES) == set(), "add the new web/<stage> package to WEB_SERVES"


def test_the_pages_read_only_the_models_of_their_stage() -> None:
    files = [p for p in _product_files() if _top(p) == "web" and _web_stage(p)]
    found: dict[str, set[str]] = defaultdict(set)
    for wrong in _models_of_other_stages(files, WEB_SERVES, _web_stage):
        where, module = wrong.split(" imports ")
        found[where.split(":")[0]].add(module.split(".")[1])
    assert dict(found) == WEB_STILL_READS


def test_tests_do_not_import_another_apps_tests() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("tests/**/*.py")):
        here = _top(path)
        for line, module in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if "tests" in parts and parts[1] != here:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert wrong == []


def test_the_rule_sees_what_it_checks() -> None:
    """The checker finds function-level imports, ``from luoshi import x`` and importlib strings."""
    tree = ast.parse(
        "def f():\n    from luoshi.web.views import x\n"
        "from luoshi import api\nimport importlib\nimportlib.import_module('luoshi.review.services')\n"
    )
    assert sorted(m for _line, m in _imported(tree)) == [
        "luoshi.api",
        "luoshi.review.services",
        "luoshi.web.views",
    ]


def test_docs_list_the_layers_in_order() -> None:
    """docs/architecture.md has the same table: one row per layer, bottom first, naming its apps."""
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("<!-- layers -->") : text.index("<!-- /layers -->")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(LAYERS)
    for row, names in zip(rows, LAYERS, strict=True):
        assert all(f"`{name}`" in row for name in names), (row, names)
