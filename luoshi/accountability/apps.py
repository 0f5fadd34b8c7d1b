from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "luoshi.accountability"
    verbose_name = _("Accountability register")

    def ready(self) -> None:
        from luoshi.accountability.services import kind_names, measures_in_period
        from luoshi.bulletins.optional import provide

        provide(measures_in_period=measures_in_period, kind_names=kind_names)
