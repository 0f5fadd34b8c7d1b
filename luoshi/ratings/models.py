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


class RatingStamp(models.Model):
    """A token that changes whenever anything an assignment's rating reads changes.

    Written by ``snapshots.touch`` (from model signals and the set-wise services); a snapshot is valid
    only while it carries the assignment's current token. A fresh random token, never a counter, so a
    stale in-memory value written back can never make an old snapshot valid again.
    """

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="rating_stamp"
    )
    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("rating stamp")
        verbose_name_plural = _("rating stamps")


class RatingSnapshot(models.Model):
    """The computed rating of an assignment as of a date, kept while its inputs are unchanged.

    Derived data (a cache the roll-ups read): ``ratings.snapshots`` computes a missing or stale one
    with the same rule as ``services.rate``; overrides are not in it (they are read from Rating).
    reports_*: the assignment's reporting record as of the date (due, on time, late, missing).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="rating_snapshots")
    as_of = models.DateField()
    token = models.BigIntegerField()
    rule = models.BigIntegerField()  # snapshots.RULE: a new release's rule never reads an old one's snapshots
    rag = models.CharField(max_length=10, choices=Rag.choices)
    confidence = models.PositiveSmallIntegerField()
    planned = models.FloatField()
    actual = models.FloatField()
    reasons = models.JSONField(default=list)
    reasons_en = models.JSONField(default=list)
    reports_due = models.PositiveIntegerField(default=0)
    reports_on_time = models.PositiveIntegerField(default=0)
    reports_late = models.PositiveIntegerField(default=0)
    reports_missing = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rating snapshot")
        verbose_name_plural = _("rating snapshots")
        constraints = [models.UniqueConstraint(fields=["as_of", "assignment"], name="one_snapshot_per_date")]


class TrendPoint(models.Model):
    """One point of a trend (tasks by rating, average progress and plan) for a scope and date, stored under
    a key that hashes everything it was computed from (``ratings.trend``): derived data, never updated; a
    change to any input makes a new key, and ``snapshots.prune`` drops the old rows."""

    key = models.CharField(max_length=64, unique=True)
    as_of = models.DateField()
    green = models.PositiveIntegerField()
    amber = models.PositiveIntegerField()
    red = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    progress = models.FloatField(null=True)
    planned = models.FloatField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("trend point")
        verbose_name_plural = _("trend points")


# Caches that a read may fill (a page computing a rating stores it): not data, so a GET that writes them
# still changes nothing a user made, and comparisons of the database before and after leave them out.
DERIVED_MODELS: tuple[type[models.Model], ...] = (RatingSnapshot, RatingStamp, TrendPoint)
