"""Admin: reminder policies are edited here; reminders, urgings, escalations, warnings and
extension requests are records made by ``luoshi tick`` and the services, so they are read-only."""

from __future__ import annotations

from django.contrib import admin

from luoshi.lib.admin import ReadOnlyAdmin
from luoshi.supervision.models import Escalation, ExtensionRequest, Reminder, ReminderPolicy, Urging, Warning


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ("subject", "cadence", "days_before", "active")
    list_editable = ("days_before", "active")
    list_filter = ("subject", "active")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("subject", "assignment", "due_date", "days_before", "created_at")
    list_filter = ("subject",)
    list_select_related = ("assignment__task", "assignment__unit")


@admin.register(Urging)
class UrgingAdmin(ReadOnlyAdmin):
    list_display = ("subject", "assignment", "due_date", "days_overdue", "respond_by", "responded_at")
    list_filter = ("subject",)
    list_select_related = ("assignment__task", "assignment__unit")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("urging", "days_overdue", "created_at")


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ("level", "assignment", "deadline", "reason", "created_at")
    list_filter = ("level",)
    search_fields = ("assignment__task__title", "assignment__unit__name")
    list_select_related = ("assignment__task", "assignment__unit")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "assignment",
        "old_deadline",
        "new_deadline",
        "status",
        "requested_by",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status",)
    list_select_related = ("assignment__task", "assignment__unit")
