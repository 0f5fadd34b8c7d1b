"""Admin pages for tasks: read-only, since tasks, their parts and assignments are written only through
luoshi.tasks.services (and the status moves only by a transition)."""

from __future__ import annotations

from django.contrib import admin

from luoshi.lib.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from luoshi.tasks.models import Assignment, Indicator, Milestone, Task, Transition


class MilestoneInline(ReadOnlyTabularInline):
    model = Milestone


class IndicatorInline(ReadOnlyTabularInline):
    model = Indicator


class AssignmentInline(ReadOnlyTabularInline):
    model = Assignment
    fk_name = "task"
    fields = ("unit", "role", "parent", "weight", "deadline", "indicator_targets")
    raw_id_fields = ("unit", "parent")


class TransitionInline(ReadOnlyTabularInline):
    model = Transition
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_unit", "status", "start_date", "deadline", "cadence", "document")
    list_filter = ("status", "cadence", "document")
    search_fields = ("title", "text", "lead_unit__name")
    date_hierarchy = "deadline"
    raw_id_fields = ("document", "plan_task", "section", "lead_unit", "created_by")
    filter_horizontal = ("co_units",)
    readonly_fields = ("status", "version", "spans", "heading_path", "created_at")
    inlines = (MilestoneInline, IndicatorInline, AssignmentInline, TransitionInline)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    """The lifecycle history: for reading only."""

    list_display = ("task", "from_status", "to_status", "by", "at", "reason")
    list_filter = ("to_status",)
    search_fields = ("task__title", "reason")
