from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionsConfig(AppConfig):
    name = "luoshi.instructions"
    verbose_name = _("Leaders' instructions")

    def ready(self) -> None:
        from luoshi.bulletins.optional import provide
        from luoshi.instructions.in_bulletins import instruction_ledger, instructions_in_period

        provide(instructions_in_period=instructions_in_period, instruction_ledger=instruction_ledger)
