"""Where tests and benches find their documents: everything `make test` needs is in the repository.

- the reference decision: the copy packaged for the demo (``luoshi/site/demo_data/seed_decision.txt``);
- small documents written for the tests, one per layout the readers handle: ``luoshi/testing/documents/``
  (see its README);
- the larger development corpus, only when ``LUOSHI_CORPUS_DIR`` points at one (tests that measure on it
  use the ``corpus`` fixture of :mod:`luoshi.testing.corpus` and are skipped otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "luoshi" / "site" / "demo_data" / "seed_decision.txt"
DOCUMENTS = Path(__file__).resolve().with_name("documents")
CORPUS_ENV = "LUOSHI_CORPUS_DIR"


def seed_path() -> Path:
    """The reference decision, as packaged for the demo."""
    return SEED


def seed_text() -> str:
    return seed_path().read_text(encoding="utf-8")


def document_path(name: str) -> Path:
    """A test document from ``luoshi/testing/documents/``."""
    path = DOCUMENTS / name
    if not path.is_file():
        raise FileNotFoundError(f"no test document {name!r} in {DOCUMENTS}")
    return path


def document_text(name: str) -> str:
    return document_path(name).read_text(encoding="utf-8")


def corpus_dir() -> Path | None:
    """The development corpus named by LUOSHI_CORPUS_DIR (``texts/`` and ``gold/`` inside), or None."""
    value = os.environ.get(CORPUS_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
