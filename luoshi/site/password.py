"""Changing one's own password: Django's views and form, our templates, an entry in the audit trail.

The templates are not named registration/password_change_*.html because
django.contrib.admin ships templates under those names and comes first in
INSTALLED_APPS, so its would be found instead of ours.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse

from luoshi.people.services import password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password checked, validators applied, session kept), audited, tokens revoked."""

    template_name = "registration/change_password_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed(user=form.user)  # audited; the user's API tokens are revoked
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/change_password_done.html"
