from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written only by luoshi.audit.services.record and never changed."""

    list_display = ("at", "actor_label", "ip", "action", "object_type", "object_id", "object_repr", "note")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "note", "actor_label")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "actor_label", "ip", "action", "object_type", "object_id", "object_repr",
                       "changes", "note")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
