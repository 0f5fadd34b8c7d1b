"""Bulletins (检查通报) as issued, and the good practice a supervisor picked from reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.bulletins.errors import BulletinError
from luoshi.documents.models import Document
from luoshi.reports.models import Report


class GoodPractice(models.Model):
    """An excerpt of a report the supervision office holds up as good practice (典型经验做法)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="good_practices")
    excerpt = models.TextField()
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["selected_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "excerpt"], name="one_good_practice_per_excerpt")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.excerpt[:20]}"


def _immutable() -> BulletinError:
    return BulletinError(
        "immutable",
        "通报已印发，内容不得修改；如需更正请重新印发。",
        "An issued bulletin cannot be changed; issue it again instead.",
    )


class BulletinQuerySet(models.QuerySet["Bulletin"]):
    def update(self, **kwargs: Any) -> int:
        raise _immutable()


class Bulletin(models.Model):
    """An issued bulletin: its number, scope, the data snapshot and the DOCX as issued. Never edited.

    Reissuing the same period and scope adds a new row with the next number,
    ``version`` + 1 and ``supersedes`` pointing at the one it replaces.
    """

    number = models.CharField(max_length=40, unique=True)  # 2024年第1期
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    period = models.CharField(max_length=20)  # 2024-Q1, 2024-03, 2024-H1, 2024
    period_start = models.DateField()
    period_end = models.DateField()
    as_of = models.DateField()
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, blank=True)  # a Unit level, empty for all units
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    data = models.JSONField()  # BulletinData.to_dict()
    docx = models.BinaryField()
    docx_sha256 = models.CharField(max_length=64)
    office = models.CharField(max_length=100)  # the issuing office as signed
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="one_bulletin_number_per_year")
        ]
        indexes = [models.Index(fields=["period", "level"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise _immutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _immutable()
