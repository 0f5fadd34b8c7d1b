from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import ApiToken, Profile
from luoshi.lib.admin import ReadOnlyAdmin
from luoshi.people.services import revoke_token


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["unit"]
    extra = 0
    max_num = 1


class LuoshiUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "role", "unit", "is_active", "last_login"]
    list_select_related = ["profile", "profile__unit"]
    list_filter = ["profile__role", "is_active", "is_superuser"]

    @admin.display(description=_("role"), ordering="profile__role")
    def role(self, user: object) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("unit"), ordering="profile__unit__name")
    def unit(self, user: object) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.unit) if profile and profile.unit else "—"


@admin.action(description=_("Revoke the selected tokens"))
def revoke(
    modeladmin: admin.ModelAdmin[ApiToken], request: HttpRequest, queryset: QuerySet[ApiToken]
) -> None:
    for token in queryset:
        revoke_token(token=token)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `luoshi issue_token` (the raw value is shown once); here they are only revoked."""

    list_display = ["name", "user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "user__username"]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "digest",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = [revoke]


User = get_user_model()
if admin.site.is_registered(Group):  # roles live on the profile; Django's groups are not used
    admin.site.unregister(Group)
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, LuoshiUserAdmin)
