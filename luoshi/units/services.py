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


@transaction.atomic
def load_units(*, catalog: Catalog | str) -> LoadReport:
    """Create or update the catalog's units (by code); parents resolved after all exist."""
    cat = load_catalog(catalog) if isinstance(catalog, str) else catalog
    created = updated = 0
    rows: dict[str, Unit] = {}
    for u in cat.units:
        unit, was_created = Unit.objects.update_or_create(
            code=u.code,
            defaults={
                "name": u.name,
                "aliases": list(u.aliases),
                "level": u.level,
                "kind": u.kind,
                "functions": u.functions,
                "catalog": cat.name,
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
    return LoadReport(created, updated)


def resolve_unit(name: str) -> Unit | None:
    """The active unit whose name, alias or code equals ``name`` (ignoring spaces)."""
    key = "".join(name.split())
    if not key:
        return None
    unit = Unit.objects.filter(active=True, name=key).first() or Unit.objects.filter(active=True, code=key).first()
    if unit is not None:
        return unit
    for candidate in Unit.objects.filter(active=True).only("id", "name", "aliases"):
        if key in candidate.aliases:
            return candidate
    return None
