"""The development corpus in tests (a pytest plugin, loaded by the root conftest.py).

Tests that measure on the larger corpus take the ``corpus`` fixture, or are parametrized over
``corpus_params(...)``; both run only when LUOSHI_CORPUS_DIR points at a corpus folder (``texts/``,
``gold/``) and are reported as SKIPPED with :data:`SKIP_REASON` otherwise. Such tests carry the
``corpus`` marker, so ``pytest -m corpus`` runs just them. A LUOSHI_CORPUS_DIR that does not hold a
corpus stops the run: a typo must not quietly skip the measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from luoshi.testing.paths import CORPUS_ENV, corpus_dir

SKIP_REASON = f"{CORPUS_ENV} not set: corpus measurements skipped"


@dataclass(frozen=True)
class Corpus:
    root: Path

    @property
    def texts(self) -> Path:
        return self.root / "texts"

    @property
    def gold(self) -> Path:
        return self.root / "gold"

    def path(self, name: str) -> Path:
        """A corpus file by name: gold files (gold_*, src_stripped_*) are under gold/, the rest under texts/."""
        folder = self.gold if name.startswith(("gold_", "src_stripped_")) else self.texts
        path = folder / name
        if not path.is_file():
            pytest.fail(f"{CORPUS_ENV}={self.root}: {name} is missing")
        return path

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def files(self, *patterns: str) -> list[Path]:
        """Files matching the patterns, relative to the corpus root ("texts/*.txt", "gold/*.txt")."""
        return [p for pattern in patterns for p in sorted(self.root.glob(pattern))]


def find_corpus() -> Corpus | None:
    root = corpus_dir()
    if root is None:
        return None
    if not (root / "texts").is_dir() or not (root / "gold").is_dir():
        raise pytest.UsageError(f"{CORPUS_ENV}={root} is not a corpus folder (it needs texts/ and gold/)")
    return Corpus(root)


def corpus_params(*patterns: str) -> list[object]:
    """Parameters for ``@pytest.mark.parametrize("path", corpus_params("texts/*.txt"))``: one per corpus
    file, or a single skipped parameter when no corpus is configured."""
    found = find_corpus()
    if found is None:
        return [
            pytest.param(None, id="corpus", marks=[pytest.mark.corpus, pytest.mark.skip(reason=SKIP_REASON)])
        ]
    return [pytest.param(p, id=p.name, marks=pytest.mark.corpus) for p in found.files(*patterns)]


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    found = find_corpus()
    if found is None:
        pytest.skip(SKIP_REASON)
    return found


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"corpus: measures on the development corpus (needs {CORPUS_ENV})")
    find_corpus()  # refuse a wrong LUOSHI_CORPUS_DIR before collecting


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "corpus" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)


def pytest_report_header() -> str:
    found = find_corpus()
    return f"luoshi corpus: {found.root}" if found else f"luoshi corpus: {SKIP_REASON}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = skipped = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            # stats also hold deselected items and warnings: only test reports count.
            if not isinstance(report, pytest.TestReport) or "corpus" not in report.keywords:
                continue
            if report.when == "call":
                ran += 1
            elif report.skipped:
                skipped += 1
    if ran or skipped:
        why = "" if ran else f" ({SKIP_REASON})"
        terminalreporter.write_line(f"luoshi corpus tests: {ran} ran, {skipped} skipped{why}")
