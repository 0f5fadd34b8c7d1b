from django.contrib import admin

from luoshi.audit.models import AuditEntry
from luoshi.lib.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are written only by luoshi.audit.services.record and never changed."""

    list_display = ("at", "actor_label", "ip", "action", "object_type", "object_id", "object_repr", "note")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "note", "actor_label")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "ip",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
        "note",
    )
