"""Effect evaluation (跟踪问效) of completed tasks: what the work achieved, and when to look again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import Task


class Effect(models.TextChoices):
    """Five levels, best first."""

    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    NONE = "none", _("no effect")


class Evaluator(models.Model):
    """A user designated to evaluate one task (besides the supervision office)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="one_designation_per_task_user")]

    def __str__(self) -> str:
        return f"{self.task} · {self.user}"


class Evaluation(models.Model):
    """One evaluation of a completed task; a later one for the same task supersedes it (history kept).

    indicators: [{"indicator": id, "name": …, "unit_of_measure": …, "target": "1.5",
    "final_value": "1.52" or null, "reached": true}], one per indicator of the task.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="evaluations")
    effect = models.CharField(max_length=10, choices=Effect.choices)
    indicators = models.JSONField(default=list, blank=True)
    comments = models.TextField(blank=True)
    recheck_date = models.DateField(null=True, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["task", "evaluated_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_effect_display()} ({self.evaluated_at:%Y-%m-%d})"

    @property
    def indicators_reached(self) -> int:
        return sum(1 for i in self.indicators if i.get("reached"))


class Closure(models.Model):
    """The office's closing of a completed, evaluated task (销号), with the evidence it rests on.

    A closed task leaves the active lists (``luoshi.evaluation.closure.not_closed``) and stays in the
    reports, bulletins and the ledger. ``evaluation`` is the evaluation it was closed on; ``evidence``
    the report files (佐证材料) the office cited.
    """

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="closure")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("closing note"))
    evidence = models.ManyToManyField("reports.Evidence", related_name="closures")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-closed_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(task)s · closed %(date)s") % {
            "task": self.task,
            "date": f"{self.closed_at:%Y-%m-%d}",
        }
