"""Bridges to apps that may not be installed: accountability (监督问责) and evaluation (跟踪问效).

They are imported lazily and only when in INSTALLED_APPS, so luoshi.bulletins
works with or without them. The contracts used:

- ``luoshi.accountability.services.measures_in_period(*, start, end)`` → the
  measures (``kind``, ``units``, ``tasks``, ``reason``, ``date``) dated in the
  period, and ``kind_names(kind)`` → (中文, English);
- ``luoshi.evaluation.services.latest_evaluations(*, as_of)`` → each task's
  latest evaluation by the end of the date (``effect``), by task id.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Collection
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils import translation

from luoshi.bulletins.data import InstructionItem, LedgerInstruction, Measure
from luoshi.ratings.facts import local_day


def _services(app: str) -> ModuleType | None:
    if not apps.is_installed(app):
        return None
    try:
        return importlib.import_module(f"{app}.services")
    except ImportError:
        return None


def accountability_installed() -> bool:
    return _services("luoshi.accountability") is not None


def evaluation_installed() -> bool:
    return _services("luoshi.evaluation") is not None


def measures_in_period(start: dt.date, end: dt.date, *, task_ids: Collection[int] | None = None,
                       unit_ids: Collection[int] | None = None) -> list[Measure] | None:
    """Accountability measures dated in the period, None when the accountability app is absent.

    With ``task_ids``/``unit_ids`` (a scoped bulletin) a measure is kept when
    it names one of those tasks, or names no task but one of those units.
    """
    services = _services("luoshi.accountability")
    if services is None:
        return None
    out = []
    for m in services.measures_in_period(start=start, end=end):
        units = list(m.units.all())
        tasks = list(m.tasks.all())
        if task_ids is not None and tasks and not any(t.pk in task_ids for t in tasks):
            continue
        if unit_ids is not None and not tasks and not any(u.pk in unit_ids for u in units):
            continue
        out.append(Measure(
            unit="、".join(u.name for u in units), kind=_kind_name(services, m.kind),
            subject="、".join(t.title for t in tasks), date=m.date, detail=m.reason,
        ))
    return out


def _kind_name(services: ModuleType, kind: str) -> str:
    names: Any = getattr(services, "kind_names", None)
    try:
        return str(names(kind)[0]) if names else kind
    except KeyError:
        return kind


def latest_effects(*, as_of: dt.date) -> dict[int, str] | None:
    """Each task's latest effect rating evaluated by the date ("显著", "良好"…) by task id (tasks never
    evaluated by then are absent); None when the evaluation app is absent."""
    services = _services("luoshi.evaluation")
    if services is None:
        return None
    # Bulletins and ledgers are Chinese documents, whatever language the person asking for one reads.
    with translation.override("zh-hans"):
        return {task_id: str(e.get_effect_display()) for task_id, e in services.latest_evaluations(as_of=as_of).items()}


def measures_by_assignment(*, as_of: dt.date) -> dict[tuple[int, int], list[str]] | None:
    """Measures dated up to the date, as "2024年3月2日约谈" lines keyed by (task id, unit id);
    a measure naming units but no task is keyed by (0, unit id). None when the app is absent."""
    services = _services("luoshi.accountability")
    if services is None:
        return None
    out: dict[tuple[int, int], list[str]] = {}
    for m in services.measures_in_period(start=dt.date(1900, 1, 1), end=as_of):
        text = f"{m.date.year}年{m.date.month}月{m.date.day}日{_kind_name(services, m.kind)}"
        task_ids = [t.pk for t in m.tasks.all()] or [0]
        for unit in m.units.all():
            for task_id in task_ids:
                out.setdefault((task_id, unit.pk), []).append(text)
    return out


def instructions_in_period(start: dt.date, end: dt.date, *, as_of: dt.date, task_ids: Collection[int] | None = None,
                           unit_ids: Collection[int] | None = None) -> list[InstructionItem]:
    """Leaders' instructions the office chose to cite (``luoshi.instructions.services.cited_instructions``),
    as the bulletin says them; [] when that app is absent. A scoped bulletin keeps those on one of its
    tasks, or on a unit's work (or owned by a unit) in its scope."""
    services = _services("luoshi.instructions")
    if services is None:
        return []
    from luoshi.instructions.words import owner_words, person, subject_words

    out = []
    for i in services.cited_instructions(start=start, end=end, as_of=as_of):
        handlings = list(i.handlings.all())
        owners = {h.unit_id for h in handlings if h.unit_id is not None}
        if task_ids is not None and unit_ids is not None:
            in_scope = i.task_id in task_ids if i.task_id is not None else bool({i.unit_id, *owners} & set(unit_ids))
            if not in_scope:
                continue
        answered = services.answered_on(i, as_of=as_of)
        state = "已办复" if answered else ("逾期未办复" if i.due_date < as_of else "办理中")
        responses = [f"{owner_words(h.unit)[0]}：{h.response}" for h in handlings
                     if h.responded_at is not None and local_day(h.responded_at) <= as_of]
        out.append(InstructionItem(
            leader=person(i.leader), date=local_day(i.created_at), subject=subject_words(i)[0], text=i.text,
            due_date=i.due_date, owners=[owner_words(h.unit)[0] for h in handlings], state=state,
            answered_on=answered, responses=responses))
    return out


def closures(*, task_ids: Collection[int], as_of: dt.date) -> dict[int, tuple[dt.date, str]]:
    """The tasks closed (销号) by the date: (the day, the closing note) by task id; {} without the app."""
    services = _services("luoshi.evaluation")
    if services is None or not hasattr(services, "closed_on"):
        return {}
    return {pk: (local_day(c.closed_at), c.note) for pk, c in services.closed_on(task_ids, as_of=as_of).items()}


HANDLING_ZH = {"open": "待办理", "awaiting_head": "待单位负责人审核", "returned": "已退回修改", "done": "已办复"}


def instruction_ledger(*, as_of: dt.date) -> list[LedgerInstruction] | None:
    """Every owner's handling of the instructions issued by the date (``data.LedgerInstruction``), as it
    stood on the date; None when the instructions app is absent."""
    services = _services("luoshi.instructions")
    if services is None:
        return None
    from luoshi.instructions.words import owner_words, person, subject_words

    rows = []
    for i in services.issued_by(as_of=as_of):
        for h in i.handlings.all():
            answered = local_day(h.responded_at) if h.responded_at and local_day(h.responded_at) <= as_of else None
            # Answered later than the date: as it stood then, it was still to be handled.
            state = "已办复" if answered else HANDLING_ZH["open" if h.state == "done" else h.state]
            if answered is None and i.due_date < as_of:
                state = f"逾期（{state}）"
            rows.append(LedgerInstruction(
                instruction_id=i.pk, date=local_day(i.created_at), leader=person(i.leader), subject=subject_words(i)[0],
                text=i.text, due_date=i.due_date, owner=owner_words(h.unit)[0], state=state, answered_on=answered,
                response=h.response if answered else "", approved_by=person(h.approved_by) if answered else ""))
    return rows
