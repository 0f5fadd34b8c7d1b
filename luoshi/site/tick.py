"""One pass of ``luoshi tick``: refresh report states, create what is due, send what is pending."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from luoshi.instructions.scan import sweep_instructions
from luoshi.lib import planner
from luoshi.notifications.models import ChannelKind
from luoshi.notifications.services import deliver_pending
from luoshi.ratings.rollup import trend_dates
from luoshi.ratings.snapshots import prune, warm
from luoshi.reports.isolation import Failures, report_failure
from luoshi.reports.services import refresh_states
from luoshi.review.deadlines import sweep as review_sweep
from luoshi.supervision.scan import ChaseCounts, sweep


@dataclass
class PassResult(ChaseCounts):
    """What one pass did: the supervision and instruction sweeps' counts (ChaseCounts), and the rest."""

    now: dt.datetime = field(kw_only=True)
    obligations_created: int = 0
    obligations_missing: int = 0
    review_reminders: int = 0  # notices about review deadlines (luoshi/review/deadlines.py)
    sent: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    gave_up: int = 0
    reclaimed: int = 0
    rated: int = 0  # assignments with today's rating snapshot stored
    skipped: list[str] = field(default_factory=list)  # steps and rows that failed and were skipped

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "obligations_created": self.obligations_created,
            "obligations_missing": self.obligations_missing,
            "rated": self.rated,
            "reminders": self.reminders,
            "urgings": self.urgings,
            "escalations": self.escalations,
            "warnings": self.warnings,
            "notices": self.notices,
            "unit_messages": self.unit_messages,
            "review_reminders": self.review_reminders,
            "sent": dict(self.sent),
            "failures": self.failures,
            "gave_up": self.gave_up,
            "reclaimed": self.reclaimed,
            "skipped": list(self.skipped),
        }

    def summary(self) -> str:
        sent = ", ".join(f"{kind} {self.sent[kind]}" for kind in self.sent)
        return (
            f"tick {timezone.localtime(self.now).isoformat(timespec='minutes')}: "
            f"reminders {self.reminders}, urgings {self.urgings}, escalations {self.escalations}, "
            f"warnings {self.warnings}, notices {self.notices}, "
            + (f"review reminders {self.review_reminders}, " if self.review_reminders else "")
            + f"sent ({sent}), failures {self.failures}"
            + (f", skipped {len(self.skipped)}" if self.skipped else "")
        )


def run_pass(*, now: dt.datetime | None = None) -> PassResult:
    """Do one pass as of ``now``; safe to repeat and to run in several processes at once.

    1. Refresh report states (obligations due, missing ones).
    2. Create the reminders, urgings, escalations and warnings now due, each
       with its in-app notices and queued deliveries (once per natural key), and
       the reminders of review deadlines (luoshi.review.deadlines); the same for leaders'
       instructions not answered in time (instructions.scan).
    3. Send the deliveries due by ``now``, each claimed by exactly one process.
    4. Store the rating snapshots of every assignment for today and the dashboard trend's quarter ends
       (the pages read them; only what changed is rated again) and drop old ones.
    5. Keep SQLite's planner statistics current (``luoshi.lib.planner``).
    """
    now = now or timezone.now()
    result = PassResult(now=now)
    failures = Failures()
    try:
        states = refresh_states(today=timezone.localdate(now), failures=failures)
        result.obligations_created = states.get("created", 0)
        result.obligations_missing = states.get("missing", 0)
    except Exception as exc:  # one failing step never stops the others; rows are isolated inside each
        _skip("refresh_states", exc, now=now, failures=failures)
    try:
        counts = sweep(now=now)
        failures.lines.extend(counts.failures.lines)
        result.add(counts)
    except Exception as exc:
        _skip("sweep", exc, now=now, failures=failures)
    try:
        result.review_reminders = review_sweep(now=now)
    except Exception as exc:
        _skip("review_deadlines", exc, now=now, failures=failures)
    try:
        chased = sweep_instructions(now=now)  # leaders' instructions not answered in time
        failures.lines.extend(chased.failures.lines)
        result.add(chased)
    except Exception as exc:
        _skip("instructions", exc, now=now, failures=failures)
    try:
        stats = deliver_pending(now=now)  # claims and sends in its own transactions
        result.sent = {kind: stats.sent.get(kind, 0) for kind in ChannelKind.values}
        result.failures, result.gave_up, result.reclaimed = stats.failures, stats.gave_up, stats.reclaimed
    except Exception as exc:
        _skip("deliver_pending", exc, now=now, failures=failures)
    try:
        result.rated = warm(dates=trend_dates(timezone.localdate(now))[::-1])  # today first
        prune(today=timezone.localdate(now))
    except Exception as exc:
        _skip("rating_snapshots", exc, now=now, failures=failures)
    try:
        planner.optimize()
    except Exception as exc:
        _skip("planner_statistics", exc, now=now, failures=failures)
    result.skipped = failures.lines
    return result


def _skip(step: str, exc: Exception, *, now: dt.datetime, failures: Failures) -> None:
    report_failure(None, step=step, exc=exc, now=now)
    failures.lines.append(f"{step}: {exc!r}")
