from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from luoshi.accounts import login_protection

        login_protection.connect()
