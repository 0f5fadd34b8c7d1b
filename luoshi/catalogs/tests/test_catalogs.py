"""Tests for unit catalogs, name finding and unit suggestion."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from luoshi.catalogs.catalog import LEVELS, Catalog, CatalogError, load_catalog
from luoshi.catalogs.suggest import suggest_units, suggest_units_many
from luoshi.lib import nlp


@pytest.fixture(scope="module")
def sc() -> Catalog:
    return load_catalog("state-council")


@pytest.fixture(scope="module")
def im() -> Catalog:
    return load_catalog("inner-mongolia")


def _codes(text: str, catalog: Catalog, context: str = "", k: int = 3) -> list[str]:
    return [s.unit_code for s in suggest_units(text, catalog, context=context, k=k)]


# ------------------------------------------------------------ loading
@pytest.mark.parametrize("name", ["state-council", "inner-mongolia"])
def test_builtin_catalogs_load_and_validate(name: str) -> None:
    cat = load_catalog(name)
    assert cat.name == name
    assert len(cat.units) >= 60
    assert len({u.code for u in cat.units}) == len(cat.units)
    for u in cat.units:
        assert u.name.strip()
        assert u.level in LEVELS
        assert len(u.functions) >= 20, u.code
        if u.parent is not None:
            assert u.parent in cat.by_code


def test_state_council_core_units(sc: Catalog) -> None:
    for name in [
        "国务院办公厅",
        "外交部",
        "退役军人事务部",
        "应急管理部",
        "审计署",
        "国务院国有资产监督管理委员会",
        "海关总署",
        "国家体育总局",
        "国家医疗保障局",
        "中国证券监督管理委员会",
        "国家林业和草原局",
        "国家药品监督管理局",
        "中央网络安全和信息化委员会办公室",
        "最高人民法院",
        "省级人民政府",
    ]:
        assert cat_has(sc, name), name
    assert sc.lookup("人社部") is sc.by_code["mohrss"]
    assert sc.lookup("国家发改委") is sc.by_code["ndrc"]
    assert sc.lookup("各省（区、市）人民政府") is sc.by_code["provincial-governments"]
    names = (
        "外交部 国防部 国家发展和改革委员会 教育部 科学技术部 工业和信息化部 国家民族事务委员会 公安部 "
        "国家安全部 民政部 司法部 财政部 人力资源和社会保障部 自然资源部 生态环境部 住房和城乡建设部 "
        "交通运输部 水利部 农业农村部 商务部 文化和旅游部 国家卫生健康委员会 退役军人事务部 "
        "应急管理部 中国人民银行 审计署"
    )
    components = names.split()
    assert len(components) == 26
    for name in components:
        assert cat_has(sc, name), name


def cat_has(cat: Catalog, name: str) -> bool:
    return any(u.name == name for u in cat.units)


def test_inner_mongolia_hierarchy(im: Catalog) -> None:
    leagues = [u for u in im.units if u.level == "league_city" and u.kind == "league_city"]
    assert len(leagues) == 12
    counties = [u for u in im.units if u.level == "county"]
    assert counties
    parents = {c.parent for c in counties}
    assert len(parents) >= 2
    for c in counties:
        parent = im.by_code[c.parent or ""]
        assert parent.level == "league_city"
        assert parent.parent is None  # leagues/cities hang under the region itself
        assert im.ancestors(c.code) == [parent]
    assert im.lookup("自治区发展改革委") is im.by_code["drc"]
    assert im.lookup("发改委") is im.by_code["drc"]
    assert im.lookup("各盟行政公署") is im.by_code["all-leagues-cities"]
    # derived alias: 内蒙古自治区X -> 自治区X
    assert im.lookup("自治区水利厅") is im.by_code["water"]
    assert {u.code for u in im.children("ordos")} >= {"ordos-jungar"}


# ------------------------------------------------------------ find_name
def test_find_name_lead_and_aliases(sc: Catalog) -> None:
    ms = sc.find_name("由财政部牵头，人力资源社会保障部配合")
    assert [(m.unit_code, m.lead) for m in ms] == [("mof", True), ("mohrss", False)]
    assert ms[0].text == "财政部" and (ms[0].start, ms[0].end) == (1, 4)
    ms = sc.find_name("体育总局、民政部、人力资源社会保障部负责")
    assert [(m.unit_code, m.lead) for m in ms] == [("gas", True), ("mca", False), ("mohrss", False)]


def test_find_name_longest_match_and_generic(sc: Catalog) -> None:
    ms = sc.find_name("中国人民银行会同国家发展改革委、各有关部门和各地财政部门")
    assert [m.text for m in ms] == ["中国人民银行", "国家发展改革委"]
    assert sc.find_name("各部门、有关部门要加强协作") == []
    assert sc.find_name("教育部门和商务部门") == []


def test_find_name_local_counterparts(im: Catalog) -> None:
    ms = im.find_name("自治区发展改革委牵头，呼和浩特市市场监管局、各盟市配合")
    assert [m.unit_code for m in ms] == ["drc", "hohhot", "all-leagues-cities"]
    assert ms[0].lead


def test_find_name_on_long_text(im: Catalog) -> None:
    text = "自治区工信厅、能源局负责推进稀土新材料产业发展，各盟市配合。" * 5000
    ms = im.find_name(text)
    assert len(ms) == 15000


# ------------------------------------------------------------ suggestion
def test_explicit_unit_ranks_first(sc: Catalog) -> None:
    sugg = suggest_units("举办高水平体育赛事，由财政部牵头，公安部配合。", sc, k=5)
    assert [s.unit_code for s in sugg[:2]] == ["mof", "mps"]
    assert sugg[0].source == "text" and sugg[0].score == 1.0
    assert "由财政部牵头" in sugg[0].why
    assert sugg[2].source == "content" and sugg[2].unit_code == "gas"
    assert all(0 < s.score <= 1 for s in sugg)
    assert sugg == sorted(sugg, key=lambda s: -s.score)


def test_first_listed_leads_without_marker(sc: Catalog) -> None:
    assert _codes("商务部、海关总署推动跨境电商发展", sc)[:2] == ["mofcom", "gacc"]


def test_content_sports(sc: Catalog) -> None:
    text = "大力发展职业赛事，鼓励举办马拉松等业余体育赛事，广泛开展全民健身活动。"
    sugg = suggest_units(text, sc, k=3)
    assert sugg[0].unit_code == "gas"
    assert sugg[0].source == "content"
    assert sugg[0].why.startswith("职能匹配：")
    assert "赛事" in sugg[0].why or "体育赛事" in sugg[0].why or "全民" in sugg[0].why


def test_content_customs(sc: Catalog) -> None:
    text = "支持综合保税区内企业开展保税维修业务，简化货物进出区管理，提升通关效率。"
    assert "gacc" in _codes(text, sc)


def test_content_context_helps(sc: Catalog) -> None:
    codes = _codes("鼓励社会资本参与。", sc, context="加快发展体育竞赛表演产业 丰富赛事活动")
    assert codes[0] == "gas"


@pytest.mark.parametrize(
    "text",
    [
        "加快稀土新材料产业发展，推动稀土永磁材料向高端延伸，打造全国最大的稀土新材料基地。",
        "大力发展新能源，新增新能源装机规模，推进风光制氢一体化和新型储能项目建设。",
    ],
)
def test_content_inner_mongolia_industry(im: Catalog, text: str) -> None:
    codes = _codes(text, im)
    assert {"miit", "energy", "drc"} & set(codes)
    assert codes[0] in {"miit", "energy", "drc"}


def test_no_content_for_places(im: Catalog) -> None:
    codes = _codes("推进稀土新材料和新能源产业发展", im, k=10)
    assert not {"baotou", "all-leagues-cities"} & set(codes)


def test_empty_text(sc: Catalog) -> None:
    assert suggest_units("", sc) == []
    assert suggest_units("。", sc) == []


# ------------------------------------------------------------ CSV and errors
def test_csv_catalog(tmp_path: Path) -> None:
    p = tmp_path / "city.csv"
    p.write_text(
        "code,name,aliases,level,kind,parent,functions\n"
        "gov,某市人民政府,市政府,league_city,league_city,,负责全市工作\n"
        "sports,某市体育局,市体育局;体育局,county,bureau,gov,负责体育赛事和全民健身\n"
        "edu,某市教育局,市教育局、教育局,county,bureau,gov,负责学校教育和教师队伍\n",
        encoding="utf-8",
    )
    cat = load_catalog(str(p))
    assert len(cat.units) == 3
    assert cat.by_code["sports"].aliases == ("市体育局", "体育局")
    assert cat.by_code["edu"].aliases == ("市教育局", "教育局")
    assert cat.by_code["sports"].parent == "gov"
    assert _codes("举办马拉松体育赛事", cat)[0] == "sports"
    assert [m.unit_code for m in cat.find_name("由市教育局牵头")] == ["edu"]


def _write_yaml(tmp_path: Path, units: str) -> str:
    p = tmp_path / "bad.yaml"
    p.write_text("name: bad\ntitle: 测试\nunits:\n" + units, encoding="utf-8")
    return str(p)


def test_duplicate_code_raises(tmp_path: Path) -> None:
    path = _write_yaml(
        tmp_path,
        (
            "- {code: a, name: 甲局, level: region, kind: bureau, functions: 甲}\n"
            "- {code: a, name: 乙局, level: region, kind: bureau, functions: 乙}\n"
        ),
    )
    with pytest.raises(CatalogError) as exc:
        load_catalog(path)
    msg = str(exc.value)
    assert "乙局" in msg and "重复" in msg and "duplicate" in msg


def test_unknown_parent_raises(tmp_path: Path) -> None:
    path = _write_yaml(
        tmp_path, ("- {code: a, name: 甲局, level: region, kind: bureau, parent: nowhere, functions: 甲}\n")
    )
    with pytest.raises(CatalogError) as exc:
        load_catalog(path)
    msg = str(exc.value)
    assert "甲局" in msg and "nowhere" in msg and "unknown parent" in msg


def test_empty_name_and_bad_csv_row_raise(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("code,name,aliases,level,kind,parent,functions\nx,,,region,bureau,,\n", encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog(str(p))
    assert "第2行" in str(exc.value) and "x" in str(exc.value)
    with pytest.raises(CatalogError):
        load_catalog("no-such-catalog")


def test_suggest_units_many_matches_one_by_one(sc: Catalog) -> None:
    text = (
        "举办高水平体育赛事，由财政部牵头，公安部配合；简化货物进出区管理，提升通关效率；"
        "广泛开展全民健身活动，鼓励社会资本参与。"
    )
    cuts = [0, text.index("，由"), text.index("；"), text.rindex("；"), len(text) - 1, len(text)]
    spans = list(pairwise(cuts))  # 举办…赛事 | ，由财政部牵头，公安部配合 | …通关效率 | …参与 | 。
    context = "加快发展体育竞赛表演产业"
    tokens = nlp.tokens(text)
    batched = suggest_units_many(text, spans, sc, context=context, k=4, tokens=tokens)
    unsegmented = suggest_units_many(text, spans, sc, context=context, k=4)
    assert len(batched) == len(unsegmented) == len(spans)
    for (start, end), got, got_unsegmented in zip(spans, batched, unsegmented, strict=True):
        piece = text[start:end]
        own = [
            nlp.Token(t.word, t.start - start, t.end - start)
            for t in tokens
            if start <= t.start and t.end <= end
        ]
        assert got == suggest_units(piece, sc, context=context, k=4, tokens=own)
        assert got_unsegmented == suggest_units(piece, sc, context=context, k=4)
    assert batched[1][0].unit_code == "mof" and batched[1][0].source == "text"
    assert batched[-1][0].unit_code == "gas"  # "。": the context alone
    assert all(s.why.startswith("职能匹配：") for s in batched[0])
    assert suggest_units_many(text, spans, sc, k=0) == [[] for _ in spans]
