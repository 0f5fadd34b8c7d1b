from django.contrib import admin

from luoshi.bulletins.models import Bulletin, GoodPractice
from luoshi.lib.admin import ReadOnlyAdmin


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    """Issued bulletins are records: listed and read here, issued only through luoshi.bulletins.services."""

    list_display = ("number", "title", "period", "version", "as_of", "issued_by", "issued_at")
    list_filter = ("year", "period", "level")
    search_fields = ("number", "title")
    exclude = ("docx",)
    list_select_related = ("issued_by",)


@admin.register(GoodPractice)
class GoodPracticeAdmin(ReadOnlyAdmin):
    """Good practice is selected through luoshi.bulletins.services.select_good_practice (it checks the quote)."""

    list_display = ("report", "excerpt", "selected_by", "selected_at")
    search_fields = ("excerpt", "report__obligation__assignment__task__title")
    list_select_related = (
        "report__obligation__assignment__task",
        "report__obligation__assignment__unit",
        "selected_by",
    )
