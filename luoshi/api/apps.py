from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "luoshi.api"
    verbose_name = "API"
