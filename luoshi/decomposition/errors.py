"""The refusal of a task division operation."""

from __future__ import annotations

from luoshi.lib.errors import BilingualError


class PlanError(BilingualError):
    """A plan operation that cannot be done, with a bilingual message."""
