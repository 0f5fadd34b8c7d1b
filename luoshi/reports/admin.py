"""Admin for reports: obligations, reports and evidence, all read-only.

Obligations come from the task's cadence and their state from submissions;
reports are created by ``services.submit_report`` and never edited (a
correction is a new version). So the admin offers no add, change or delete.
"""

from __future__ import annotations

from django.contrib import admin

from luoshi.lib.admin import ReadOnlyMixin
from luoshi.reports.models import Evidence, IndicatorValue, Obligation, Report


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "assignment",
        "period",
        "period_start",
        "period_end",
        "due_date",
        "state",
        "first_submitted_at",
    )
    list_filter = ("state",)
    search_fields = ("period", "assignment__task__title", "assignment__unit__name")
    list_select_related = ("assignment__task", "assignment__unit")


class IndicatorValueInline(ReadOnlyMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 0


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("obligation", "version", "progress", "submitted_by", "submitted_at", "approval")
    list_filter = ("approval",)
    search_fields = ("obligation__assignment__task__title", "obligation__assignment__unit__name", "narrative")
    list_select_related = ("obligation__assignment__task", "obligation__assignment__unit", "submitted_by")
    inlines = (IndicatorValueInline, EvidenceInline)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "sha256")
    # The stored path is not shown: files are handed out by a view that checks the user's scope.
    exclude = ("file",)
