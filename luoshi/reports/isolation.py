"""One bad row never stops supervision: each task's (assignment's) step of a pass runs in its own
savepoint; a failure is rolled back, logged, recorded in the audit log and told to the office
(an in-app notice to every supervisor, once a day per row and step), and the pass goes on.
Rows are committed in batches (``run_batched``): isolated one by one, written many to a transaction.

Used by ``reports.services.refresh_states`` and ``supervision.scan.sweep`` (``luoshi tick``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.audit.services import record
from luoshi.notifications.services import absolute_url, notify

log = logging.getLogger("luoshi.supervision")
T = TypeVar("T")
BATCH_SIZE = 200  # rows per transaction: a commit per row was most of a pass's time on SQLite


@dataclass
class Failures:
    """The rows a pass skipped, as "step: object: error" lines."""

    lines: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)


class isolated:
    """``with isolated(obj, step=..., failures=...):`` runs the block in a savepoint and swallows
    (after recording) any Exception it raises; ``failed`` tells afterwards whether it did.

    ``savepoint=False`` is for blocks that only compute (no query): they have nothing to roll back, and
    a savepoint outside a transaction is a whole transaction (SQLite: a write lock and a commit) per row.
    """

    def __init__(
        self,
        obj: Model,
        *,
        step: str,
        failures: Failures | None = None,
        now: dt.datetime | None = None,
        savepoint: bool = True,
    ) -> None:
        self.obj, self.step, self.failures, self.now = obj, step, failures, now
        self._atomic = transaction.atomic() if savepoint else None
        self.failed = False

    def __enter__(self) -> isolated:
        if self._atomic is not None:
            self._atomic.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if self._atomic is not None:
            self._atomic.__exit__(kind, exc, tb)  # rolls the savepoint back on an exception
        if exc is None or not isinstance(exc, Exception):
            return False
        self.failed = True
        report_failure(self.obj, step=self.step, exc=exc, now=self.now)
        if self.failures is not None:
            self.failures.lines.append(f"{self.step}: {self.obj._meta.label_lower}#{self.obj.pk}: {exc!r}")
        return True


def run_batched(
    rows: Sequence[tuple[Model, Callable[[], T]]],
    *,
    step: str,
    failures: Failures | None = None,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[T]:
    """Run each row's work in its own savepoint (``isolated``), ``batch_size`` rows to a transaction.

    One commit per batch instead of one per row; a row that fails is still rolled back alone, recorded
    and skipped. Should a batch fail as a whole (its commit), its rows are run again, one transaction
    each. Returns the results of the rows that succeeded, in order, once their batch is committed.
    """
    done: list[T] = []
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        try:
            with _batch():
                results, lines = _run_rows(batch, step=step, now=now)
        except Exception:
            log.warning(
                "supervision step %s: a batch of %d rows failed; retrying one row at a time",
                step,
                len(batch),
                exc_info=True,
            )
            results, lines = _run_rows(batch, step=step, now=now)
        done += results
        if failures is not None:
            failures.lines += lines.lines
    return done


def _batch() -> transaction.Atomic:
    """The transaction of one batch (a function of its own so that a test can make its commit fail)."""
    return transaction.atomic()


def _run_rows(
    batch: Sequence[tuple[Model, Callable[[], T]]], *, step: str, now: dt.datetime | None
) -> tuple[list[T], Failures]:
    results: list[T] = []
    lines = Failures()  # kept apart until the batch is committed, so that a retried batch reports once
    for obj, work in batch:
        with isolated(obj, step=step, failures=lines, now=now) as row:
            result = work()
        if not row.failed:
            results.append(result)
    return results, lines


def report_failure(obj: Model | None, *, step: str, exc: Exception, now: dt.datetime | None = None) -> None:
    """Log the failure, add an audit entry on the object (when there is one) and tell the supervisors
    (once a day per step and object)."""
    now = now or timezone.now()
    label = f"{obj._meta.label_lower}#{obj.pk}" if obj is not None else "pass"
    log.error("supervision step %s failed for %s; skipped", step, label, exc_info=exc)
    error = f"{type(exc).__name__}: {exc}"[:500]
    what = str(obj) if obj is not None else step
    try:
        with transaction.atomic():
            task_id = None
            if obj is not None:
                record(
                    action="update",
                    obj=obj,
                    at=now,
                    note=f"督办巡检跳过此项（{step}）：{error} / Skipped by the supervision pass ({step}): {error}",
                )
                task_id = getattr(obj, "task_id", None) or (
                    obj.pk if obj._meta.label_lower == "tasks.task" else None
                )
            recipients = [
                p.user
                for p in Profile.objects.filter(role=Role.SUPERVISOR, user__is_active=True)
                .select_related("user")
                .order_by("user_id")
            ]
            notify(
                recipients=recipients,
                kind="pass_failure",
                title=f"【巡检异常】{what}（{step}）未能处理 / The supervision pass skipped {what} ({step})"[
                    :200
                ],
                body=f"其他事项照常处理，请检查此项数据。 / Everything else went on; please check this row.\n{error}",
                link=absolute_url(f"tasks/{task_id}/") if task_id else absolute_url("office/"),
                key=f"pass_failure:{step}:{label}:{timezone.localdate(now)}",
                now=now,
            )
    except Exception:  # recording must not stop the pass either
        log.exception("could not record the failure of %s", label)
