"""Forms of the units and users administration pages.

They collect input and check types only; the rules (duplicate codes, who may
give which role, the last administrator…) live in ``units.services`` and
``accounts.services``, whose refusals name the field they concern.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Role
from luoshi.units.models import Unit
from luoshi.web.plan.pages import catalog_name

ALIAS_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_aliases(text: str) -> list[str]:
    """Short names typed in one box, separated by commas, 、 or new lines."""
    return [a.strip() for a in ALIAS_SEPARATORS.split(text) if a.strip()]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)  # the name says which unit; the catalog's code means nothing to the office


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class UnitFilterForm(forms.Form):
    catalog = forms.ChoiceField(label=_("Catalog"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_any(_("All levels")) + list(Unit.LEVELS)
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, catalogs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catalog"].choices = _any(_("All catalogs")) + [(c, catalog_name(c)) for c in catalogs]  # type: ignore[attr-defined]


class UnitFieldsForm(forms.Form):
    """What can be edited on a unit; the catalog and the code are set once, when it is created."""

    name = forms.CharField(label=_("Name"), max_length=200)
    aliases = forms.CharField(
        label=_("Short names"), required=False, help_text=_("Other names people use, separated by commas.")
    )
    level = forms.ChoiceField(label=_("Level"), choices=Unit.LEVELS)
    parent = UnitChoiceField(
        label=_("Parent unit"), required=False, queryset=Unit.objects.none(), empty_label=_("(none)")
    )

    def alias_list(self) -> list[str]:
        return split_aliases(self.cleaned_data.get("aliases") or "")


class UnitCreateForm(UnitFieldsForm):
    catalog = forms.CharField(
        label=_("Catalog"), max_length=100, widget=forms.TextInput(attrs={"list": "unit-catalogs"})
    )
    code = forms.CharField(
        label=_("Code"), max_length=80, help_text=_("Letters, digits and hyphens; unique within the catalog.")
    )
    field_order = ["catalog", "code", "name", "aliases", "level", "parent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-unit-%s")
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(active=True).order_by("catalog", "id")  # type: ignore[attr-defined]


class UnitEditForm(UnitFieldsForm):
    active = forms.BooleanField(label=_("Active"), required=False)
    requires_head_approval = forms.BooleanField(
        label=_("Reports need the unit head's approval"), required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": unit.name,
                "aliases": "、".join(unit.aliases),
                "level": unit.level,
                "parent": unit.parent_id,
                "active": unit.active,
                "requires_head_approval": unit.requires_head_approval,
            },
        )
        kwargs.setdefault("auto_id", f"unit-{unit.pk}-%s")  # distinct ids when several rows are open at once
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(catalog=unit.catalog).exclude(pk=unit.pk).order_by("id")
        )


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All units")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _any(_("All roles")) + _role_choices(roles)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.order_by("catalog", "id")  # type: ignore[attr-defined]


def _role_choices(roles: list[str]) -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Role.choices if value in roles]


def _units_for_people(current: Unit | None = None) -> QuerySet[Unit]:
    """Active units, and the account's present unit even if it has been deactivated since."""
    units = Unit.objects.filter(active=True)
    if current is not None:
        units = units | Unit.objects.filter(pk=current.pk)
    return units.order_by("catalog", "id")


class AccountFieldsForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("The person's full name, as shown on pages and in the audit trail."),
    )
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("Required for liaisons and unit heads."),
    )

    def __init__(self, *args: Any, roles: list[str], current_unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = _units_for_people(current_unit)  # type: ignore[attr-defined]


class PasswordPairForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class AccountCreateForm(AccountFieldsForm, PasswordPairForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[get_user_model().username_validator]
    )
    field_order = ["username", "display_name", "role", "unit", "password", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-user-%s")
        super().__init__(*args, **kwargs)


class AccountEditForm(AccountFieldsForm):
    def __init__(self, *args: Any, user: Any, role: str | None, roles: list[str], **kwargs: Any) -> None:
        profile_unit = getattr(getattr(user, "profile", None), "unit", None)
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.first_name,
                "role": role,
                "unit": profile_unit.pk if profile_unit else None,
            },
        )
        kwargs.setdefault("auto_id", f"user-{user.pk}-%s")
        super().__init__(*args, roles=roles, current_unit=profile_unit, **kwargs)
        self.user = user
