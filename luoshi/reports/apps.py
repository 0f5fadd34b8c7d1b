from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "luoshi.reports"
    verbose_name = _("Periodic reports")

    def ready(self) -> None:
        from luoshi.reports.bulk import ensure_obligations_for
        from luoshi.tasks.signals import assignments_created

        def give_obligations(sender: Any, *, assignments: Any, **kwargs: Any) -> None:
            ensure_obligations_for(assignments=assignments)

        assignments_created.connect(give_obligations, dispatch_uid="luoshi-reports-obligations", weak=False)
