"""Confirmed tasks (任务), their owners, milestones, indicators and lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.decomposition.models import PlanTask
from luoshi.documents.models import Document, Section
from luoshi.units.models import Unit


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")
    CUSTOM = "custom", _("custom dates")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETION_REQUESTED = "completion_requested", _("completion requested")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


# The open tasks, between 交办 and 办结: their units owe reports (obligations of other tasks are never marked
# missing), may be urged and count as open work. The one list; other stages import it from here.
REPORTING_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED)


class Task(models.Model):
    """A confirmed task of a decision, traceable to the words it came from."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="tasks")
    plan_task = models.OneToOneField(
        PlanTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="task"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    number = models.CharField(max_length=20, blank=True)  # 序号 in the task table
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("task text"))
    spans = models.JSONField(default=list)
    heading_path = models.JSONField(default=list)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_tasks")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_tasks")
    start_date = models.DateField()
    deadline = models.DateField()
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY)
    custom_dates = models.JSONField(default=list, blank=True)  # ISO dates when cadence is custom
    report_day = models.PositiveSmallIntegerField(default=0)  # days after period end a report is due
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["document", "id"]
        indexes = [models.Index(fields=["document", "id"], name="task_page_key")]  # the API's page key

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField()
    expected_progress = models.PositiveSmallIntegerField()  # percent, 0..100
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "date"]


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit_of_measure = models.CharField(max_length=40, blank=True)
    baseline = models.DecimalField(max_digits=20, decimal_places=4)
    target = models.DecimalField(max_digits=20, decimal_places=4)
    baseline_date = models.DateField()
    target_date = models.DateField()
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INCREASE)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A unit's share of a task: lead, co-operating, or a cascaded lower-level share."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")
        CO = "co", _("co-operating unit")
        SHARE = "share", _("lower-level share")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    deadline = models.DateField()  # its own deadline (a share may end earlier than the task)
    indicator_targets = models.JSONField(default=dict, blank=True)  # {indicator_id: target} for shares
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "id"]
        indexes = [models.Index(fields=["task", "id"], name="assignment_page_key")]  # the API's page key
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="one_assignment_per_unit_and_task")
        ]

    def __str__(self) -> str:
        try:
            role = str(
                self.Role(self.role).label
            )  # get_role_display() is slower: the audit names many at once
        except ValueError:
            role = self.role
        return gettext("%(task)s · %(unit)s (%(role)s)") % {
            "task": self.task,
            "unit": self.unit,
            "role": role,
        }


class Transition(models.Model):
    """One step of a task's lifecycle: who moved it, when, why."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["task", "at", "id"]
