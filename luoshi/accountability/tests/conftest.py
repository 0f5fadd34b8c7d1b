from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from luoshi.accounts.tests.world import World, build_world


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()
