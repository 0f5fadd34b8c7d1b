from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """The office's administration of people and units: accounts, tokens, login protection, the unit table.

    It stands above accounts (roles), units and audit (docs/architecture.md "The dependency rule"): every
    change it makes is checked against a predicate and written to the audit trail.
    """

    name = "luoshi.people"
    label = "people"
    verbose_name = _("People and units")

    def ready(self) -> None:
        from luoshi.people import login_protection

        login_protection.connect()
