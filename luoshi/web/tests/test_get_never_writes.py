"""A GET never writes: every GET route the office can reach, filled with ids of the demo's objects, leaves every row as it was.

The routes come from the URL resolver (``luoshi.urls``), so a new page is covered as soon as it exists;
a path parameter gets the id of an object of the model its route names. Sessions and the login
throttle's records (django-axes) are left out: logging in writes them, by design.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from luoshi.bulletins.models import Bulletin, GoodPractice
from luoshi.bulletins.services import issue_bulletin
from luoshi.bulletins.unit_notice import issue_unit_urging_notice
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.documents.models import Document
from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.instructions.services import issue_instruction, respond_to_instruction
from luoshi.instructions.watch import watch
from luoshi.notifications.models import Notice
from luoshi.ratings.models import DERIVED_MODELS
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.reports.services import submit_report
from luoshi.review.models import DraftVersion, PremiseRule, ReviewFinding, Submission
from luoshi.review.services import submit as submit_for_review
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.supervision.scan import sweep
from luoshi.tasks.models import Assignment, Milestone, Task
from luoshi.testing.demo import TODAY, lead_assignment, open_obligation
from luoshi.testing.world import png_bytes, upload
from luoshi.units.models import Unit
from luoshi.web.dashboard.pages import CHARTS
from luoshi.web.office.pages import LISTS as OFFICE_LISTS

UNWATCHED = {"sessions", "axes"}  # app labels written by logging in
# Derived data a read may fill in: a roll-up stores the ratings it computed (ratings.snapshots), a cache.
DERIVED = {m._meta.label_lower for m in DERIVED_MODELS}
SKIPPED = ("admin/", "i18n/", "accounts/logout/", "api/docs")  # Django's own; logout is its own action

# A route's parameter → the model whose id fills it, by the route's first segment (then the parameter name).
BY_SEGMENT: dict[str, type[models.Model]] = {
    "inbox": Notice,
    "assignments": Assignment,
    "obligations": Obligation,
    "tasks": Task,
    "urgings": Urging,
    "units": Unit,
    "documents": Document,
    "plans": Plan,
    "bulletins": Bulletin,
    "reports": Report,
    "extensions": ExtensionRequest,
    "evidence": Evidence,
    "measures": Task,
    "review": Submission,
    "instructions": Instruction,
    "handlings": Handling,
    "leader": Watch,
}
BY_PARAM: dict[str, type[models.Model]] = {
    "task_pk": PlanTask,
    "milestone_pk": Milestone,
    "document_id": Document,
    "task_id": Task,
    "assignment_id": Assignment,
    "obligation_id": Obligation,
    "report_id": Report,
    "evidence_id": Evidence,
    "extension_id": ExtensionRequest,
    "urging_id": Urging,
    "bulletin_id": Bulletin,
    "submission_id": Submission,
    "finding_pk": ReviewFinding,
    "finding_id": ReviewFinding,
    "version_pk": DraftVersion,
    "document_pk": Document,
    "rule_pk": PremiseRule,
    "instruction_id": Instruction,
    "handling_id": Handling,
    "watch_id": Watch,
}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _model_for(route: str, name: str) -> type[models.Model]:
    if name in BY_PARAM:
        return BY_PARAM[name]
    segments = [s for s in route.split("/") if s and not s.startswith("<")]
    segment = (
        segments[1]
        if segments[:1] == ["api"] or segments[:1] == ["office"] or segments[:1] == ["people"]
        else segments[0]
    )
    if route.startswith("people/users/"):
        return get_user_model()
    if route.startswith("bulletins/good-practice/"):
        return GoodPractice
    if route.startswith("office/completions/"):
        return Task
    return BY_SEGMENT[segment]


def paths(route: str) -> list[str]:
    """The route with its parameters filled (several paths where a slug takes several values)."""
    filled = [route]
    for converter, name in PARAM.findall(route):
        token = f"<{converter}:{name}>" if converter else f"<{name}>"
        if name == "chart":
            values = list(CHARTS)
        elif name == "fmt":
            values = ["docx", "html", "xlsx"]
        elif name == "kind":
            values = list(OFFICE_LISTS)
        else:
            found = (
                _model_for(route, name)._default_manager.order_by("pk").values_list("pk", flat=True).first()
            )
            values = [str(found if found is not None else 999999)]
        filled = [p.replace(token, v, 1) for p in filled for v in values]
    return ["/" + p for p in filled]


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every watched table (an update shows as well as an insert or a delete)."""
    return {
        m._meta.label_lower: list(m._default_manager.order_by("pk").values_list())
        for m in apps.get_models()
        if m._meta.app_label not in UNWATCHED and m._meta.label_lower not in DERIVED
    }


@pytest.fixture
def office(login: Callable[[str], Client]) -> Client:
    """The office, in a world with evidence, an issued bulletin, an issued unit notice, an extension request,
    and the urgings, reminders and notices of a supervision pass."""
    users = get_user_model().objects
    sweep(now=timezone.now())
    supervisor = users.get(username="duchashi")
    submit_report(
        obligation=open_obligation(lead_assignment("energy")),
        user=users.get(username="nengyuan"),
        progress=90,
        narrative="进展顺利",
        evidence=[upload("现场照片.png", png_bytes())],
    )
    issue_bulletin(period="2026-Q3", user=supervisor)
    leader = users.get(username="lingdao")
    instruction = issue_instruction(
        leader=leader,
        text="请加快推进。",
        due_date=TODAY + dt.timedelta(days=5),
        task=lead_assignment("energy").task,
    )
    respond_to_instruction(
        handling=instruction.handlings.get(), user=users.get(username="nengyuan"), text="已部署。"
    )
    watch(user=leader, task=lead_assignment("energy").task)
    issue_unit_urging_notice(unit=Unit.objects.get(code="ethnic-affairs"), user=supervisor, today=TODAY)
    if not ExtensionRequest.objects.exists():
        assignment = lead_assignment("energy")
        ExtensionRequest.objects.create(
            assignment=assignment,
            requested_by=users.get(username="nengyuan"),
            old_deadline=assignment.deadline or TODAY,
            requested_at=timezone.now(),
            new_deadline=TODAY + dt.timedelta(days=60),
            reason="需要更多时间",
        )
    submit_for_review(
        user=supervisor,
        unit=Unit.objects.get(code="ethnic-affairs"),
        review_kind="filing",
        title="实施方案",
        doc_kind="normative",
        issuing_body="自治区民委",
        doc_number="内民委发〔2026〕1号",
        published_on=TODAY,
        governing=[Document.objects.get()],
        filename="draft.txt",
        data="关于贯彻落实的实施方案\n\n一、主要任务\n\n原则上推行使用国家统编教材。".encode(),
    )
    return login("duchashi")


def test_every_get_route_the_office_reaches_writes_nothing(office: Client) -> None:
    checked, changed = [], []
    for route in routes():
        if route.startswith(SKIPPED):
            continue
        for path in paths(route):
            before = state()
            response = office.get(path)
            after = state()
            checked.append((path, response.status_code))
            changed += [f"GET {path} changed {label}" for label in before if before[label] != after[label]]
    assert not changed, "\n".join(changed)
    answered = [p for p, status in checked if status == 200]
    assert len(checked) > 60 and len(answered) > 30, checked  # the walk reached real pages, not only 404s
    assert ("/urgings/999999/", 404) not in checked, "the world has urgings to open"
