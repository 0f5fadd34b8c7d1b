"""Where tests and benches find the shared seed and corpus."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LUOSHI_SHARED_DIR") or REPO.parent / "shared")
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
CORPUS_TEXTS = CORPUS / "texts"
CORPUS_GOLD = CORPUS / "gold"


def seed_path() -> Path:
    """The reference decision (the one .txt under seeds/)."""
    return sorted(SEEDS.glob("*.txt"))[0]


def seed_text() -> str:
    return seed_path().read_text(encoding="utf-8")
