"""Load catalogs into the Unit table and resolve names typed by people."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from luoshi.catalogs.catalog import Catalog, load_catalog
from luoshi.units.models import Unit


@dataclass
class LoadReport:
    created: int
    updated: int
    deactivated: int = 0


@transaction.atomic
def load_units(*, catalog: Catalog | str) -> LoadReport:
    """Create or update the catalog's units (by code); parents resolved after all exist.

    Units that came from division data (with a division code) and are no longer in it (a county merged
    into another) are deactivated: they keep their tasks and people, and are no longer offered.
    """
    cat = load_catalog(catalog) if isinstance(catalog, str) else catalog
    created = updated = 0
    rows: dict[str, Unit] = {}
    for u in cat.units:
        unit, was_created = Unit.objects.update_or_create(
            catalog=cat.name,
            code=u.code,
            defaults={
                "name": u.name,
                "aliases": list(u.aliases),
                "level": u.level,
                "kind": u.kind,
                "functions": u.functions,
                "short_name": u.short_name,
                "former_names": [f.to_dict() for f in u.former_names],
                "division_code": u.division_code,
                "active": True,
            },
        )
        rows[u.code] = unit
        created += was_created
        updated += not was_created
    for u in cat.units:
        parent = rows.get(u.parent) if u.parent else None
        if rows[u.code].parent_id != (parent.pk if parent else None):
            rows[u.code].parent = parent
            rows[u.code].save(update_fields=["parent"])
    gone = (
        Unit.objects.filter(catalog=cat.name, active=True)
        .exclude(division_code="")
        .exclude(code__in=[u.code for u in cat.units])
    )
    deactivated = gone.update(active=False)
    return LoadReport(created, updated, deactivated)


def resolve_unit(name: str, *, catalog: str | None = None) -> Unit | None:
    """The active unit whose name, alias or code equals ``name`` (ignoring spaces).

    With ``catalog``, only that catalog's units are considered.
    """
    key = "".join(name.split())
    if not key:
        return None
    units = Unit.objects.filter(active=True)
    if catalog is not None:
        units = units.filter(catalog=catalog)
    unit = units.filter(name=key).first() or units.filter(code=key).first()
    if unit is not None:
        return unit
    for candidate in units.only("id", "name", "aliases"):
        if key in candidate.aliases:
            return candidate
    return None
