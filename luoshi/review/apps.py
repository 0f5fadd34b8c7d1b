from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "luoshi.review"
    verbose_name = _("Pre-review and filing review")
