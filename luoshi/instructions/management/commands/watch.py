"""luoshi watch: a leader's watch list (关注事项) — add or remove a task or a unit, mark it seen, or print
what changed since the last visit."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from luoshi.core.management.base import LuoshiCommand, _
from luoshi.instructions.management.commands.instruction import _found, user_arg
from luoshi.instructions.models import Watch
from luoshi.instructions.watch import mark_seen, unwatch, watch, watch_list
from luoshi.lib.errors import BilingualError
from luoshi.tasks.models import Task
from luoshi.units.cli import find_unit


class Command(LuoshiCommand):
    help = _(
        "A leader's watch list (关注事项): add or remove a task or a unit, mark it seen, or print the changes"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help=_("the leader's user name"))
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--task", type=int, help=_("task id"))
        which.add_argument("--unit", help=_("unit code (or name)"))
        parser.add_argument("--catalog", help=_("the catalog of the unit code when several have it"))
        parser.add_argument("--remove", action="store_true", help=_("stop watching the task or unit"))
        parser.add_argument(
            "--seen", action="store_true", help=_("mark the list as seen (changes count from now)")
        )
        parser.add_argument("--json", action="store_true", help=_("print JSON instead of lines"))

    def handle(self, *args: Any, **opts: Any) -> None:
        user = user_arg(opts["user"])
        try:
            self._run(user, opts)
        except (BilingualError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, user: Any, opts: dict[str, Any]) -> None:
        task = _found(Task, opts["task"], "任务", "task") if opts["task"] is not None else None
        unit = find_unit(opts["unit"], catalog=opts["catalog"]) if opts["unit"] else None
        if task is not None or unit is not None:
            if opts["remove"]:
                found = Watch.objects.filter(leader=user, task=task, unit=unit).first()
                if found is None:
                    raise CommandError("未关注此项。 / Not on the watch list.")
                unwatch(user=user, watched=found)
            else:
                watch(user=user, task=task, unit=unit)
        elif opts["remove"]:
            raise CommandError("--remove 须与 --task 或 --unit 同用。 / --remove needs --task or --unit.")
        listing = watch_list(user=user)
        if opts["seen"]:
            mark_seen(user=user)
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "seen_at": listing.seen_at.isoformat() if listing.seen_at else None,
                        "items": [
                            {
                                "id": i.watch.pk,
                                "task_id": i.watch.task_id,
                                "unit_id": i.watch.unit_id,
                                "label": i.label,
                                "since": i.since.isoformat(),
                                "changes": [
                                    {"kind": c.kind, "at": c.at.isoformat(), "text": c.zh, "text_en": c.en}
                                    for c in i.changes
                                ],
                            }
                            for i in listing.items
                        ],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for item in listing.items:
            self.stdout.write(f"{item.watch.pk}\t{item.label}\t{len(item.changes)}")
            for change in item.changes:
                self.stdout.write(f"\t{change.at:%Y-%m-%d}\t{change.kind}\t{change.zh}")
