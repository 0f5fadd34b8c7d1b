"""Periodic reports (定期报告): what is due, what was submitted, with evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import Assignment, Indicator


class Obligation(models.Model):
    """A report due from an assignment for one period: a recorded fact, not a guess.

    status moves pending -> submitted (on time) / late (after due_date) /
    missing (due date passed, nothing submitted; may still become late).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SUBMITTED = "submitted", _("submitted on time")
        LATE = "late", _("submitted late")
        MISSING = "missing", _("missing")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="obligations")
    period = models.CharField(max_length=20)  # e.g. 2024-Q1, 2024-03, 2024-H1, 2024, or the custom date
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    first_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report obligation")
        verbose_name_plural = _("report obligations")
        ordering = ["assignment", "due_date"]
        # The API's page key, alone and after its state filter (GET /api/obligations?state=missing).
        indexes = [
            models.Index(fields=["due_date", "id"], name="obligation_page_key"),
            models.Index(fields=["state", "due_date", "id"], name="obligation_state_page_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="one_obligation_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.period}"


class Report(models.Model):
    """A submitted report. Never edited: a correction is a new version."""

    class Approval(models.TextChoices):
        NOT_REQUIRED = "not_required", _("counts without approval")
        PENDING = "pending", _("awaiting unit head")
        APPROVED = "approved", _("approved by unit head")
        RETURNED = "returned", _("returned by unit head")

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    progress = models.PositiveSmallIntegerField()  # percent 0..100
    narrative = models.TextField()
    problems = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    approval = models.CharField(max_length=20, choices=Approval.choices, default=Approval.NOT_REQUIRED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["obligation", "version"]
        # GET /api/reports?approval=pending pages by id among the few reports awaiting a head; the office
        # reads the latest submissions newest first (a backward range, not every report of the region).
        indexes = [
            models.Index(fields=["approval", "id"], name="report_approval_page_key"),
            models.Index(fields=["submitted_at", "id"], name="report_submitted_key"),
        ]
        constraints = [models.UniqueConstraint(fields=["obligation", "version"], name="one_report_version")]

    def __str__(self) -> str:
        return f"{self.obligation} v{self.version}"

    @property
    def counts(self) -> bool:
        return self.approval in COUNTING_APPROVALS


class IndicatorValue(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]


class Evidence(models.Model):
    """A file attached to a report, stored under MEDIA_ROOT (outside the web root)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


COUNTING_APPROVALS = frozenset({Report.Approval.NOT_REQUIRED.value, Report.Approval.APPROVED.value})
