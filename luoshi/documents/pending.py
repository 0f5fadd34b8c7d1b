"""An upload held back because it duplicates a stored document, until the office decides.

Kept as two files under MEDIA_ROOT/pending (the bytes and a small JSON note), named by the bytes'
SHA-256, so nothing half-written reaches the database and the choice page can be reloaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

_TOKEN = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Pending:
    token: str
    data: bytes
    filename: str
    title: str
    user_id: int | None
    match: dict[str, Any]


def _dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "pending"


def hold(*, data: bytes, filename: str, title: str, user_id: int | None, match: dict[str, Any]) -> str:
    token = hashlib.sha256(data).hexdigest()
    folder = _dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.bin").write_bytes(data)
    note = {"filename": filename, "title": title, "user_id": user_id, "match": match}
    (folder / f"{token}.json").write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
    return token


def load(token: str, *, user_id: int | None) -> Pending | None:
    """The held upload, or None when unknown, gone or held for another user."""
    if not _TOKEN.match(token):
        return None
    folder = _dir()
    try:
        note = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if note.get("user_id") != user_id:
        return None
    return Pending(
        token,
        data,
        note.get("filename", ""),
        note.get("title", ""),
        note.get("user_id"),
        note.get("match", {}),
    )


def release(token: str) -> None:
    if _TOKEN.match(token):
        for suffix in (".bin", ".json"):
            (_dir() / f"{token}{suffix}").unlink(missing_ok=True)
