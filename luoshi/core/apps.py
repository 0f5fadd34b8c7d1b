from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "luoshi.core"
    verbose_name = "luoshi"
