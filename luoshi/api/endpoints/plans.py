"""The task division review (任务分工方案审核): accept, reject, edit and merge proposed items, accept the
rest, confirm.

The same service functions as the review page (luoshi.decomposition.services) and the same access
(luoshi.decomposition.access): those who see everything read plans, the office ("plan") changes
them, anyone else gets 404 for a plan and 403 for the list. Every change is in the audit trail.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from luoshi.accounts.scope import RoleRequired, sees_all
from luoshi.api.pagination import Keyset
from luoshi.api.params import BigInt, filter_given
from luoshi.api.schemas import ERRORS
from luoshi.api.schemas_plans import (
    AcceptRestOut,
    ConfirmIn,
    MergeIn,
    PlanDetailOut,
    PlanItemEditIn,
    PlanItemOut,
    PlanItemStatusIn,
    PlanOut,
    PlanStatusName,
)
from luoshi.decomposition import services as plans
from luoshi.decomposition.access import (
    get_plan_for,
    get_plan_task,
    get_plan_to_change,
    plan_unit,
    visible_plans,
)
from luoshi.decomposition.builder import ACTIONABLE
from luoshi.decomposition.models import Plan, PlanTask

router = Router(tags=["task division"])

TOP = Q(tasks__parent=None, tasks__kind__in=ACTIONABLE)


def _counted(found: QuerySet[Plan]) -> QuerySet[Plan]:
    """Plans with their review counts, set-wise (one query for a page of plans)."""
    return found.select_related("confirmed_by").annotate(
        unreviewed=Count("tasks", filter=TOP & Q(tasks__status=PlanTask.PROPOSED)),
        reviewed=Count("tasks", filter=TOP & ~Q(tasks__status=PlanTask.PROPOSED)),
    )


def _detail(user: Any, pk: int) -> Plan:
    plan = _counted(visible_plans(user)).get(pk=get_plan_for(user, pk).pk)
    plan.item_list = list(  # type: ignore[attr-defined]
        plan.tasks.select_related("lead_unit").prefetch_related("co_units").order_by("order", "id")
    )
    return plan


def _item(plan: Plan, pk: int) -> PlanTask:
    return (
        PlanTask.objects.select_related("lead_unit")
        .prefetch_related("co_units")
        .get(pk=get_plan_task(plan, pk).pk)
    )


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
@paginate(Keyset)
def list_plans(
    request: HttpRequest, document: BigInt | None = None, status: PlanStatusName | None = None
) -> Any:
    """Task division plans, newest first, with how many items await review."""
    user = request.auth  # type: ignore[attr-defined]
    if not sees_all(user):
        raise RoleRequired(
            "plans",
            "只有督查室人员和领导可以查看任务分工方案。",
            "Only the supervision office and leaders may read task division plans.",
        )
    found = filter_given(_counted(visible_plans(user)), document_id=document, status=status)
    return found.order_by("-created_at", "-id")


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: BigInt) -> Plan:
    """A plan with every item (its status, owners, deadline, cadence and version)."""
    return _detail(request.auth, plan_id)  # type: ignore[attr-defined]


@router.post("/plans/{int:plan_id}/items/{int:item_id}/status", response={200: PlanItemOut, **ERRORS})
def set_plan_item_status(
    request: HttpRequest, plan_id: BigInt, item_id: BigInt, payload: PlanItemStatusIn
) -> PlanTask:
    """Accept or reject a proposed item (or put it back to proposed) on the version you saw."""
    plan = get_plan_to_change(request.auth, plan_id)  # type: ignore[attr-defined]
    item = get_plan_task(plan, item_id)
    plans.set_task_status(task=item, status=payload.status, version=payload.version)
    return _item(plan, item_id)


@router.post("/plans/{int:plan_id}/items/{int:item_id}/edit", response={200: PlanItemOut, **ERRORS})
def edit_plan_item(
    request: HttpRequest, plan_id: BigInt, item_id: BigInt, payload: PlanItemEditIn
) -> PlanTask:
    """Change an item's title, lead unit, co-units, deadline or cadence (fields left out stay); it is then accepted."""
    plan = get_plan_to_change(request.auth, plan_id)  # type: ignore[attr-defined]
    item = get_plan_task(plan, item_id)
    plans.edit_task(
        task=item,
        version=payload.version,
        title=payload.title,
        lead_unit=plan_unit(plan, payload.lead_unit_id) if payload.lead_unit_id is not None else None,
        co_units=[plan_unit(plan, pk) for pk in payload.co_unit_ids]
        if payload.co_unit_ids is not None
        else None,
        deadline=payload.deadline,
        cadence=payload.cadence,
    )
    return _item(plan, item_id)


@router.post("/plans/{int:plan_id}/merge", response={200: PlanItemOut, **ERRORS})
def merge_plan_items(request: HttpRequest, plan_id: BigInt, payload: MergeIn) -> PlanTask:
    """Merge two or more top-level items into the first (texts, spans, owners); the others are removed."""
    plan = get_plan_to_change(request.auth, plan_id)  # type: ignore[attr-defined]
    wanted = set(payload.item_ids)
    items = list(plan.tasks.filter(pk__in=wanted, parent=None))
    if len(items) != len(wanted):
        raise Http404  # an item of another plan, a sub-item, or none at all
    kept = plans.merge_tasks(tasks=items)
    return _item(plan, kept.pk)


@router.post("/plans/{int:plan_id}/accept-rest", response={200: AcceptRestOut, **ERRORS})
def accept_rest_of_plan(request: HttpRequest, plan_id: BigInt) -> dict[str, Any]:
    """接受其余全部: accept every actionable item still awaiting review, in one audited step."""
    user = request.auth  # type: ignore[attr-defined]
    plan = get_plan_to_change(user, plan_id)
    accepted = plans.accept_rest(plan=plan, user=user)
    return {"accepted": accepted, "plan": _detail(user, plan_id)}


@router.post("/plans/{int:plan_id}/confirm", response={200: PlanDetailOut, **ERRORS})
def confirm_plan(request: HttpRequest, plan_id: BigInt, payload: ConfirmIn) -> Plan:
    """确认方案: refused (400 ``unreviewed``) while an item awaits review, unless ``accept_remaining``;
    refused (400 ``lead_missing``) while an accepted item has no lead unit."""
    user = request.auth  # type: ignore[attr-defined]
    plan = get_plan_to_change(user, plan_id)
    plans.confirm_plan(plan=plan, user=user, accept_remaining=payload.accept_remaining)
    return _detail(user, plan_id)
