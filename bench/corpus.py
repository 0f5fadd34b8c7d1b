"""Where the benches find the development corpus.

LUOSHI_CORPUS_DIR when set, else ``../shared/corpus`` beside the clone (benches only: tests never
guess). A missing corpus stops the bench with a message saying what to set.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from luoshi.testing.paths import CORPUS_ENV, REPO, corpus_dir

DEFAULT = REPO.parent / "shared" / "corpus"


def corpus_root() -> Path:
    """The corpus folder (``texts/`` and ``gold/`` inside); exits with a clear message when there is none."""
    root = corpus_dir() or DEFAULT
    if not (root / "texts").is_dir() or not (root / "gold").is_dir():
        where = f"{CORPUS_ENV}={root}" if corpus_dir() else f"{root} ({CORPUS_ENV} not set)"
        sys.exit(
            f"bench: no development corpus at {where}: it needs texts/ and gold/. "
            f"Set {CORPUS_ENV} to the corpus folder."
        )
    return root


def texts() -> Path:
    return corpus_root() / "texts"


def gold() -> Path:
    return corpus_root() / "gold"


def short_commit() -> str:
    """The checkout's short commit, for a result's ``code`` field ("" outside git)."""
    return subprocess.run(
        ["git", "-C", str(Path(__file__).resolve().parents[1]), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
