"""What the stages above bulletins lend them: accountability (监督问责), effect evaluation (跟踪问效) and
leaders' instructions (领导批示).

Bulletins stand below those apps (docs/architecture.md "The dependency rule") and import none of them:
each app, when installed, gives its part in its ``AppConfig.ready`` through ``provide``, and an app that
is not installed leaves its part ``None``, so the bulletin has no such section. The parts:

- accountability: ``measures_in_period(*, start, end)`` → the measures (``kind``, ``units``, ``tasks``,
  ``reason``, ``date``) dated in the period, and ``kind_names(kind)`` → (中文, English);
- evaluation: ``latest_evaluations(*, as_of)`` → each task's latest evaluation by the end of the date
  (``effect``), by task id, and ``closed_on(task_ids, *, as_of)`` → the closures (销号) by task id;
- instructions: ``instructions_in_period(start, end, *, as_of, task_ids, unit_ids)`` → the
  ``InstructionItem`` lines a bulletin cites, and ``instruction_ledger(*, as_of)`` → the ledger's
  ``LedgerInstruction`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from typing import Any

from django.utils import translation

from luoshi.bulletins.data import InstructionItem, LedgerInstruction, Measure
from luoshi.ratings.facts import local_day


@dataclass
class Sources:
    measures_in_period: Callable[..., list[Any]] | None = None
    kind_names: Callable[[str], tuple[str, str]] | None = None
    latest_evaluations: Callable[..., dict[int, Any]] | None = None
    closed_on: Callable[..., dict[int, Any]] | None = None
    instructions_in_period: Callable[..., list[InstructionItem]] | None = None
    instruction_ledger: Callable[..., list[LedgerInstruction]] | None = None


SOURCES = Sources()


def provide(**parts: Callable[..., Any]) -> None:
    """An installed app gives its parts (names as in ``Sources``); called from its ``AppConfig.ready``."""
    known = {f.name for f in fields(Sources)}
    if unknown := set(parts) - known:
        raise TypeError(f"unknown bulletin source {sorted(unknown)}; known: {sorted(known)}")
    for name, part in parts.items():
        setattr(SOURCES, name, part)


def accountability_installed() -> bool:
    return SOURCES.measures_in_period is not None


def evaluation_installed() -> bool:
    return SOURCES.latest_evaluations is not None


def measures_in_period(
    start: dt.date,
    end: dt.date,
    *,
    task_ids: Collection[int] | None = None,
    unit_ids: Collection[int] | None = None,
) -> list[Measure] | None:
    """Accountability measures dated in the period, None when the accountability app is absent.

    With ``task_ids``/``unit_ids`` (a scoped bulletin) a measure is kept when
    it names one of those tasks, or names no task but one of those units.
    """
    if SOURCES.measures_in_period is None:
        return None
    out = []
    for m in SOURCES.measures_in_period(start=start, end=end):
        units = list(m.units.all())
        tasks = list(m.tasks.all())
        if task_ids is not None and tasks and not any(t.pk in task_ids for t in tasks):
            continue
        if unit_ids is not None and not tasks and not any(u.pk in unit_ids for u in units):
            continue
        out.append(
            Measure(
                unit="、".join(u.name for u in units),
                kind=_kind_name(m.kind),
                subject="、".join(t.title for t in tasks),
                date=m.date,
                detail=m.reason,
            )
        )
    return out


def _kind_name(kind: str) -> str:
    try:
        return str(SOURCES.kind_names(kind)[0]) if SOURCES.kind_names else kind
    except KeyError:
        return kind


def latest_effects(*, as_of: dt.date) -> dict[int, str] | None:
    """Each task's latest effect rating evaluated by the date ("显著", "良好"…) by task id (tasks never
    evaluated by then are absent); None when the evaluation app is absent."""
    if SOURCES.latest_evaluations is None:
        return None
    # Bulletins and ledgers are Chinese documents, whatever language the person asking for one reads.
    with translation.override("zh-hans"):
        return {
            task_id: str(e.get_effect_display())
            for task_id, e in SOURCES.latest_evaluations(as_of=as_of).items()
        }


def measures_by_assignment(*, as_of: dt.date) -> dict[tuple[int, int], list[str]] | None:
    """Measures dated up to the date, as "2024年3月2日约谈" lines keyed by (task id, unit id);
    a measure naming units but no task is keyed by (0, unit id). None when the app is absent."""
    if SOURCES.measures_in_period is None:
        return None
    out: dict[tuple[int, int], list[str]] = {}
    for m in SOURCES.measures_in_period(start=dt.date(1900, 1, 1), end=as_of):
        text = f"{m.date.year}年{m.date.month}月{m.date.day}日{_kind_name(m.kind)}"
        task_ids = [t.pk for t in m.tasks.all()] or [0]
        for unit in m.units.all():
            for task_id in task_ids:
                out.setdefault((task_id, unit.pk), []).append(text)
    return out


def instructions_in_period(
    start: dt.date,
    end: dt.date,
    *,
    as_of: dt.date,
    task_ids: Collection[int] | None = None,
    unit_ids: Collection[int] | None = None,
) -> list[InstructionItem]:
    """Leaders' instructions the office chose to cite, as the bulletin says them; [] when that app is absent.
    A scoped bulletin keeps those on one of its tasks, or on a unit's work (or owned by a unit) in its scope."""
    if SOURCES.instructions_in_period is None:
        return []
    return SOURCES.instructions_in_period(start, end, as_of=as_of, task_ids=task_ids, unit_ids=unit_ids)


def closures(*, task_ids: Collection[int], as_of: dt.date) -> dict[int, tuple[dt.date, str]]:
    """The tasks closed (销号) by the date: (the day, the closing note) by task id; {} without the app."""
    if SOURCES.closed_on is None:
        return {}
    return {
        pk: (local_day(c.closed_at), c.note) for pk, c in SOURCES.closed_on(task_ids, as_of=as_of).items()
    }


def instruction_ledger(*, as_of: dt.date) -> list[LedgerInstruction] | None:
    """Every owner's handling of the instructions issued by the date, as it stood on the date; None when the
    instructions app is absent."""
    return None if SOURCES.instruction_ledger is None else SOURCES.instruction_ledger(as_of=as_of)
