"""The office's administration of the unit table (docs/administration.md "Units"): create, edit, head approval.

Each change is checked against ``people.manage_units`` and written to the audit trail. Loading a whole
catalog and resolving typed names stay in ``luoshi.units.services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from luoshi.audit.services import diff, record, snapshot
from luoshi.lib.errors import BilingualError
from luoshi.people.access import require_unit_manager
from luoshi.units.models import Unit


class UnitError(BilingualError):
    """A unit change that cannot be made, with a bilingual message."""

    # code -> the argument of ``create_unit`` / ``update_unit`` it concerns.
    fields = {
        "catalog_required": "catalog",
        "catalog_too_long": "catalog",
        "code_required": "code",
        "bad_code": "code",
        "code_too_long": "code",
        "code_taken": "code",
        "name_required": "name",
        "name_too_long": "name",
        "bad_level": "level",
        "parent_catalog": "parent",
        "parent_level": "parent",
        "parent_cycle": "parent",
    }


# Who may create and edit units: the supervision office and administrators.
# Levels from the top down; a unit's parent is at its level or above.
LEVEL_ORDER: tuple[str, ...] = tuple(code for code, _label in Unit.LEVELS)
AUDITED_FIELDS = (
    "catalog",
    "code",
    "name",
    "aliases",
    "level",
    "kind",
    "parent",
    "active",
    "requires_head_approval",
)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UnitError("name_required", "单位名称不能为空。", "The unit name is empty.")
    if len(name) > Unit._meta.get_field("name").max_length:  # type: ignore[operator]
        raise UnitError(
            "name_too_long",
            "单位名称过长（最多200字）。",
            "The unit name is too long (200 characters at most).",
        )
    return name


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    """Stripped, without blanks, repeats or the name itself, in the order given."""
    out: list[str] = []
    for alias in (a.strip() for a in aliases):
        if alias and alias != name and alias not in out:
            out.append(alias)
    return out


def _check_level(level: str) -> None:
    if level not in LEVEL_ORDER:
        raise UnitError(
            "bad_level",
            f"未知层级“{level}”，可选：{'、'.join(LEVEL_ORDER)}。",
            f"Unknown level '{level}'; choose one of: {', '.join(LEVEL_ORDER)}.",
        )


def _check_parent(*, parent: Unit | None, catalog: str, level: str, unit: Unit | None = None) -> None:
    """A parent is in the same catalog, at the unit's level or above, and never the unit or one below it."""
    if parent is None:
        return
    if parent.catalog != catalog:
        raise UnitError(
            "parent_catalog",
            f"上级单位“{parent.name}”不在目录“{catalog}”中。",
            f"The parent unit '{parent.name}' is not in the catalog '{catalog}'.",
        )
    if LEVEL_ORDER.index(parent.level) > LEVEL_ORDER.index(level):
        raise UnitError(
            "parent_level",
            f"上级单位“{parent.name}”的层级低于本单位。",
            f"The parent unit '{parent.name}' is at a lower level than this unit.",
        )
    if unit is not None and unit.pk is not None:
        seen: set[int] = set()
        ancestor: Unit | None = parent
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == unit.pk:
                raise UnitError(
                    "parent_cycle",
                    "上级单位不能是本单位或其下级单位。",
                    "The parent cannot be the unit itself or one of its sub-units.",
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


def _code_taken(catalog: str, code: str) -> UnitError:
    return UnitError(
        "code_taken",
        f"目录“{catalog}”中已有代码为“{code}”的单位。",
        f"The catalog '{catalog}' already has a unit with the code '{code}'.",
    )


@transaction.atomic
def create_unit(
    *,
    actor: Any,
    catalog: str,
    code: str,
    name: str,
    level: str,
    aliases: Iterable[str] = (),
    parent: Unit | None = None,
    kind: str = "",
) -> Unit:
    """Add a unit to a catalog, by hand.

    1. Only the supervision office and administrators may (else PermissionDenied).
    2. The catalog and code are required; the code is a slug, unique within the catalog.
    3. Name, level and parent are checked as in ``update_unit``.
    4. The unit and its audit entry are written together.
    """
    require_unit_manager(actor)
    catalog, code = catalog.strip(), code.strip()
    if not catalog:
        raise UnitError("catalog_required", "请指定单位目录。", "Choose the unit catalog.")
    if len(catalog) > Unit._meta.get_field("catalog").max_length:  # type: ignore[operator]
        raise UnitError(
            "catalog_too_long", "目录名称过长（最多100字）。", "The catalog name is too long (100 at most)."
        )
    if not code:
        raise UnitError("code_required", "单位代码不能为空。", "The unit code is empty.")
    try:
        validate_slug(code)
    except ValidationError:
        raise UnitError(
            "bad_code",
            "单位代码只能包含英文字母、数字、连字符和下划线。",
            "The unit code may only contain letters, digits, hyphens and underscores.",
        ) from None
    if len(code) > Unit._meta.get_field("code").max_length:  # type: ignore[operator]
        raise UnitError(
            "code_too_long", "单位代码过长（最多80字符）。", "The unit code is too long (80 at most)."
        )
    name = _clean_name(name)
    _check_level(level)
    _check_parent(parent=parent, catalog=catalog, level=level)
    if Unit.objects.filter(catalog=catalog, code=code).exists():
        raise _code_taken(catalog, code)
    unit = Unit(
        catalog=catalog,
        code=code,
        name=name,
        aliases=_clean_aliases(aliases, name),
        level=level,
        kind=kind.strip(),
        parent=parent,
        active=True,
    )
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:  # created meanwhile by someone else
        raise _code_taken(catalog, code) from None
    record(
        action="create",
        obj=unit,
        actor=actor,
        changes={k: [None, v] for k, v in snapshot(unit, AUDITED_FIELDS).items()},
    )
    return unit


@transaction.atomic
def update_unit(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    level: str,
    aliases: Iterable[str],
    parent: Unit | None,
    active: bool,
    requires_head_approval: bool | None = None,
) -> Unit:
    """Change a unit's name, short names (aliases), level, parent and whether it is active.

    The catalog and code stay: catalogs are reloaded by code (``load_units``).
    A deactivated unit keeps its people and its assignments; it is no longer
    offered for new tasks or accounts, nor found by ``resolve_unit``.
    Nothing changed, nothing recorded.
    """
    require_unit_manager(actor)
    name = _clean_name(name)
    _check_level(level)
    _check_parent(parent=parent, catalog=unit.catalog, level=level, unit=unit)
    before = snapshot(unit, AUDITED_FIELDS)
    unit.name, unit.level, unit.parent, unit.active = name, level, parent, active
    if requires_head_approval is not None:  # None: left as it is (单位负责人审核, docs/chain.md)
        unit.requires_head_approval = requires_head_approval
    unit.aliases = _clean_aliases(aliases, name)
    changes = diff(before, snapshot(unit, AUDITED_FIELDS))
    if changes:
        unit.save(update_fields=list(changes))
        record(action="update", obj=unit, actor=actor, changes=changes)
    return unit


def set_head_approval(*, actor: Any, unit: Unit, required: bool) -> Unit:
    """Switch the unit-head approval step (单位负责人审核) on or off for the unit; audited like any edit."""
    return update_unit(
        actor=actor,
        unit=unit,
        name=unit.name,
        level=unit.level,
        aliases=unit.aliases,
        parent=unit.parent,
        active=unit.active,
        requires_head_approval=required,
    )
