from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.accountability.models import Attachment, Measure
from luoshi.lib.admin import ReadOnlyAdmin


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """The register is read here; measures are recorded only through luoshi.accountability.services."""

    list_display = ("date", "kind", "weight", "decided_by", "reason")
    list_filter = ("kind", "date")
    search_fields = ("reason", "units__name", "tasks__title")
    date_hierarchy = "date"
    inlines = [AttachmentInline]
