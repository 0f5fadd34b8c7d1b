"""Pre-review and filing review (前置审核、备案审查): submissions, their draft versions and findings.

A ``Submission`` is one document a drafting unit sends in, for pre-review before it is issued or
for filing review once it is published, with its filing's metadata. Each upload of the draft is a
``DraftVersion`` (read by the ingest pipeline, checked by the first pass); every flag of the first
pass and every finding a reviewer adds is a ``ReviewFinding`` of that version. ``PremiseRule`` rows
are the premises the office attaches to a governing decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.documents.models import Document
from luoshi.units.models import Unit


class ReviewKind(models.TextChoices):
    PRE = "pre_review", _("pre-review")
    FILING = "filing", _("filing review")


class DocKind(models.TextChoices):
    REGULATION = "regulation", _("government rule")
    NORMATIVE = "normative", _("normative document")
    POLICY = "policy", _("policy document")
    PLAN = "plan", _("implementation plan")


class Status(models.TextChoices):
    INCOMPLETE = "incomplete", _("awaiting completion")
    RECEIVED = "received", _("received, awaiting assignment")
    IN_REVIEW = "in_review", _("under review")
    RETURNED = "returned", _("returned for revision")
    CONCLUDED = "concluded", _("concluded")


class Conclusion(models.TextChoices):
    PASS = "pass", _("approved")
    PASS_WITH_CHANGES = "pass_with_changes", _("approved after changes")
    REJECT = "reject", _("not approved")
    CORRECT = "correct", _("correction required")


class Submission(models.Model):
    """A document sent for pre-review or filed for filing review, and where its review stands."""

    number = models.CharField(_("review number"), max_length=30, unique=True)
    review_kind = models.CharField(_("kind of review"), max_length=20, choices=ReviewKind.choices)
    title = models.CharField(_("title"), max_length=300)
    drafting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="review_submissions", verbose_name=_("drafting unit")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    doc_kind = models.CharField(_("kind of document"), max_length=20, choices=DocKind.choices)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    governing = models.ManyToManyField(
        Document, blank=True, related_name="implementing_submissions", verbose_name=_("governing decisions")
    )
    explanation = models.TextField(_("drafting explanation"), blank=True)
    legality_review_filed = models.BooleanField(_("legality review opinion filed"), default=False)
    consultation_filed = models.BooleanField(_("public consultation record filed"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    missing = models.JSONField(default=list, blank=True)  # what the filing lacks (codes), while incomplete
    completion_due = models.DateField(_("complete by"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    filing_due = models.DateField(_("filing due"), null=True, blank=True)  # publication + the statutory days
    review_due = models.DateField(_("review due"), null=True, blank=True)
    revision_due = models.DateField(_("revision due"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices, blank=True)
    conclusion_reason = models.TextField(_("reason"), blank=True)
    opinion = models.TextField(_("overall opinion"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("review submission")
        verbose_name_plural = _("review submissions")
        indexes = [models.Index(fields=["status"]), models.Index(fields=["review_kind", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def latest(self) -> DraftVersion | None:
        return self.versions.order_by("-number").first()


class DraftVersion(models.Model):
    """One upload of the draft: the original bytes, its text and structure, the first pass's output."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    original = models.BinaryField()
    content_hash = models.CharField(max_length=64)
    format = models.CharField(max_length=10)
    text = models.TextField()
    structure = models.JSONField(default=dict)
    alignment = models.JSONField(default=list)  # per draft clause: the governing clauses it implements
    coverage = models.JSONField(default=list)  # per implemented decision: its clauses, covered or not
    counts = models.JSONField(default=dict)  # first-pass flags per class
    note = models.TextField(_("what changed"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="one_number_per_draft_version")
        ]

    def __str__(self) -> str:
        return f"{self.submission.number} v{self.number}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("to decide")
    ACCEPTED = "accepted", _("accepted")
    DISMISSED = "dismissed", _("dismissed")


class ReviewFinding(models.Model):
    """A flag of the first pass or a reviewer's own finding on one draft version."""

    class Source(models.TextChoices):
        AUTO = "auto", _("first pass")
        REVIEWER = "reviewer", _("reviewer")

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="findings")
    cls = models.CharField(_("class"), max_length=30)
    rule = models.CharField(max_length=80, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence = models.TextField(blank=True)
    basis = models.TextField(_("basis"))
    basis_en = models.TextField(blank=True)
    note = models.TextField(blank=True)
    governing_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    governing_label = models.CharField(max_length=100, blank=True)
    governing_start = models.PositiveIntegerField(null=True, blank=True)
    governing_end = models.PositiveIntegerField(null=True, blank=True)
    governing_text = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.AUTO)
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    reason = models.TextField(_("reason"), blank=True)  # why dismissed
    opinion = models.TextField(_("opinion"), blank=True)  # the reviewer's opinion on it, for the 意见书
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "start", "id"]
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")

    def __str__(self) -> str:
        return f"{self.cls}: {self.sentence[:30]}"


class PremiseRule(models.Model):
    """A premise of a governing decision (see luoshi/review/checks/premise.py for the kinds)."""

    class Kind(models.TextChoices):
        REQUIRED = "required", _("must be stated")
        PROHIBITED = "prohibited", _("must not be said")
        CONDITIONAL = "conditional", _("must be stated when the subject comes up")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="premise_rules")
    code = models.SlugField(max_length=50)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(_("premise"), max_length=200)
    patterns = models.JSONField(default=list)
    trigger = models.JSONField(default=list, blank=True)
    exceptions = models.JSONField(default=list, blank=True)
    clause = models.TextField(_("the decision's words"), blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("premise rule")
        verbose_name_plural = _("premise rules")
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="one_premise_code_per_document")
        ]

    def __str__(self) -> str:
        return self.name
