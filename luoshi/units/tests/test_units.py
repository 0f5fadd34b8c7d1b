from __future__ import annotations

import pytest

from luoshi.units.models import Unit
from luoshi.units.services import load_units, resolve_unit

pytestmark = pytest.mark.django_db


def test_both_catalogs_load_side_by_side_without_clashing_codes() -> None:
    im = load_units(catalog="inner-mongolia")
    sc = load_units(catalog="state-council")
    assert im.created > 80 and sc.created > 80
    drc = Unit.objects.filter(code="drc").values_list("catalog", "name")
    assert len(drc) == 2
    assert load_units(catalog="inner-mongolia").created == 0  # idempotent


def test_hierarchy_is_stored() -> None:
    load_units(catalog="inner-mongolia")
    county = Unit.objects.filter(level="county").select_related("parent__parent").first()
    assert county is not None and county.parent is not None
    assert county.parent.level == "league_city"


def test_resolve_unit_by_name_alias_and_catalog() -> None:
    load_units(catalog="inner-mongolia")
    load_units(catalog="state-council")
    farm = resolve_unit("内蒙古自治区农牧厅", catalog="inner-mongolia")
    assert farm is not None and farm.catalog == "inner-mongolia"
    finance = resolve_unit("财政部", catalog="state-council")
    assert finance is not None and finance.name == "财政部"
    hrss = resolve_unit("人社部", catalog="state-council")
    assert hrss is not None and hrss.name == "人力资源和社会保障部"
    assert resolve_unit("不存在的单位", catalog="inner-mongolia") is None
    assert resolve_unit("  ") is None


@pytest.mark.django_db
def test_reloading_refreshes_the_divisions_and_deactivates_those_gone() -> None:
    from luoshi.units.services import load_units

    load_units(catalog="inner-mongolia")
    gone = Unit.objects.create(
        catalog="inner-mongolia", code="gb159999", name="已撤销旗", level="county", division_code="159999"
    )
    by_hand = Unit.objects.create(catalog="inner-mongolia", code="by-hand", name="手工单位", level="region")
    report = load_units(catalog="inner-mongolia")
    assert (report.created, report.deactivated) == (0, 1)
    gone.refresh_from_db()
    by_hand.refresh_from_db()
    assert not gone.active and by_hand.active
    ordos = Unit.objects.get(catalog="inner-mongolia", code="ordos")
    assert ordos.division_code == "150600"
    assert ordos.former_names == [{"name": "伊克昭盟", "until": "2001"}]
    assert Unit.objects.get(catalog="inner-mongolia", code="gb150105").parent == Unit.objects.get(
        catalog="inner-mongolia", code="hohhot"
    )
