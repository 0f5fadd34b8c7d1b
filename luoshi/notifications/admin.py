"""Admin: units' channels are edited here; notices, messages and deliveries are read-only records."""

from __future__ import annotations

from django.contrib import admin

from luoshi.lib.admin import ReadOnlyAdmin
from luoshi.notifications.models import Delivery, Notice, UnitChannel, UnitMessage


@admin.register(UnitChannel)
class UnitChannelAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "name", "active")
    list_filter = ("kind", "active")
    search_fields = ("unit__name", "name")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")


@admin.register(UnitMessage)
class UnitMessageAdmin(ReadOnlyAdmin):
    list_display = ("unit", "kind", "title", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "unit__name")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "attempts", "next_attempt_at", "sent_at", "sent_to", "last_error")
    list_filter = ("kind", "status")
    list_select_related = ("notice", "unit_message")
