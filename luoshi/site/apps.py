from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the stack: the chain put together (docs/architecture.md "Layers").

    The home page that sends each role to its own page, sign-in and the password page, ``luoshi init``,
    the daily ``luoshi tick`` that runs every stage's sweep, the demo and the region generator. Nothing
    below imports it.
    """

    name = "luoshi.site"
    label = "site"
    verbose_name = _("Site and daily run")
