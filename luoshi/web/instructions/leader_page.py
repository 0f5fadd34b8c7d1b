"""The leader's page: the instructions the leader wrote with their state and answers, the watch list
(关注事项) with what changed since the last visit, and where to write a new instruction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from luoshi.bulletins.access import visible_bulletins
from luoshi.instructions.watch import WatchList, watch_list
from luoshi.units.models import Unit
from luoshi.web.instructions.pages import InstructionList, instruction_list

BULLETINS_OFFERED = 20


@dataclass
class LeaderPage:
    instructions: InstructionList
    watch: WatchList
    units: list[Unit]  # units with work: to watch, or to instruct on
    bulletins: list[Any]  # the latest issued bulletins, to instruct on


def unit_choices() -> list[Unit]:
    return list(Unit.objects.filter(assignments__isnull=False).distinct().order_by("name"))


def leader_page(*, user: Any, today: dt.date, now: dt.datetime, state: str = "", page: Any = 1) -> LeaderPage:
    return LeaderPage(
        instructions=instruction_list(user=user, today=today, state=state, page=page, leader=user),
        watch=watch_list(user=user, now=now),
        units=unit_choices(),
        bulletins=list(visible_bulletins(user).order_by("-issued_at", "-pk")[:BULLETINS_OFFERED]),
    )
