from django.contrib import admin

from luoshi.units.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "kind", "parent", "catalog")
    list_filter = ("catalog", "level")
    search_fields = ("name", "code")
