from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from luoshi.audit import signals

        signals.connect()
