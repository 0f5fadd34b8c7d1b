from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered pages people use every day: liaison, office and task pages."""

    name = "luoshi.web"
    label = "web"
