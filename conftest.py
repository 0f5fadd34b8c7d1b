"""Test-wide setup: which database runs, and the database-only second pass."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

pytest_plugins = ["luoshi.testing.browser", "luoshi.testing.corpus"]  # browser, journey, login_as; corpus

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
