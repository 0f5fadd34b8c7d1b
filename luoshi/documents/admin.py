from django.contrib import admin

from luoshi.documents.models import Document, Finding
from luoshi.lib.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Documents come in only through luoshi.documents.services.ingest (which checks and records them)."""

    list_display = ("title", "doc_number", "date", "encoding", "created_at")
    search_fields = ("title", "doc_number")
    exclude = ("original", "source_text", "offset_runs")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("document", "kind", "message", "start", "end")
    list_filter = ("kind",)
