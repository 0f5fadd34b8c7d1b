from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luoshi.bulletins.models import Bulletin, GoodPractice


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Issued bulletins are records: listed and read here, issued only through luoshi.bulletins.services."""

    list_display = ("number", "title", "period", "version", "as_of", "issued_by", "issued_at")
    list_filter = ("year", "period", "level")
    search_fields = ("number", "title")
    exclude = ("docx",)
    list_select_related = ("issued_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    """Good practice is selected through luoshi.bulletins.services.select_good_practice (it checks the quote)."""

    list_display = ("report", "excerpt", "selected_by", "selected_at")
    search_fields = ("excerpt", "report__obligation__assignment__task__title")
    list_select_related = ("report__obligation__assignment__task", "report__obligation__assignment__unit",
                           "selected_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
