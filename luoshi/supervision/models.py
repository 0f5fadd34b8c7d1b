"""Supervision (督办): reminders, urgings, escalations, warnings and extension requests.

Every reminder, urging, escalation and warning is a recorded fact with a
natural ``key`` under a unique constraint (e.g. "reminder:report:obligation=12:
due=2024-04-10:days=7"), so a second pass of ``luoshi tick`` — or a second
process at the same moment — cannot create it twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.reports.models import Obligation
from luoshi.tasks.models import Assignment, Cadence


class Subject(models.TextChoices):
    REPORT = "report", _("periodic report")
    DEADLINE = "deadline", _("deadline")


class ReminderPolicy(models.Model):
    """How many days before a due date a reminder goes out.

    Report reminders are per cadence (monthly, quarterly, …); deadline
    reminders leave the cadence blank. Several rows for one subject and
    cadence give several reminders (e.g. 30 and 7 days before a deadline).
    """

    subject = models.CharField(max_length=20, choices=Subject.choices)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, blank=True)
    days_before = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        ordering = ["subject", "cadence", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "cadence", "days_before"], name="one_reminder_policy_per_offset"
            )
        ]

    def __str__(self) -> str:
        what = f"{self.get_subject_display()} {self.cadence}".strip()
        return f"{what}: {self.days_before} days before"


class Reminder(models.Model):
    """A reminder sent before a report is due or before an assignment's deadline."""

    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    due_date = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class Urging(models.Model):
    """A formal urging notice (催办): something overdue, since when, and the response required by a date."""

    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="urgings")
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="urgings"
    )
    due_date = models.DateField(_("overdue since the day after"))
    days_overdue = models.PositiveIntegerField()  # when the urging was issued
    required_response = models.TextField()
    respond_by = models.DateField()
    created_at = models.DateTimeField()
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("urging")
        verbose_name_plural = _("urgings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at", "id"], name="urging_page_key")]  # the API's page key

    def __str__(self) -> str:
        return self.key


class Escalation(models.Model):
    """An urged matter still overdue after LUOSHI_ESCALATION_DAYS, raised to the supervisors and unit head."""

    key = models.CharField(max_length=200, unique=True)
    urging = models.OneToOneField(Urging, on_delete=models.CASCADE, related_name="escalation")
    days_overdue = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class Warning(models.Model):
    """A yellow (deadline near, work not done) or red (deadline passed) warning (黄牌/红牌预警)."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("yellow warning")
        RED = "red", _("red warning")

    key = models.CharField(max_length=200, unique=True)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="warnings")
    level = models.CharField(max_length=10, choices=Level.choices)
    deadline = models.DateField()  # the deadline it refers to (an extension brings a new one)
    reason = models.TextField()
    reason_en = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class ExtensionRequest(models.Model):
    """A unit's request to move its deadline (延期申请), and the supervisor's decision. History keeps both dates."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.old_deadline} → {self.new_deadline} ({self.get_status_display()})"
