"""The accountability register (监督问责): measures taken against units, in escalating weight."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import Task
from luoshi.units.models import Unit


class Kind(models.TextChoices):
    """The escalation ladder, lightest first (LADDER keeps this order)."""

    REMINDER = "reminder", _("reminder")
    URGING = "urging", _("written urging")
    TALK = "talk", _("talk")
    CRITICISM = "criticism", _("notice of criticism")
    REFERRAL = "referral", _("accountability referral")


LADDER: tuple[str, ...] = tuple(Kind.values)
WEIGHT: dict[str, int] = {kind: n for n, kind in enumerate(LADDER, start=1)}  # 1 = lightest … 5 = heaviest
NAMES: dict[str, tuple[str, str]] = {
    "reminder": ("提醒", "reminder"),
    "urging": ("书面督促", "written urging"),
    "talk": ("约谈", "talk"),
    "criticism": ("通报批评", "notice of criticism"),
    "referral": ("问责", "accountability referral"),
}


class Measure(models.Model):
    """One measure decided by the supervision office, for one or more units and (optionally) tasks."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    weight = models.PositiveSmallIntegerField()  # WEIGHT[kind], stored for ordering and reports
    units = models.ManyToManyField(Unit, related_name="measures")
    tasks = models.ManyToManyField(Task, blank=True, related_name="measures")
    reason = models.TextField()
    date = models.DateField()  # when it was decided
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("accountability measure")
        verbose_name_plural = _("accountability measures")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{NAMES[self.kind][0]} · {self.date}"


class Attachment(models.Model):
    """A document of a measure (the notice, the talk's minutes…), stored under MEDIA_ROOT like evidence."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="measures/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name

    class Meta:
        verbose_name = _("measure attachment")
        verbose_name_plural = _("measure attachments")
