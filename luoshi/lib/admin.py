"""Admin helpers shared by the apps: the site's name, and read-only admins for service-written records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BRAND = "落实 luoshi"

# The models an administrator may still add, change or delete in the admin: those no page or service
# writes (a unit's notification channels, the reminder policies) and the accounts (Django's user admin
# stays the operator's way to reset a password or unlock an account; day-to-day accounts are kept on
# the /people/ pages). Everything else, units included (the /people/units/ pages and `luoshi
# load_units`), is written only through the services (they check scope, state and the audit trail),
# so its admin only reads (ReadOnlyAdmin).
# luoshi/lib/tests/test_admin.py holds every registered model to this list.
EDITABLE_IN_ADMIN = frozenset(
    {
        "auth.user",
        "accounts.profile",
        "notifications.unitchannel",
        "supervision.reminderpolicy",
    }
)


def brand(site: admin.AdminSite) -> None:
    """Name the admin after the product (not "Django 管理"), in the page's language."""
    site.site_header = format_lazy("{} · {}", BRAND, _("Administration"))
    site.site_title = BRAND
    site.index_title = _("Records and settings")


class ReadOnlyMixin:
    """No add, change or delete: the admin may only look (for ModelAdmin and inlines alike)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """An admin that shows records the product writes through its services.

    Records (documents, tasks, reports, ratings, audit entries, issued bulletins,
    notices…) are created by service functions that check what they must (scope,
    state, the audit trail); the admin may only look.
    """


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
