"""Who may see and change a task division (任务分工方案): the one place pages, the API and the CLI ask.

Plans are the supervision office's working papers: those who see everything (supervisors, leaders,
administrators) see them, nobody else (404); only the roles allowed to "plan" change them (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from luoshi.accounts.scope import require, sees_all
from luoshi.decomposition.errors import PlanError
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.documents.models import without_heavy
from luoshi.units.models import Unit


def visible_plans(user: Any) -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("document").defer(*without_heavy("document__"))
        if sees_all(user)
        else Plan.objects.none()
    )


def get_plan_for(user: Any, pk: Any) -> Plan:
    """The one way a plan is fetched (404 outside the user's scope)."""
    try:
        return visible_plans(user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_plan_to_change(user: Any, pk: Any) -> Plan:
    """A plan the user may see (else 404) and change (else 403, RoleRequired)."""
    plan = get_plan_for(user, pk)
    require(user, "plan")
    return plan


def get_plan_task(plan: Plan, pk: Any) -> PlanTask:
    """One item of the plan (404 when it belongs to another plan or does not exist)."""
    try:
        return plan.tasks.select_related("lead_unit").get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def catalog_units(plan: Plan) -> QuerySet[Unit]:
    """The units a plan's items may be given: its catalog's active units."""
    return Unit.objects.filter(catalog=plan.catalog, active=True).order_by("id")


def plan_unit(plan: Plan, pk: int) -> Unit:
    """A unit the plan's items may be given, by id; PlanError ``unknown_unit`` for any other."""
    found = catalog_units(plan).filter(pk=pk).first()
    if found is None:
        raise PlanError(
            "unknown_unit",
            f"单位 #{pk} 不在本方案的单位目录（{plan.catalog}）中。",
            f"Unit #{pk} is not in this plan's unit catalog ({plan.catalog}).",
        )
    return found
