"""Units created and edited by hand: who may, what is refused, what the audit trail keeps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from luoshi.accounts.models import Role
from luoshi.audit.services import entries_for
from luoshi.people.units import UnitError, create_unit, update_unit
from luoshi.testing.world import make_user
from luoshi.units.models import Unit
from luoshi.units.services import resolve_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> Any:
    return make_user("office", Role.SUPERVISOR)


@pytest.fixture
def region(office: Any) -> Unit:
    return create_unit(actor=office, catalog="local", code="drc", name="自治区发展改革委", level="region")


def test_the_office_creates_a_unit_and_the_entry_names_it(office: Any) -> None:
    unit = create_unit(
        actor=office,
        catalog=" local ",
        code="energy",
        name=" 自治区能源局 ",
        level="region",
        aliases=["能源局", " ", "能源局", "自治区能源局"],
        kind="government",
    )
    assert (unit.catalog, unit.code, unit.name, unit.aliases, unit.active) == (
        "local",
        "energy",
        "自治区能源局",
        ["能源局"],
        True,
    )
    entry = entries_for(unit).get()
    assert (entry.action, entry.actor) == ("create", office)
    assert entry.changes["code"] == [None, "energy"] and entry.changes["aliases"] == [None, ["能源局"]]


def test_a_duplicate_code_in_the_catalog_is_refused_in_both_languages(office: Any, region: Unit) -> None:
    with pytest.raises(UnitError) as caught:
        create_unit(actor=office, catalog="local", code="drc", name="另一个单位", level="region")
    assert caught.value.code == "code_taken"
    assert caught.value.message_zh == "目录“local”中已有代码为“drc”的单位。"
    assert caught.value.message_en == "The catalog 'local' already has a unit with the code 'drc'."
    other = create_unit(actor=office, catalog="state", code="drc", name="国家发展改革委", level="central")
    assert Unit.objects.filter(code="drc").count() == 2 and other.catalog == "state"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"code": "发改委"}, "bad_code"),
        ({"code": " "}, "code_required"),
        ({"catalog": ""}, "catalog_required"),
        ({"name": "  "}, "name_required"),
        ({"level": "province"}, "bad_level"),
    ],
)
def test_it_refuses_missing_or_malformed_fields(office: Any, fields: dict[str, str], code: str) -> None:
    given = {"catalog": "local", "code": "x", "name": "某单位", "level": "region", **fields}
    with pytest.raises(UnitError) as caught:
        create_unit(
            actor=office,
            catalog=given["catalog"],
            code=given["code"],
            name=given["name"],
            level=given["level"],
        )
    assert caught.value.code == code and caught.value.message_zh and caught.value.message_en
    assert not Unit.objects.exists()


@pytest.mark.parametrize("role", [Role.LIAISON, Role.UNIT_HEAD, Role.LEADER, None])
def test_only_the_office_and_administrators_maintain_units(region: Unit, role: str | None) -> None:
    someone = make_user("someone", role, region if role in (Role.LIAISON, Role.UNIT_HEAD) else None)
    with pytest.raises(PermissionDenied):
        create_unit(actor=someone, catalog="local", code="y", name="某单位", level="region")
    with pytest.raises(PermissionDenied):
        update_unit(
            actor=someone, unit=region, name="改名", level="region", aliases=[], parent=None, active=True
        )
    admin = make_user("admin", Role.ADMIN)
    assert create_unit(actor=admin, catalog="local", code="y", name="某单位", level="region").pk


def test_an_edit_records_only_what_changed(office: Any, region: Unit) -> None:
    city = create_unit(actor=office, catalog="local", code="hhht", name="呼和浩特", level="league_city")

    def edit() -> Unit:
        return update_unit(
            actor=office,
            unit=city,
            name="呼和浩特市",
            level="league_city",
            aliases=["呼市"],
            parent=region,
            active=False,
        )

    edit()
    city.refresh_from_db()
    assert (city.name, city.aliases, city.parent, city.active) == ("呼和浩特市", ["呼市"], region, False)
    assert entries_for(city).last().changes == {  # type: ignore[union-attr]
        "name": ["呼和浩特", "呼和浩特市"],
        "aliases": [[], ["呼市"]],
        "parent": [None, region.pk],
        "active": [True, False],
    }
    edit()
    assert entries_for(city).count() == 2  # created, edited once; the repeat changed nothing
    assert resolve_unit("呼和浩特市", catalog="local") is None  # inactive units are not found


def test_a_parent_must_be_above_in_the_same_catalog_and_not_below(office: Any, region: Unit) -> None:
    city = create_unit(
        actor=office, catalog="local", code="hhht", name="呼和浩特市", level="league_city", parent=region
    )
    county = create_unit(actor=office, catalog="local", code="wc", name="武川县", level="county", parent=city)
    elsewhere = create_unit(
        actor=office, catalog="state", code="ndrc", name="国家发展改革委", level="central"
    )
    cases = [
        (region, region, "parent_cycle"),
        (region, county, "parent_level"),
        (city, elsewhere, "parent_catalog"),
    ]
    for unit, parent, code in cases:
        with pytest.raises(UnitError) as caught:
            update_unit(
                actor=office,
                unit=unit,
                name=unit.name,
                level=unit.level,
                aliases=[],
                parent=parent,
                active=True,
            )
        assert caught.value.code == code
    with pytest.raises(UnitError) as cycle:  # a unit below, at the same level
        update_unit(
            actor=office,
            unit=region,
            name=region.name,
            level="county",
            aliases=[],
            parent=county,
            active=True,
        )
    assert cycle.value.code == "parent_cycle"
    region.refresh_from_db()
    assert region.parent is None and region.level == "region"
