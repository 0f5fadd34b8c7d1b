"""Signals the tasks stage sends to the stages built on it, which must not be imported from here.

``assignments_created(assignments=...)``: new assignments exist (tasks created from a plan); the reports
stage gives each its reporting obligations at once, in the same transaction, so its unit sees what is
due today rather than after the nightly refresh.

Rating inputs, sent when the stages change what a rating reads without a model save (set-wise writes):

``rating_inputs_changed(assignment_ids=..., task_ids=...)``: the ratings stage marks the stored
rating snapshots of those assignments (and of every assignment of those tasks) stale. Single saves
and deletes of the models involved are caught by Django's own signals; this one is for bulk_create
and queryset ``update`` calls, which send none.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

rating_inputs_changed = Signal()
assignments_created = Signal()


def inputs_changed(*, assignment_ids: Iterable[int] = (), task_ids: Iterable[int] = ()) -> None:
    rating_inputs_changed.send(sender=None, assignment_ids=list(assignment_ids), task_ids=list(task_ids))
