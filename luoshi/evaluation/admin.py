from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.evaluation.models import Evaluation, Evaluator


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Evaluations are history: read here, written only through luoshi.evaluation.services."""

    list_display = ("task", "effect", "indicators_reached", "recheck_date", "evaluated_by", "evaluated_at")
    list_filter = ("effect", "recheck_date")
    search_fields = ("task__title", "comments")
    list_select_related = ("task", "evaluated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evaluator)
class EvaluatorAdmin(admin.ModelAdmin):
    list_display = ("task", "user", "designated_by", "designated_at")
    search_fields = ("task__title", "user__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
