from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecompositionConfig(AppConfig):
    name = "luoshi.decomposition"
    verbose_name = _("Task decomposition")
