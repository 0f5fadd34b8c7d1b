"""Task division (任务分工): a draft plan of proposed tasks for a document.

Nothing is final until a person confirms the plan; every task keeps the
spans of the words it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.documents.models import Document
from luoshi.units.models import Unit


class Plan(models.Model):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    STATUSES = [(DRAFT, _("draft")), (CONFIRMED, _("confirmed"))]

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="plans")
    catalog = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=STATUSES, default=DRAFT)
    version = models.PositiveIntegerField(default=1)
    coverage = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("task division")
        verbose_name_plural = _("task divisions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Said in the language active when shown (an audit entry's page composes it again there).
        return gettext("task division #%(number)s · %(document)s") % {
            "number": self.pk,
            "document": self.document,
        }

    @property
    def is_draft(self) -> bool:
        return self.status == self.DRAFT


class PlanTask(models.Model):
    KINDS = [
        ("task", _("actionable task")),
        ("recurring", _("recurring duty")),
        ("principle", _("principle or goal")),
        ("preamble", _("preamble")),
        ("review", _("review of past work")),
        ("other", _("other")),
    ]
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    STATUSES = [(PROPOSED, _("proposed")), (ACCEPTED, _("accepted")), (REJECTED, _("rejected"))]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=KINDS)
    status = models.CharField(max_length=20, choices=STATUSES, default=PROPOSED)
    origin = models.CharField(
        max_length=20, default="proposed"
    )  # proposed / manual / imported / merged / split
    title = models.CharField(max_length=200)
    text = models.TextField()
    spans = models.JSONField(default=list)  # [[start, end], ...] in the document's normalized text
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    heading_path = models.JSONField(default=list)
    actions = models.JSONField(default=list)
    targets = models.JSONField(default=list)
    deadlines = models.JSONField(default=list)
    programmes = models.JSONField(default=list)
    units_in_text = models.JSONField(default=list)
    lead_suggestions = models.JSONField(default=list)
    co_suggestions = models.JSONField(default=list)
    lead_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    deadline = models.DateField(null=True, blank=True)
    # A tasks.Cadence other than "custom"; None: the cadence chosen when the tasks are created.
    cadence = models.CharField(max_length=20, null=True, blank=True)
    # Set in review, added to the task when it is created (decomposition/schedule.py checks them):
    milestones = models.JSONField(default=list, blank=True)  # [{date, expected_progress, title}] by date
    indicators = models.JSONField(
        default=list, blank=True
    )  # [{name, unit_of_measure, baseline, target, direction}]
    # A row of a task-division table: {table, row, number, cells: {role: [start, end]}, unmatched, linked…}
    # (decomposition/tables.py); empty for a task proposed from the text.
    table_source = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("task division item")
        verbose_name_plural = _("task division items")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_actionable(self) -> bool:
        return self.kind in {"task", "recurring"}
