"""Keep rating snapshots honest: every change to what a rating reads gives its assignments a new token."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from luoshi.ratings.snapshots import touch
from luoshi.reports.models import IndicatorValue, Obligation, Report
from luoshi.tasks.models import Assignment, Indicator, Milestone, Task, Transition
from luoshi.tasks.signals import rating_inputs_changed


def _targets(instance: Any) -> tuple[list[int], list[int]]:
    """(assignment ids, task ids) whose ratings read the instance."""
    if isinstance(instance, Assignment):
        return [instance.pk], []
    if isinstance(instance, Task):
        return [], [instance.pk]
    if isinstance(instance, Milestone | Indicator | Transition):
        return [], [instance.task_id]
    if isinstance(instance, Obligation):
        return [instance.assignment_id], []
    if isinstance(instance, Report):
        return list(
            Obligation.objects.filter(pk=instance.obligation_id).values_list("assignment_id", flat=True)
        ), []
    if isinstance(instance, IndicatorValue):
        return list(
            Report.objects.filter(pk=instance.report_id).values_list("obligation__assignment_id", flat=True)
        ), []
    return [], []


def saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if raw:  # loaddata: the loaded rows carry no snapshots
        return
    own, tasks = _targets(instance)
    touch(assignment_ids=own, task_ids=tasks)


def deleted(sender: Any, instance: Any, **_: Any) -> None:
    if isinstance(instance, Assignment):
        return  # its stamp and snapshots go with it
    own, tasks = _targets(instance)
    touch(assignment_ids=own, task_ids=tasks, create=False)


def changed(sender: Any, assignment_ids: list[int], task_ids: list[int], **_: Any) -> None:
    touch(assignment_ids=assignment_ids, task_ids=task_ids)


WATCHED = (Assignment, Task, Milestone, Indicator, Transition, Obligation, Report, IndicatorValue)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(saved, sender=model, dispatch_uid=f"ratings-saved-{model._meta.label_lower}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"ratings-deleted-{model._meta.label_lower}")
    rating_inputs_changed.connect(changed, dispatch_uid="ratings-inputs-changed")
