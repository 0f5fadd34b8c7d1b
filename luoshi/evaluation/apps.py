from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "luoshi.evaluation"
    verbose_name = _("Effect evaluation")

    def ready(self) -> None:
        from luoshi.bulletins.optional import provide
        from luoshi.evaluation.closure import closed_on
        from luoshi.evaluation.services import latest_evaluations

        provide(latest_evaluations=latest_evaluations, closed_on=closed_on)
