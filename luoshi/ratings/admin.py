from django.contrib import admin

from luoshi.lib.admin import ReadOnlyAdmin
from luoshi.ratings.models import Rating


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Ratings are history: listed and read here, written only through luoshi.ratings.services."""

    list_display = (
        "assignment",
        "as_of",
        "rag",
        "confidence",
        "planned_progress",
        "actual_progress",
        "overridden",
        "created_by",
        "created_at",
    )
    list_filter = ("rag", "overridden", "as_of")
    search_fields = ("assignment__task__title", "assignment__unit__name", "override_reason")
    list_select_related = ("assignment__task", "assignment__unit", "created_by")
    date_hierarchy = "as_of"
