"""Every setting luoshi reads from the environment, with its default and help.

Each ``Setting`` keeps its default next to its help text (datasette's habit);
``docs/settings.md`` must document every one (a test checks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SECRET_KEY = "luoshi-insecure-default-secret-key-change-me"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def raw(self) -> str:
        return os.environ.get(self.name, self.default)


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


SETTINGS: list[Setting] = [
    Setting(
        "DATABASE_URL",
        "",
        "Database URL, e.g. postgres://user@127.0.0.1:5432/luoshi. Empty: a SQLite file "
        "luoshi.sqlite3 under LUOSHI_DATA_DIR.",
    ),
    Setting(
        "LUOSHI_SECRET_KEY",
        DEFAULT_SECRET_KEY,
        "Django secret key. The server refuses to start with the default unless LUOSHI_DEBUG is on.",
    ),
    Setting("LUOSHI_DEBUG", "0", "Debug mode (1/0). Never on in production."),
    Setting(
        "LUOSHI_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the server answers to.",
    ),
    Setting(
        "LUOSHI_DATA_DIR",
        "",
        "Folder for the SQLite file, uploaded originals and evidence files (outside the web root). "
        "Empty: the current working directory's ./var.",
    ),
    Setting(
        "LUOSHI_MAX_UPLOAD_MB",
        "20",
        "Largest document or evidence file accepted, in megabytes.",
    ),
    Setting(
        "LUOSHI_UNIT_HEAD_APPROVAL",
        "0",
        "Whether a unit head must approve a unit's periodic report before it counts (1/0). "
        "Off: reports count as soon as they are submitted.",
    ),
    Setting("LUOSHI_TIME_ZONE", "Asia/Shanghai", "Time zone for deadlines, periods and display."),
    Setting(
        "LUOSHI_NLP_CACHE_DIR",
        "",
        "Writable folder for the segmenter's dictionary cache (read-only installs). Empty: the "
        "system temporary folder.",
    ),
    Setting("LUOSHI_LANGUAGE", "zh-hans", "Default interface language: zh-hans or en."),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].raw()


def get_bool(name: str) -> bool:
    return _truthy(get(name))


def get_int(name: str) -> int:
    raw = get(name)
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def data_dir() -> Path:
    raw = get("LUOSHI_DATA_DIR")
    return Path(raw).resolve() if raw else (Path.cwd() / "var").resolve()
