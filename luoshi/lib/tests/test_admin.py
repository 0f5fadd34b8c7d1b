"""The admin is named after the product, in the page's language, and only reads what services write."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.test import Client, RequestFactory

from luoshi.lib.admin import EDITABLE_IN_ADMIN

pytestmark = pytest.mark.django_db


def _label(model: Any) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def test_every_admin_model_is_either_allowed_to_be_edited_or_read_only(admin_user: Any) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_user  # a superuser: only the admin class itself can say no
    checked = 0
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        if _label(model) in EDITABLE_IN_ADMIN:
            continue
        for each in admins:
            name = f"{_label(model)} ({type(each).__name__})"
            # ModelAdmin.has_add_permission(request); an inline's takes (request, obj) too.
            may_add = (
                each.has_add_permission(request, None)
                if isinstance(each, InlineModelAdmin)
                else each.has_add_permission(request)
            )
            assert not may_add, f"{name} may add"
            assert not each.has_change_permission(request, None), f"{name} may change"
            assert not each.has_delete_permission(request, None), f"{name} may delete"
            checked += 1
    assert checked > 25


def test_service_records_cannot_be_added_in_the_admin(admin_client: Client) -> None:
    for path in (
        "documents/document",
        "tasks/task",
        "tasks/assignment",
        "decomposition/plan",
        "units/unit",
        "bulletins/bulletin",
        "reports/obligation",
        "ratings/rating",
        "supervision/urging",
    ):
        if admin_client.get(f"/admin/{path}/").status_code == 404:
            continue  # not registered: not editable either
        assert admin_client.get(f"/admin/{path}/add/").status_code == 403, path


@pytest.mark.parametrize(
    ("language", "said", "unsaid"),
    [
        (
            "zh-hans",
            ["落实 luoshi · 系统管理", "任务", "问责措施", "催办", "延期申请"],
            ["Django", "Tasks", "Urgings"],
        ),
        (
            "en",
            ["落实 luoshi · Administration", "Tasks", "Accountability measures", "Urgings"],
            ["Django", "催办"],
        ),
    ],
)
def test_the_admin_is_branded_and_names_models_in_one_language(
    admin_client: Client, language: str, said: list[str], unsaid: list[str]
) -> None:
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = admin_client.get("/admin/").content.decode()
    for text in said:
        assert text in page, text
    for text in unsaid:
        assert text not in page, text


def test_every_model_has_a_translated_name() -> None:
    from django.apps import apps
    from django.utils import translation

    for model in apps.get_models():
        if not model.__module__.startswith("luoshi."):
            continue
        with translation.override("zh-hans"):
            zh = str(model._meta.verbose_name_plural)
        with translation.override("en"):
            en = str(model._meta.verbose_name_plural)
        assert zh != en, f"{_label(model)} has no Chinese name ({en!r})"
