"""Ratings of assignments against their planned trajectory (对标对表), with history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import Assignment


class Rag(models.TextChoices):
    GREEN = "green", _("on track")
    AMBER = "amber", _("at risk")
    RED = "red", _("off track")


class Rating(models.Model):
    """One rating of an assignment as of a date; a new row for each change, never updated.

    confidence: optional 5-level delivery confidence (5 = highly likely … 1 = highly unlikely).
    reasons: the rule outcomes in words, e.g. "进度42%，按计划应达60%，落后18个百分点".
    An override by a supervisor is a new row with ``overridden=True`` and a reason.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="ratings")
    period = models.CharField(max_length=20, blank=True)
    as_of = models.DateField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_progress = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    actual_progress = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    reasons = models.JSONField(default=list)
    reasons_en = models.JSONField(default=list)
    overridden = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assignment", "as_of", "id"]
        indexes = [models.Index(fields=["assignment", "as_of"])]

    def __str__(self) -> str:
        return f"{self.assignment} {self.as_of} {self.get_rag_display()}"
