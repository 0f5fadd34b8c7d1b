from django.contrib import admin

from luoshi.evaluation.models import Closure, Evaluation, Evaluator
from luoshi.lib.admin import ReadOnlyAdmin


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """Evaluations are history: read here, written only through luoshi.evaluation.services."""

    list_display = ("task", "effect", "indicators_reached", "recheck_date", "evaluated_by", "evaluated_at")
    list_filter = ("effect", "recheck_date")
    search_fields = ("task__title", "comments")
    list_select_related = ("task", "evaluated_by")


@admin.register(Evaluator)
class EvaluatorAdmin(ReadOnlyAdmin):
    list_display = ("task", "user", "designated_by", "designated_at")
    search_fields = ("task__title", "user__username")


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    """Closures (销号) are decisions of the office: read here, written only through ``close_task``."""

    list_display = ("task", "closed_by", "closed_at")
    search_fields = ("task__title", "note")
    list_select_related = ("task", "closed_by")
