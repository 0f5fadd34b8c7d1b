"""Leaders' instructions (领导批示), their handling by the owning units (批示件办理), and a leader's
watch list (关注事项).

An instruction is written on one subject — a task, a unit's work, a report or a bulletin — and
handled by one or more owners: a ``Handling`` per owning unit (or the supervision office itself,
``unit`` empty, for a bulletin addressed to nobody else). The unit's liaison drafts the response,
its head approves it when the unit's reports need the head's approval, and the office and the
leader see it. ``Chase`` rows are the reminders, urgings and escalations ``luoshi tick`` sent about
a handling, keyed like the supervision records so that none is sent twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.bulletins.models import Bulletin
from luoshi.reports.models import Report
from luoshi.tasks.models import Task
from luoshi.units.models import Unit


class Subject(models.TextChoices):
    TASK = "task", _("task")
    UNIT = "unit", _("a unit's work")
    REPORT = "report", _("report")
    BULLETIN = "bulletin", _("bulletin")


class Instruction(models.Model):
    """A leader's instruction on one subject, with the date its handling is due."""

    subject = models.CharField(max_length=20, choices=Subject.choices)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    text = models.TextField(_("instruction"))
    due_date = models.DateField(_("answer by"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    in_bulletin = models.BooleanField(_("cited in bulletins"), default=False)  # the office's choice

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["leader", "created_at"], name="instruction_leader")]
        constraints = [
            models.CheckConstraint(
                name="instruction_names_its_subject",
                condition=(
                    Q(
                        subject="task",
                        task__isnull=False,
                        unit__isnull=True,
                        report__isnull=True,
                        bulletin__isnull=True,
                    )
                    | Q(
                        subject="unit",
                        unit__isnull=False,
                        task__isnull=True,
                        report__isnull=True,
                        bulletin__isnull=True,
                    )
                    | Q(
                        subject="report",
                        report__isnull=False,
                        task__isnull=False,
                        unit__isnull=True,
                        bulletin__isnull=True,
                    )
                    | Q(
                        subject="bulletin",
                        bulletin__isnull=False,
                        task__isnull=True,
                        unit__isnull=True,
                        report__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return gettext("Instruction of %(date)s: %(text)s") % {
            "date": f"{self.created_at:%Y-%m-%d}",
            "text": text if len(text) <= 30 else text[:30] + "…",
        }


class Handling(models.Model):
    """One owner's handling of an instruction (批示件办理): the response, and the head's approval of it."""

    class State(models.TextChoices):
        OPEN = "open", _("to be handled")
        AWAITING_HEAD = "awaiting_head", _("awaiting the unit head")
        RETURNED = "returned", _("returned for revision")
        DONE = "done", _("answered")

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="handlings")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="handlings")
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    response = models.TextField(_("response"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)  # when the answer reached the office

    class Meta:
        verbose_name = _("instruction handling")
        verbose_name_plural = _("instruction handlings")
        ordering = ["instruction", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instruction", "unit"], name="one_handling_per_unit"),
            models.UniqueConstraint(
                fields=["instruction"], condition=Q(unit__isnull=True), name="one_office_handling"
            ),
        ]

    def __str__(self) -> str:
        owner = (
            self.unit.name
            if self.unit_id is not None and self.unit is not None
            else gettext("supervision office")
        )
        return f"{self.instruction} · {owner}"

    def overdue_on(self, today: dt.date) -> bool:
        return self.state != self.State.DONE and self.instruction.due_date < today


class Chase(models.Model):
    """A reminder, urging or escalation the supervision pass sent about a handling not answered in time."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder")
        URGING = "urging", _("urging")
        ESCALATION = "escalation", _("escalation")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    handling = models.ForeignKey(Handling, on_delete=models.CASCADE, related_name="chases")
    due_date = models.DateField()
    days = models.IntegerField()  # days before the due date (reminder) or overdue (urging, escalation)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("instruction follow-up")
        verbose_name_plural = _("instruction follow-ups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class Watch(models.Model):
    """A task or a unit on a leader's watch list (关注事项)."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("watched item")
        verbose_name_plural = _("watched items")
        ordering = ["leader", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="watch_names_a_task_or_a_unit",
                condition=Q(task__isnull=False, unit__isnull=True) | Q(task__isnull=True, unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["leader", "task"], condition=Q(task__isnull=False), name="one_watch_per_task"
            ),
            models.UniqueConstraint(
                fields=["leader", "unit"], condition=Q(unit__isnull=False), name="one_watch_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.task or self.unit}"


class WatchVisit(models.Model):
    """When the leader last marked the watch list as seen: changes are shown from then on."""

    leader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_visit"
    )
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("watch list visit")
        verbose_name_plural = _("watch list visits")

    def __str__(self) -> str:
        return f"{self.leader} · {self.seen_at:%Y-%m-%d %H:%M}"
