from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "luoshi.ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from luoshi.ratings.receivers import connect

        connect()
