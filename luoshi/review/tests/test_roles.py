"""The new roles' scope: reviewers read every decision and submission, but no task, report or office page."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.documents.access import visible_documents
from luoshi.reports.access import visible_reports
from luoshi.tasks.access import visible_tasks
from luoshi.testing.world import PASSWORD, World, build_world, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.REVIEW_HEAD])
def test_reviewers_read_decisions_but_not_the_chain(world: World, role: str) -> None:
    user = make_user(f"r-{role}", role)
    assert set(visible_documents(user)) == {world.document, world.other_document}
    assert not visible_tasks(user).exists() and not visible_reports(user).exists()
    client = Client()
    client.login(username=user.get_username(), password=PASSWORD)
    assert client.get("/").url == "/review/"  # type: ignore[attr-defined]
    assert client.get(f"/tasks/{world.task.pk}/").status_code == 404
    assert client.get("/office/").status_code == 403
    assert client.get(f"/documents/{world.document.pk}/").status_code == 200
    page = client.get("/review/").content.decode()
    assert 'href="/review/"' in page and 'href="/office/"' not in page
