"""The coverage map on the governing decision's page and the dashboard: implementing documents and tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation
from django.utils.text import Truncator

from luoshi.review.coverage_map import coverage_map
from luoshi.review.models import Submission
from luoshi.review.tests.passages import SECTION_TWO_ONLY
from luoshi.review.tests.world import ReviewWorld, build, submit
from luoshi.tasks.models import Cadence, Status, Task
from luoshi.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ReviewWorld:
    return build()


def _task_on(world: ReviewWorld, start: int, title: str) -> Task:
    """A task of the unit on the ten characters of the decision from ``start`` (2024, quarterly)."""
    return Task.objects.create(
        document=world.decision,
        title=title,
        text="…",
        lead_unit=world.unit,
        start_date=dt.date(2024, 1, 1),
        deadline=dt.date(2024, 12, 31),
        cadence=Cadence.QUARTERLY,
        status=Status.IN_PROGRESS,
        spans=[[start, start + 10]],
    )


def test_each_clause_shows_its_implementing_documents_and_tasks(world: ReviewWorld) -> None:
    s = submit(world, SECTION_TWO_ONLY)
    text = world.decision.text
    start = text.index("各级财政要将农村供水工程运行维护经费")
    task = _task_on(world, start, "纳入年度预算")
    cov = coverage_map(
        document=world.decision, submissions=Submission.objects.all(), tasks=Task.objects.all()
    )
    states = {r.clause.label: r.state for r in cov.rows}
    assert (
        states["二、（一）"] == "documents"
        and states["三、（四）"] == "tasks"
        and states["三、（五）"] == "none"
    )
    row = next(r for r in cov.rows if "纳入年度预算" in r.clause.text)
    assert row.tasks == [task] and row.documents == []
    assert all(r.documents == [s] for r in cov.rows if r.clause.label.startswith("二、"))
    uncovered = {r.clause.text for r in cov.rows if r.state == "none"}
    assert uncovered == {
        "（四）强化资金保障。",
        "（五）严格督促落实。",
        "各地每年12月底前向省人民政府报告工作进展情况，省人民政府办公厅组织专项督查。",
    }
    assert cov.none_count == 3 and cov.with_tasks == 1


def test_the_decisions_page_shows_the_map_to_the_office_not_to_a_unit(world: ReviewWorld) -> None:
    submit(world, SECTION_TWO_ONLY)
    start = world.decision.text.index("各级财政要将农村供水工程运行维护经费")
    title = (
        "将农村供水工程运行维护经费纳入年度预算并建立稳定的经费保障和绩效评价机制"  # longer than the 30 shown
    )
    task = _task_on(world, start, title)
    office = Client()
    office.login(username="office", password=PASSWORD)
    page = office.get(f"/documents/{world.decision.pk}/").content.decode()
    assert 'id="coverage-map"' in page and "coverage-documents" in page and "coverage-none" in page
    # Long words are cut before they are marked as data, so the markup stays whole (a cut tag swallowed the page).
    with translation.override("zh-hans"):
        shown = Truncator(title).chars(30)
    assert (
        shown != title
        and f'<a href="/tasks/{task.pk}/"><span class="data" lang="zh">{shown}</span></a>' in page
    )
    assert f"/review/rules/{world.decision.pk}/" in page
    # the drafting unit has no task on this decision: the document is not even in its scope
    unit = Client()
    unit.login(username="water", password=PASSWORD)
    assert unit.get(f"/documents/{world.decision.pk}/").status_code == 404
