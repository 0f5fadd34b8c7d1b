"""Test-wide setup: which database runs, and the database-only second pass."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase

# browser, journey, login_as; corpus; robots (the WeCom/DingTalk imitation); world (the test world, luoshi/testing/world.py)
pytest_plugins = [
    "luoshi.testing.browser",
    "luoshi.testing.corpus",
    "luoshi.testing.robots",
    "luoshi.testing.world",
]

# Property tests (luoshi/testing/properties.py): in CI the same examples every run (derandomize, which
# Hypothesis allows only without an example database); elsewhere random ones, with failures remembered
# in var/test/hypothesis and replayed first. LUOSHI_HYPOTHESIS_PROFILE=ci|dev picks one by hand.
_EXAMPLES = DirectoryBasedExampleDatabase(
    str(Path(__file__).resolve().parent / "var" / "test" / "hypothesis")
)
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("dev", database=_EXAMPLES)
hypothesis_settings.load_profile(
    os.environ.get("LUOSHI_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "client", "admin_client", "django_user_model"}


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    return f"luoshi database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db.get('NAME')})"


def _uses_db(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With LUOSHI_DB_TESTS_ONLY=1 (the PostgreSQL pass) keep only tests that touch the database."""
    if os.environ.get("LUOSHI_DB_TESTS_ONLY") != "1":
        return
    keep = [i for i in items if _uses_db(i)]
    deselected = [i for i in items if not _uses_db(i)]
    config.hook.pytest_deselected(items=deselected)
    items[:] = keep
