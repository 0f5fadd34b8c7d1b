"""What the commands of several stages need of units: a unit named on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError

from luoshi.units.models import Unit
from luoshi.units.services import resolve_unit


def find_unit(key: str, *, catalog: str | None) -> Unit:
    """The unit with this code (or name or alias), refusing ambiguity across catalogs."""
    units = Unit.objects.filter(active=True)
    if catalog:
        units = units.filter(catalog=catalog)
    by_code = list(units.filter(code=key))
    if len(by_code) > 1:
        catalogs = ", ".join(sorted(u.catalog for u in by_code))
        raise CommandError(
            f"多个目录中都有单位代码“{key}”，请用 --catalog 指定 / "
            f"Unit code '{key}' exists in several catalogs ({catalogs}); pass --catalog."
        )
    if by_code:
        return by_code[0]
    unit = resolve_unit(key, catalog=catalog)
    if unit is None:
        raise CommandError(
            f"找不到单位“{key}”（先运行 luoshi load_units？） / "
            f"No unit '{key}' (did you run `luoshi load_units`?)."
        )
    return unit
