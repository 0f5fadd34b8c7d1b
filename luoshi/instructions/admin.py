from django.contrib import admin

from luoshi.instructions.models import Chase, Handling, Instruction, Watch, WatchVisit
from luoshi.lib.admin import ReadOnlyAdmin


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    """Leaders' instructions are written through luoshi.instructions.services only."""

    list_display = ("created_at", "leader", "subject", "due_date", "in_bulletin")
    list_filter = ("subject", "in_bulletin")
    search_fields = ("text",)
    list_select_related = ("leader",)


@admin.register(Handling)
class HandlingAdmin(ReadOnlyAdmin):
    list_display = ("instruction", "unit", "state", "responded_at")
    list_filter = ("state",)
    search_fields = ("response", "unit__name")
    list_select_related = ("instruction", "unit")


@admin.register(Chase)
class ChaseAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "due_date", "days", "created_at")
    list_filter = ("kind",)


@admin.register(Watch)
class WatchAdmin(ReadOnlyAdmin):
    list_display = ("leader", "task", "unit", "created_at")


@admin.register(WatchVisit)
class WatchVisitAdmin(ReadOnlyAdmin):
    list_display = ("leader", "seen_at")
