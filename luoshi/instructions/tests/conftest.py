"""The accounts test world (units A, B, C and their people; A leads two tasks), with a clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from luoshi.accounts.tests.world import World, build_world
from luoshi.notifications.models import Notice

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2024, 4, 2)  # the world's NOW, early in the second quarter


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def kinds_of(user: Any) -> list[str]:
    return list(Notice.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()
