from django.contrib import admin

from luoshi.accountability.models import Attachment, Measure
from luoshi.lib.admin import ReadOnlyAdmin, ReadOnlyTabularInline


class AttachmentInline(ReadOnlyTabularInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """The register is read here; measures are recorded only through luoshi.accountability.services."""

    list_display = ("date", "kind", "weight", "decided_by", "reason")
    list_filter = ("kind", "date")
    search_fields = ("reason", "units__name", "tasks__title")
    date_hierarchy = "date"
    inlines = [AttachmentInline]
