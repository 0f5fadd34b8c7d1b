"""The authorization matrix, generated: every route of luoshi.urls × every role, on unit A's objects.

Routes come from the URL configuration itself (web pages, htmx endpoints, downloads and every API
operation: django-ninja puts them in the same resolver). Each route needs an entry in ROUTES below;
a route without one fails ``test_every_route_has_an_entry`` with a message saying what to add.

For each route, with its path parameters filled from a small world (accounts/tests/world.py) whose
objects belong to unit A:
- anonymous: a web page redirects to the login page, an API call answers 401;
- the stranger (the liaison of unit C, which has nothing to do with A's tasks) never sees A's object
  (403 or 404, never 200) and never writes: a POST answers 403/404/405 (422: an API body that does
  not validate) and no row of any table changes;
- the role named in the entry (when one is) opens the page: 2xx or 3xx.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from luoshi.accounts.models import Role
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.instructions.models import Handling, Instruction, Watch
from luoshi.notifications.models import Notice
from luoshi.people.services import issue_token
from luoshi.ratings.models import DERIVED_MODELS
from luoshi.review.models import DraftVersion, PremiseRule, ReviewFinding, Submission
from luoshi.supervision.models import ExtensionRequest, Urging
from luoshi.testing.world import World, build_world, make_user


@dataclass(frozen=True)
class Rule:
    """What a route promises.

    scope: "public" (anyone, logged in or not), "login" (any logged-in user; lists show only what
    the user may see), "object" (an object of unit A: the stranger gets 403/404), "office"
    (supervision office or administration pages: the stranger gets 403/404), "admin" (Django admin:
    the stranger is sent to the admin login).
    opens: the role that must get 2xx/3xx on GET ("" when the filled objects do not exist in the
    small world, or the route answers only POST).
    """

    scope: str
    opens: str = ""


P, L, OB, OF = Rule("public"), Rule("login"), Rule("object"), Rule("office")
SUP = "supervisor"

# One entry per URL name. A new route: add it here (see Rule) — the test names the ones missing.
ROUTES: dict[str, Rule] = {
    "home": Rule("public"),
    "healthz": P,
    "login": P,
    "logout": P,
    "set_language": P,
    "password_change": Rule("login", SUP),
    "password_change_done": Rule("login", SUP),
    # web: the liaison's and unit's own pages
    "web:my": Rule("login", "liaison_a"),
    "web:inbox": Rule("login", "liaison_a"),
    "web:read_notice": L,
    # (read_notice marks only the caller's own notices: another's stays unread, which the row check sees)
    "web:read_all": L,
    "web:assignment": Rule("object", "liaison_a"),
    "web:extension_request": OB,
    "web:report": Rule("object", "liaison_a"),
    "web:task": Rule("object", SUP),
    "web:trajectory_csv": Rule("object", SUP),
    "web:urging_docx": OB,
    "web:unit_urging_docx": OB,
    "web:urging": OB,
    "web:evidence": Rule("object", "liaison_a"),
    "web:evidence_inline": Rule("object", "liaison_a"),
    "web:evidence_download": Rule("object", "liaison_a"),
    "web:unit_urging_issue": OF,
    # web: the office's pages
    "web:office": Rule("office", SUP),
    "web:office_list": Rule("office", SUP),
    "web:decide_extension": OF,
    "web:decide_completion": OF,
    "web:plan_propose": OF,
    "web:plans": Rule("office", SUP),
    "web:plan": OF,
    "web:plan_task_status": OF,
    "web:plan_task_edit": OF,
    "web:plan_task_milestone": OF,
    "web:plan_task_indicator": OF,
    "web:plan_task_remove": OF,
    "web:plan_task_split": OF,
    "web:plan_merge": OF,
    "web:plan_confirm": OF,
    "web:plan_create_tasks": OF,
    "web:plan_xlsx": OF,
    "web:plan_import": OF,
    "web:plan_accept_rest": OF,
    "web:dashboard": Rule("login", SUP),
    "web:dashboard_csv": L,
    "web:bulletins": Rule("office", SUP),
    "web:bulletin_preview": Rule("office", SUP),
    "web:bulletin_download": OF,
    "web:bulletin_issue": OF,
    "web:bulletin_good_practice": OF,
    "web:bulletin_issued": OF,
    "web:bulletin_ledger": Rule("office", SUP),
    "web:people_units": Rule("office", "admin"),
    "web:people_unit_new": OF,
    "web:people_unit_row": OF,
    "web:people_unit_edit": OF,
    "web:people_users": Rule("office", "admin"),
    "web:people_user_new": OF,
    "web:people_user_row": OF,
    "web:people_user_edit": OF,
    "web:people_user_active": OF,
    "web:people_user_password": OF,
    "web:people_user_unlock": OF,
    "web:override_rating": OF,
    "web:cascade": OB,
    "web:update_task": OF,
    "web:transition_task": OF,
    "web:add_milestone": OF,
    "web:remove_milestone": OF,
    "web:add_indicator": OF,
    "web:indicators_csv": Rule("object", SUP),
    "web:designate_evaluator": OF,
    "web:record_evaluation": OF,
    "web:record_measure": OF,
    "web:approve_report": OB,
    "web:audit": Rule("office", SUP),
    "web:audit_csv": OF,
    # web: leaders' instructions (a unit sees those it handles), the leader's page and watch list, closing
    "web:instructions": Rule("login", SUP),
    "web:instruction": Rule("object", SUP),
    "web:instruction_new": OF,
    "web:instruction_cite": OB,
    "web:handling_respond": OB,
    "web:handling_approve": OB,
    "web:leader": Rule("office", "leader"),
    "web:watch_add": OF,
    "web:watch_remove": OF,
    "web:watch_seen": OF,
    "web:close_task": OB,
    # documents
    "documents:list": Rule("login", SUP),
    "documents:upload": OF,
    "documents:detail": Rule("login", SUP),
    "documents:original": Rule("login", SUP),
    "documents:json": Rule("login", SUP),
    "documents:scan_line": L,  # a line of a scan; the small world's document is text (404 for everyone)
    # a held duplicate upload: only its uploader may open or resolve it (the filled token holds nothing)
    "documents:duplicate": OF,
    "documents:resolve": OF,
    # API (every operation; documents are read by every logged-in user)
    "api:openapi-json": P,
    "api:openapi-view": P,
    "api:api-root": P,
    "api:me": Rule("login", SUP),
    "api:list_units": L,
    "api:list_documents": L,
    "api:upload_document": L,
    "api:get_document": L,
    "api:list_tasks": L,
    "api:get_task": Rule("object", SUP),
    "api:create_from_plan": OF,
    "api:transition_task": OB,
    "api:list_assignments": L,
    "api:get_assignment": Rule("object", SUP),
    "api:list_obligations": L,
    "api:get_obligation": Rule("object", "liaison_a"),
    "api:list_reports": L,
    "api:submit_report": L,
    "api:get_report": Rule("object", "liaison_a"),
    "api:submit_report_with_evidence": L,
    "api:approve_report": OB,
    "api:get_evidence": Rule("object", "liaison_a"),
    "api:download_evidence": Rule("object", "liaison_a"),
    "api:get_ratings": Rule("object", SUP),
    "api:override": OB,
    "api:rollup": L,
    "api:list_extensions": L,
    "api:get_extension": OB,
    "api:request_extension": OB,
    "api:decide_extension": OB,
    "api:list_urgings": L,
    "api:get_urging": OB,
    "api:respond_to_urging": OB,
    "api:urging_notice": OB,
    "api:designate_evaluator": OB,
    "api:list_evaluations": OB,
    "api:record_evaluation": OB,
    "api:list_measures": L,
    "api:record_measure": L,
    "api:record_measure_with_attachments": L,
    "api:list_suggestions": L,
    "api:list_bulletins": L,
    "api:issue_bulletin": L,
    "api:get_bulletin": OB,
    "api:download_bulletin": OB,
    "api:download_ledger": L,
    "api:list_plans": Rule("office", SUP),
    "api:get_plan": Rule("office", SUP),
    "api:set_plan_item_status": OF,
    "api:edit_plan_item": OF,
    "api:merge_plan_items": OF,
    "api:accept_rest_of_plan": OF,
    "api:confirm_plan": OF,
    # pre-review and filing review: unit A's submission; reviewers see every one, a unit its own
    "review:list": Rule("login", "liaison_a"),
    "review:new": Rule("login", "liaison_a"),
    "review:register": Rule("login", "review_head"),
    "review:register_xlsx": Rule("login", "review_head"),
    "review:detail": Rule("object", "reviewer"),
    "review:complete": OB,
    "review:assign": OB,
    "review:decide": OB,
    "review:add_finding": OB,
    "review:return": OB,
    "review:revise": OB,
    "review:conclude": OB,
    "review:opinion_docx": Rule("object", "reviewer"),
    "review:original": Rule("object", "liaison_a"),
    "review:rules": Rule("office", "review_head"),
    "review:toggle_rule": OF,
    "api:list_submissions": L,
    "api:get_submission": Rule("object", "reviewer"),
    "api:submit_document": L,
    "api:assign_reviewer": OB,
    "api:decide_finding": OB,
    "api:return_submission": OB,
    "api:upload_revision": OB,
    "api:conclude_submission": OB,
    "api:opinion_document": Rule("object", "reviewer"),
    "api:filing_register": Rule("login", "review_head"),
    "api:check_draft": L,
    "api:list_instructions": L,
    "api:issue_instruction": L,
    "api:get_instruction": Rule("object", SUP),
    "api:cite_instruction": OB,
    "api:respond_to_instruction": OB,
    "api:approve_instruction_response": OB,
    "api:get_watch_list": Rule("office", "leader"),
    "api:add_watch": OF,
    "api:remove_watch": OF,
    "api:mark_watch_seen": OF,
    "api:get_closure": OB,
    "api:close_task": OB,
}
# Django admin: its own staff check (accounts/tests/test_admin.py covers who is staff).
ADMIN_PREFIX = "admin:"
ROLES = (
    "anonymous",
    "supervisor",
    "leader",
    "admin",
    "liaison_a",
    "head_a",
    "reviewer",
    "review_head",
    "stranger",
)
A_ONLY = "完善能源价格机制"  # the title of unit A's own task: the stranger never sees it


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # with <converters>
    is_api: bool


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(n for n in (namespace, entry.namespace or "") if n)
            routes += _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            routes.append(Route(name, prefix + str(entry.pattern), name.startswith("api:")))
    return routes


ALL_ROUTES = [r for r in _walk(get_resolver()) if not r.name.startswith(ADMIN_PREFIX)]
ADMIN_ROUTES = [
    r
    for r in _walk(get_resolver())
    if r.name.startswith(ADMIN_PREFIX) and "<" not in r.path and "(?P" not in r.path
]
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def test_every_route_has_an_entry() -> None:
    missing = sorted({r.name for r in ALL_ROUTES} - set(ROUTES))
    assert not missing, (
        f"routes without an authorization entry: {', '.join(missing)}. Add each to ROUTES in "
        f"{Path(__file__).name} with the Rule that says who may open it (public, login, object, office)."
    )


def _more_objects(world: World) -> dict[str, Any]:
    """Unit A's objects the shared world lacks: an urging, an extension request, a notice, a plan."""
    now = dt.datetime(2024, 4, 12, 9, 0, tzinfo=dt.UTC)
    urging = Urging.objects.create(
        key="matrix-urging",
        subject="report",
        assignment=world.a2,
        due_date=dt.date(2024, 4, 10),
        days_overdue=2,
        required_response="请说明原因。",
        respond_by=dt.date(2024, 4, 20),
        created_at=now,
    )
    extension = ExtensionRequest.objects.create(
        assignment=world.a2,
        old_deadline=world.a2.deadline,
        new_deadline=dt.date(2025, 6, 30),
        reason="项目审批推迟。",
        requested_by=world.liaison_a,
        requested_at=now,
    )
    notice = Notice.objects.create(
        recipient=world.liaison_a,
        kind="urging",
        title="催办",
        body="请尽快报送。",
        created_at=now,
        dedupe_key="matrix-notice",
    )
    plan = Plan.objects.create(document=world.document, catalog="test")
    plan_task = PlanTask.objects.create(
        plan=plan,
        order=1,
        kind="task",
        title="完善能源价格机制",
        text="完善能源价格机制。",
        spans=[[0, 8]],
        lead_unit=world.unit_a,
    )
    submission = Submission.objects.create(
        number="审2024-0001",
        review_kind="pre_review",
        title="能源价格实施方案",
        drafting_unit=world.unit_a,
        issuing_body="自治区发展改革委",
        doc_kind="normative",
        status="in_review",
        submitted_by=world.liaison_a,
        submitted_at=now,
        reviewer=get_user_model().objects.get(username="matrix_reviewer"),
    )
    version = DraftVersion.objects.create(
        submission=submission,
        number=1,
        filename="draft.txt",
        original="原则上完善能源价格机制。".encode(),
        content_hash="c" * 64,
        format="txt",
        text="原则上完善能源价格机制。",
        uploaded_by=world.liaison_a,
        uploaded_at=now,
    )
    finding = ReviewFinding.objects.create(
        version=version,
        cls="softened_obligation",
        start=0,
        end=12,
        sentence="原则上完善能源价格机制。",
        basis="要求弱化。",
        created_at=now,
    )
    rule = PremiseRule.objects.create(
        document=world.document,
        code="premise",
        kind="required",
        name="前提",
        patterns=["前提"],
        created_at=now,
    )
    instruction = Instruction.objects.create(
        subject="task",
        task=world.task_a,
        text="请加快推进。",
        due_date=dt.date(2024, 4, 20),
        leader=world.leader,
        created_at=now,
    )
    handling = Handling.objects.create(instruction=instruction, unit=world.unit_a)
    watch = Watch.objects.create(leader=world.leader, task=world.task_a, created_at=now)
    return {
        "urging": urging,
        "extension": extension,
        "notice": notice,
        "plan": plan,
        "plan_task": plan_task,
        "item": plan_task,  # the API's /plans/{plan_id}/items/{item_id}/…
        "review": submission,
        "submission": submission,
        "version": version,
        "finding": finding,
        "rule": rule,
        "instruction": instruction,
        "handling": handling,
        "watch": watch,
    }


# A parameter named only "pk" takes the object its path's first segment names; these say otherwise.
_PK_OF = {
    "web:decide_extension": "extension",
    "web:read_notice": "notice",
    "web:unit_urging_docx": "unit",
    "web:unit_urging_issue": "unit",
    "web:decide_completion": "completion",
    "web:watch_remove": "watch",
}


def _fill(route: Route, world: World, more: dict[str, Any]) -> str:
    """The path with its parameters filled from unit A's objects (a missing object: a large id)."""
    objects: dict[str, Any] = {
        "assignment": world.a2,
        "obligation": world.obligation_a,
        "task": world.task_a,
        "report": world.report_a,
        "evidence": world.evidence_a,
        "document": world.document,
        "unit": world.unit_a,
        "user": world.liaison_a,
        **more,
    }
    stem = route.path.split("/")[1 if route.is_api else 0].rstrip("s").replace("-", "_")

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if converter == "slug":
            return {"fmt": "docx", "chart": "progress", "kind": "red"}.get(name, "x")
        key = _PK_OF.get(route.name, stem) if name == "pk" else name.removesuffix("_id").removesuffix("_pk")
        if route.name.startswith("web:people_user") and name == "pk":
            key = "user"
        elif route.name.startswith("web:people_unit") and name == "pk":
            key = "unit"
        elif route.name.startswith("web:plan_task") and name == "task_pk":
            key = "plan_task"
        obj = objects.get(key)
        return str(obj.pk) if obj is not None else "987654321"

    return "/" + _PARAM.sub(value, route.path)


_NOT_COMPARED = {
    "audit.AuditEntry",
    "axes.AccessLog",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "sessions.Session",
} | {m._meta.label for m in DERIVED_MODELS}
_VOLATILE = {"last_login", "last_used_at", "last_used"}  # logging in and using a token touch these


def _rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (the world is small), less what a login or a token use updates."""
    state = {}
    for model in apps.get_models():
        if model._meta.label in _NOT_COMPARED:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in _VOLATILE]
        state[model._meta.label] = list(model._default_manager.order_by("pk").values(*fields))
    return state


class Caller:
    def __init__(self, world: World) -> None:
        self.users = {
            "supervisor": world.supervisor,
            "leader": world.leader,
            "admin": world.admin,
            "liaison_a": world.liaison_a,
            "head_a": world.head_a,
            "stranger": world.liaison_c,
            "reviewer": make_user("matrix_reviewer", Role.REVIEWER),
            "review_head": make_user("matrix_review_head", Role.REVIEW_HEAD),
        }
        self.tokens = {role: issue_token(user=user, name="matrix") for role, user in self.users.items()}

    def call(self, method: str, route: Route, path: str, role: str) -> Any:
        client = Client()
        extra: dict[str, str] = {}
        if role != "anonymous":
            if route.is_api:
                extra["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[role]}"
            else:
                client.force_login(self.users[role])
        if method == "GET":
            return client.get(path, **extra)  # type: ignore[arg-type]
        return client.post(
            path,
            "{}" if route.is_api else {},
            content_type="application/json" if route.is_api else "application/x-www-form-urlencoded",
            **extra,  # type: ignore[arg-type]
        )


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()


# A refusal: 403/404; 405 for a method the route does not take; 422 for an API body that does not
# validate (checked before the scope, so an empty body says nothing of who may: the row count does).
REFUSED = (403, 404, 405, 422)
CHUNK = 30  # routes per world: building the world once per route would double the time
CHECKED = [r for r in ALL_ROUTES if r.name in ROUTES]


@pytest.mark.parametrize("start", range(0, len(CHECKED), CHUNK))
def test_routes_answer_each_role_as_their_entries_say(start: int, world: World) -> None:
    caller = Caller(world)
    more = _more_objects(world)
    problems: list[str] = []
    for route in CHECKED[start : start + CHUNK]:
        problems += _check(route, _fill(route, world, more), caller)
    assert not problems, "\n".join(problems)


def _check(route: Route, path: str, caller: Caller) -> list[str]:
    rule = ROUTES[route.name]
    problems: list[str] = []
    for role in ROLES:
        response = caller.call("GET", route, path, role)
        status = response.status_code
        where = f"GET {path} as {role}: {status}"
        if status >= 500:
            problems.append(f"{where} (a server error)")
        elif rule.scope == "public":
            continue
        elif role == "anonymous":
            expected = (
                status in (401, 405)
                if route.is_api
                else status == 405 or (status == 302 and response["Location"].startswith("/accounts/login/"))
            )
            if not expected:
                problems.append(
                    f"{where} (anonymous: expected {'401' if route.is_api else 'a login redirect'})"
                )
        elif role == "stranger":
            if rule.scope in ("object", "office") and status not in REFUSED:
                problems.append(f"{where} (the stranger must get 403/404)")
            if status == 200 and A_ONLY in response.content.decode("utf-8", "replace"):
                problems.append(f"{where} (the stranger sees unit A's task)")
        elif role == rule.opens and status >= 400:
            problems.append(f"{where} (the entry says {role} opens it)")
    before = _rows()
    response = caller.call("POST", route, path, "stranger")
    if rule.scope in ("object", "office") and response.status_code not in REFUSED:
        problems.append(f"POST {path} as stranger: {response.status_code} (expected 403/404/405)")
    if response.status_code >= 500:
        problems.append(f"POST {path} as stranger: {response.status_code} (a server error)")
    if rule.scope != "public" and _rows() != before:
        changed = [label for label, rows in _rows().items() if rows != before.get(label)]
        problems.append(f"POST {path} as stranger changed rows of {', '.join(changed)}")
    return problems


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.name)
def test_admin_pages_send_others_to_the_admin_login(route: Route, world: World) -> None:
    caller = Caller(world)
    for role in ("anonymous", "stranger", "liaison_a", "supervisor"):
        response = caller.call("GET", route, "/" + route.path, role)
        if route.name in ("admin:login", "admin:logout", "admin:jsi18n"):
            assert response.status_code < 500
            continue
        assert response.status_code == 302 and "/admin/login/" in response["Location"], (
            role,
            response.status_code,
        )
