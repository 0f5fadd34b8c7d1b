"""Admin pages for tasks. The status moves only by a transition, so it is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.tasks.models import Assignment, Indicator, Milestone, Task, Transition


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "task"
    extra = 0
    fields = ("unit", "role", "parent", "weight", "deadline", "indicator_targets")
    raw_id_fields = ("unit", "parent")


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "lead_unit", "status", "start_date", "deadline", "cadence", "document")
    list_filter = ("status", "cadence", "document")
    search_fields = ("title", "text", "lead_unit__name")
    date_hierarchy = "deadline"
    raw_id_fields = ("document", "plan_task", "section", "lead_unit", "created_by")
    filter_horizontal = ("co_units",)
    readonly_fields = ("status", "version", "spans", "heading_path", "created_at")
    inlines = (MilestoneInline, IndicatorInline, AssignmentInline, TransitionInline)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The lifecycle history: for reading only."""

    list_display = ("task", "from_status", "to_status", "by", "at", "reason")
    list_filter = ("to_status",)
    search_fields = ("task__title", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
