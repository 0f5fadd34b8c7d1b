from django.contrib import admin

from luoshi.documents.models import Document, Finding


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "doc_number", "date", "encoding", "created_at")
    search_fields = ("title", "doc_number")
    exclude = ("original", "source_text", "offset_runs")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("document", "kind", "message", "start", "end")
    list_filter = ("kind",)
