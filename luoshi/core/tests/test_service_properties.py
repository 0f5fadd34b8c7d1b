"""Property tests of every date and text a user gives a service: stored, or a BilingualError and nothing changed.

Dates run from year 1 to 9999, texts over every character but surrogates (NUL and the other control
characters included). Each example runs in a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.audit.models import AuditEntry
from luoshi.bulletins.models import Bulletin
from luoshi.bulletins.services import issue_bulletin
from luoshi.lib.errors import BilingualError
from luoshi.ratings.models import Rating
from luoshi.ratings.services import override_rating, record_rating
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report
from luoshi.reports.services import submit_report
from luoshi.supervision.models import ExtensionRequest
from luoshi.supervision.services import request_extension
from luoshi.tasks.lifecycle import update_task
from luoshi.tasks.models import Assignment, Milestone, Task
from luoshi.tasks.services import add_milestone, create_task
from luoshi.testing.properties import any_text, db_state, mixed_text, rolled_back, user_date
from luoshi.testing.world import World, build_world

MODELS: tuple[type[models.Model], ...] = (
    Task,
    Assignment,
    Milestone,
    ExtensionRequest,
    Obligation,
    Report,
    IndicatorValue,
    Evidence,
    Rating,
    Bulletin,
    AuditEntry,
)
BOUNDED = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
texts = st.one_of(any_text, mixed_text)
periods = st.one_of(
    any_text,
    st.tuples(
        st.integers(min_value=0, max_value=99999),
        st.sampled_from(["-Q1", "-Q4", "-H2", "-01", "-12", "", "-Q9"]),
    ).map(lambda t: f"{t[0]}{t[1]}"),
)


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()


def stored_or_refused(call: Callable[[], Any]) -> Any:
    """Call the service; a refusal is a BilingualError in both languages and leaves every row as it was."""
    with rolled_back():
        before = db_state(MODELS)
        try:
            result = call()
        except BilingualError as exc:
            assert exc.message_zh.strip() and exc.message_en.strip()
            assert db_state(MODELS) == before, f"refused ({exc.code}) but rows changed"
            return None
        for row in db_state(MODELS).values():  # nothing stored can break an XML (DOCX) document
            for values in row:
                for value in values.values():
                    if isinstance(value, str):
                        assert not _NOT_XML.search(value), value
        return result


@BOUNDED
@given(title=texts, text=texts, start=user_date, deadline=user_date)
def test_task_creation(world: World, title: str, text: str, start: dt.date, deadline: dt.date) -> None:
    stored_or_refused(
        lambda: create_task(
            document=world.document,
            title=title,
            text=text,
            lead_unit=world.unit_a,
            start_date=start,
            deadline=deadline,
            user=world.supervisor,
        )
    )


@BOUNDED
@given(title=texts, text=texts, start=user_date, deadline=user_date)
def test_task_edit(world: World, title: str, text: str, start: dt.date, deadline: dt.date) -> None:
    task = Task.objects.get(pk=world.task_a.pk)
    stored_or_refused(
        lambda: update_task(
            task=task,
            version=task.version,
            user=world.supervisor,
            title=title,
            text=text,
            start_date=start,
            deadline=deadline,
        )
    )


@BOUNDED
@given(date=user_date, progress=st.integers(min_value=-(2**70), max_value=2**70), title=texts)
def test_milestones(world: World, date: dt.date, progress: int, title: str) -> None:
    stored_or_refused(
        lambda: add_milestone(task=world.task_a, date=date, expected_progress=progress, title=title)
    )


@BOUNDED
@given(new_deadline=user_date, reason=texts)
def test_extension_requests(world: World, new_deadline: dt.date, reason: str) -> None:
    stored_or_refused(
        lambda: request_extension(
            assignment=world.a2, user=world.liaison_a, new_deadline=new_deadline, reason=reason
        )
    )


@BOUNDED
@given(
    progress=st.integers(min_value=-(2**70), max_value=2**70), narrative=texts, problems=texts, steps=texts
)
def test_reports(world: World, progress: int, narrative: str, problems: str, steps: str) -> None:
    obligation = Obligation.objects.get(assignment=world.a2)
    stored_or_refused(
        lambda: submit_report(
            obligation=obligation,
            user=world.liaison_a,
            progress=progress,
            narrative=narrative,
            problems=problems,
            next_steps=steps,
        )
    )


@BOUNDED
@given(as_of=user_date, period=st.one_of(st.just(""), any_text))
def test_ratings_as_of(world: World, as_of: dt.date, period: str) -> None:
    stored_or_refused(lambda: record_rating(assignment=world.a, as_of=as_of, period=period))


@BOUNDED
@given(as_of=user_date, reason=texts, rag=st.sampled_from(["green", "amber", "red", "purple", ""]))
def test_rating_overrides(world: World, as_of: dt.date, reason: str, rag: str) -> None:
    stored_or_refused(
        lambda: override_rating(
            assignment=world.a, rag=rag, reason=reason, user=world.supervisor, as_of=as_of
        )
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(period=periods, title=st.one_of(st.none(), texts), as_of=st.one_of(st.none(), user_date))
def test_bulletin_periods(world: World, period: str, title: str | None, as_of: dt.date | None) -> None:
    stored_or_refused(lambda: issue_bulletin(period=period, user=world.supervisor, title=title, as_of=as_of))
