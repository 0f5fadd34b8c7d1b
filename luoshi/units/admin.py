from django.contrib import admin

from luoshi.lib.admin import ReadOnlyAdmin
from luoshi.units.models import Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    """Units are added and changed on the /people/units/ pages and by `luoshi load_units` (both audited)."""

    list_display = ("name", "code", "level", "kind", "parent", "catalog")
    list_filter = ("catalog", "level")
    search_fields = ("name", "code")
