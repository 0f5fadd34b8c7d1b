"""A decision document: original bytes, normalized text, structure, findings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The fields that hold the whole document (bytes, texts, maps, structure): tens of KB to MB each,
# and JSON decoded on every load. Lists and joins that only need the title leave them out.
HEAVY_FIELDS = (
    "original",
    "source_text",
    "text",
    "offset_runs",
    "removals",
    "normalization_steps",
    "structure",
    "fingerprint",
    "ocr",
)


def without_heavy(prefix: str = "") -> list[str]:
    """``defer()`` arguments leaving out a document's heavy fields, e.g. ``without_heavy("document__")``."""
    return [prefix + name for name in HEAVY_FIELDS]


class Document(models.Model):
    """An ingested decision document (决定, 规划, 工作报告, 实施方案…).

    The original bytes are kept unchanged; ``text`` is the normalized text
    every offset in luoshi refers to; ``offset_runs`` maps it back to
    ``source_text`` (see textproc.offsets).
    """

    title = models.CharField(_("title"), max_length=500)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
    original = models.BinaryField(_("original bytes"))
    size = models.PositiveIntegerField(default=0)
    format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20)
    source_text = models.TextField()
    text = models.TextField()
    offset_runs = models.JSONField(default=list)
    removals = models.JSONField(default=list)
    normalization_steps = models.JSONField(default=dict)
    structure = models.JSONField(default=dict)
    # Text read by OCR (ocr.OcrLayer.to_json): pages and every recognised line with its box, confidence and
    # source span; empty for files with a text layer.
    ocr = models.JSONField(default=dict, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    date_line = models.CharField(max_length=500, blank=True)
    # Duplicate detection (documents/duplicates.py): the content key's hash and its MinHash sketch.
    text_key = models.CharField(max_length=64, blank=True, db_index=True)
    fingerprint = models.JSONField(default=list, blank=True)
    # A revised version of a stored decision: the older document stays, with its tasks.
    version_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newer_versions",
        verbose_name=_("new version of"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def short_label(self) -> str:
        """Short title plus 文号 or year, to tell documents with the same title apart."""
        title = self.title if len(self.title) <= 24 else self.title[:23] + "…"
        extra = self.doc_number or (str(self.date.year) if self.date else "")
        if self.version > 1:
            extra = f"{extra} v{self.version}".strip()
        return f"{title}（{extra}）" if extra else f"{title}（#{self.pk}）"

    def sentences(self) -> list[dict[str, Any]]:
        return list(self.structure.get("sentences", []))


class Section(models.Model):
    """One node of the document's heading tree, stored for joins and roll-ups."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField()  # document order over the whole tree
    path = models.CharField(max_length=100)  # index path, e.g. "2.1"
    kind = models.CharField(max_length=20)
    number = models.CharField(max_length=30, blank=True)
    heading = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("document section")
        verbose_name_plural = _("document sections")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "path"], name="unique_section_path")]

    def __str__(self) -> str:
        return f"{self.number}{self.heading}"


class Finding(models.Model):
    """An integrity finding (numbering gap, garbled passage, truncation…)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=40)
    message = models.TextField()
    message_en = models.TextField(blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("check finding")
        verbose_name_plural = _("check findings")
        ordering = ["document", "start", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"
