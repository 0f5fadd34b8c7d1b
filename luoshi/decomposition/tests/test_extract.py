"""Tests of the rule-based extractors on the seed decision, the test documents and the corpus."""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from luoshi.decomposition.extract import (
    action_title,
    classify_sentence,
    extract_actions,
    extract_deadlines,
    extract_programmes,
    extract_recurring,
    extract_targets,
    extract_unit_mentions,
    find_unit_parentheticals,
    parse_unit_parenthetical,
    split_actions,
)
from luoshi.decomposition.extract.programmes import _Windows
from luoshi.documents.textproc.normalize import normalize
from luoshi.lib import nlp
from luoshi.lib.nlp import split_sentences
from luoshi.testing import paths
from luoshi.testing.corpus import Corpus, corpus_params


@lru_cache(maxsize=1)
def seed() -> str:
    return normalize(paths.seed_text()).text


def seed_item(number: str, next_number: str) -> str:
    text = seed()
    i = text.index(f"（{number}）")
    return text[i : text.index(f"（{next_number}）", i)]


DOCUMENT_NAMES = sorted(p.name for p in paths.DOCUMENTS.glob("*.txt") if "gbk" not in p.name)


# ------------------------------------------------------------------ programmes
def test_seed_programmes_and_range() -> None:
    text = seed()
    progs = extract_programmes(text)
    names = [p.name for p in progs]
    for expected in (
        "新能源倍增行动",
        "国家通用语言文字普及提升工程",
        "推普助力乡村振兴计划",
        "各民族青少年交流计划",
        "国家新一轮找矿突破战略行动",
        "旅游促进各民族交往交流交融计划",
    ):
        assert expected in names, (expected, names)
    research = next(p for p in progs if p.name.endswith("中华民族共同体建设研究工程"))
    assert not research.name.startswith("实施")
    assert text[research.start : research.end] == research.name
    # The (2023-2027年) right after the programme is a range.
    spans = extract_deadlines(text[research.end : research.end + 20])
    assert spans[0].kind == "range"
    assert (spans[0].start_date, spans[0].end_date) == ("2023-01-01", "2027-12-31")


def test_programme_names_exclude_governing_verbs() -> None:
    progs = extract_programmes("加快实施新能源倍增行动，深入实施乡村振兴战略，推进战略性新兴产业发展。")
    assert [p.name for p in progs] == ["新能源倍增行动", "乡村振兴战略"]
    assert [p.keyword for p in progs] == ["行动", "战略"]
    assert extract_programmes("坚持计划生育基本国策，试点城市政府负责落实。") == []


# --------------------------------------------------------------------- targets
def test_rare_earth_qualitative_targets() -> None:
    item = seed_item("十", "十一")
    quals = [t for t in extract_targets(item) if t.kind == "qualitative"]
    goals = [t.metric for t in quals]
    assert "全国最大的稀土新材料基地" in goals
    assert "全球领先的稀土应用基地" in goals
    first = next(t for t in quals if t.metric == "全国最大的稀土新材料基地")
    assert first.text == "打造全国最大的稀土新材料基地"
    assert item[first.start : first.end] == first.text
    # 新能源倍增行动 is a programme, not a doubling target.
    assert not [t for t in extract_targets(item) if t.kind == "quantitative"]


def _targets_paragraph(text: str) -> str:
    i = text.index("今年经济社会发展的主要预期目标是")
    return text[i : text.index("\n", i)]


def test_work_report_targets() -> None:
    para = _targets_paragraph(paths.document_text("work_report.txt"))
    targets = {t.metric: t for t in extract_targets(para) if t.kind == "quantitative"}
    gdp = targets["国内生产总值"]
    assert (gdp.value, gdp.value_max, gdp.unit, gdp.direction) == (5.0, 5.5, "%", "increase")
    jobs = targets["城镇新增就业"]
    assert (jobs.value, jobs.unit, jobs.qualifier, jobs.bound) == (1200.0, "万人", "以上", "min")
    energy = targets["单位国内生产总值能耗"]
    assert (energy.value, energy.qualifier, energy.direction) == (2.0, "左右", "decrease")
    assert targets["城镇登记失业率"].bound == "max"
    assert not any(t.is_past for t in targets.values())


def test_corpus_work_report_targets(corpus: Corpus) -> None:
    para = _targets_paragraph(corpus.text("src_gwr_national_2019.txt"))
    targets = {t.metric: t for t in extract_targets(para) if t.kind == "quantitative"}
    gdp = targets["国内生产总值"]
    assert (gdp.value, gdp.value_max, gdp.unit, gdp.direction) == (6.0, 6.5, "%", "increase")
    jobs = targets["城镇新增就业"]
    assert (jobs.value, jobs.unit, jobs.qualifier, jobs.bound) == (1100.0, "万人", "以上", "min")
    energy = targets["单位国内生产总值能耗"]
    assert (energy.value, energy.qualifier, energy.direction) == (3.0, "左右", "decrease")
    assert targets["城镇登记失业率"].bound == "max"
    assert not any(t.is_past for t in targets.values())


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "direction"),
    [
        ("国内生产总值增长6%左右", 6.0, "%", "左右", "increase"),
        ("赤字率控制在3%以内", 3.0, "%", "以内", "reach"),
        ("可再生能源装机达到1.35亿千瓦", 1.35, "亿千瓦", "", "reach"),
        ("森林覆盖率提高到60%以上", 60.0, "%", "以上", "increase"),
        ("全年粮食产量保持在1.3万亿斤以上", 1.3, "万亿斤", "以上", "reach"),
        ("安排专项资金300万元", 300.0, "万元", "", None),
        ("新增装机15万千瓦", 15.0, "万千瓦", "", "increase"),
        ("粮食产量5000亿斤以上", 5000.0, "亿斤", "以上", "reach"),
        ("城乡居民收入翻一番", 2.0, "倍", "", "increase"),
    ],
)
def test_quantitative_forms(
    text: str, value: float, unit: str, qualifier: str, direction: str | None
) -> None:
    quant = [t for t in extract_targets(text) if t.kind == "quantitative"]
    assert len(quant) == 1, quant
    t = quant[0]
    assert (t.value, t.unit, t.qualifier, t.direction) == (value, unit, qualifier, direction)
    assert text[t.start : t.end] == t.text


def test_not_targets() -> None:
    text = "国办发〔2018〕117号文件第二十一条规定，2019年1月1日起施行。1.拓展两个市场。"
    assert [t for t in extract_targets(text) if t.kind == "quantitative"] == []


def test_past_figures_flagged() -> None:
    t = extract_targets("过去一年，国内生产总值增长了6.6%，比上年提高0.2个百分点。")
    assert t and all(x.is_past for x in t)


def test_qualitative_forms() -> None:
    goals = {
        t.metric
        for t in extract_targets("力争进入全国前列，实现村级综合服务设施全覆盖，建成国家生态文明示范区。")
    }
    assert {"全国前列", "村级综合服务设施全覆盖", "国家生态文明示范区"} <= goals


# ----------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2023-2027年", "range", "2023-01-01", "2027-12-31"),
        ("2023—2027年", "range", "2023-01-01", "2027-12-31"),
        ("到2025年，基本建成", "deadline", None, "2025-12-31"),
        ("2025年6月底前完成", "deadline", None, "2025-06-30"),
        ("年底前完成", "deadline", None, "2024-12-31"),
        ("年内出台", "deadline", None, "2024-12-31"),
        ("2019年1月1日至12月31日", "range", "2019-01-01", "2019-12-31"),
        ("今后五年", "range", "2024-01-01", "2028-12-31"),
        ("“十四五”时期", "range", "2021-01-01", "2025-12-31"),
        ("2020年以前", "deadline", None, "2020-12-31"),
        ("6月底前", "deadline", None, "2024-06-30"),
        ("到本世纪中叶", "deadline", None, "2050-12-31"),
        ("自2019年1月1日起", "range", "2019-01-01", None),
        ("2025年上半年", "deadline", None, "2025-06-30"),
    ],
)
def test_date_forms(text: str, kind: str, start: str | None, end: str | None) -> None:
    found = [t for t in extract_deadlines(text, reference_year=2024) if t.kind != "recurring"]
    assert len(found) == 1, found
    t = found[0]
    assert (t.kind, t.start_date, t.end_date) == (kind, start, end)
    assert text[t.start : t.end] == t.text


def test_relative_and_unresolved() -> None:
    (t,) = extract_deadlines("三年内完成改造")
    assert (t.kind, t.duration, t.text) == ("relative", "P3Y", "三年内")
    (t,) = extract_deadlines("30个工作日内办结")
    assert t.duration == "P30D"
    (t,) = extract_deadlines("年底前完成")  # no reference year: kind known, date not
    assert (t.kind, t.end_date) == ("deadline", None)
    (t,) = extract_deadlines("今后五年")
    assert (t.kind, t.duration) == ("relative", "P5Y")


def test_recurring() -> None:
    found = extract_recurring(
        "每月25日前报送进展，每季度通报一次，每半年评估，每年3月底前总结，建立常态化机制，定期报告。"
    )
    got = [(t.recurrence, t.day, t.month, t.explicit) for t in found]
    assert got == [
        ("monthly", 25, None, True),
        ("quarterly", None, None, True),
        ("semiannual", None, None, True),
        ("yearly", None, 3, True),
        ("regular", None, None, False),
        ("regular", None, None, True),
    ]
    # Rates are not recurrences.
    assert extract_recurring("基础养老金最低标准从每人每月70元提高到88元") == []
    # Folded into extract_deadlines by default.
    assert [t.kind for t in extract_deadlines("2019年6月底前，每月调度一次")] == ["deadline", "recurring"]


# ----------------------------------------------------------------------- units
def _gold_records(files: list[Path]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in files:
        out.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def assert_gold_leads_first(records: list[dict[str, object]]) -> None:
    """Every official parenthetical parses, its first unit leads, and the co-units are in its wording."""
    assert records
    hits = 0
    for r in records:
        units = parse_unit_parenthetical(str(r["units_raw"]))
        assert units, r["units_raw"]
        lead = units[0]
        assert lead.role == "lead"
        # The gold lead field is regex-derived and sometimes keeps a role word
        # ("生态环境部指导"); units_raw is authoritative.
        gold_lead = str(r["lead_first_listed"])
        for suffix in ("指导", "会同有关部门"):
            gold_lead = gold_lead.removesuffix(suffix)
        hits += lead.name == gold_lead
        others = [u.name for u in units[1:] if not u.generic]
        assert all(o in str(r["units_raw"]) for o in others), r
    assert hits == len(records)


def assert_parentheticals_found(text: str) -> list[str]:
    """The unit parentheticals found, each with a lead and spans that point at their own text."""
    found = find_unit_parentheticals(text)
    for a in found:
        assert text[a.start : a.end] == a.text
        assert a.lead is not None
        for u in a.units:
            assert text[u.start : u.end] == u.text
    return [a.text for a in found]


def test_gold_parentheticals_lead_first() -> None:
    records = _gold_records([paths.document_path("notice_tasks.jsonl")])
    assert_gold_leads_first(records)
    # The notice's records name every unit: lead first, then the others in order.
    for r in records:
        named = [u.name for u in parse_unit_parenthetical(str(r["units_raw"])) if not u.generic]
        assert named == [r["lead_first_listed"], *r["others"]], r["units_raw"]  # type: ignore[misc]


def test_gold_inline_parentheticals_found() -> None:
    # Every official assignment of the notice is found, and nothing else: not "市（地、州、盟）",
    # nor an aside in brackets that names a department.
    found = assert_parentheticals_found(paths.document_text("notice_inline.txt"))
    records = _gold_records([paths.document_path("notice_tasks.jsonl")])
    assert found == [f"（{r['units_raw']}）" for r in records]
    assert assert_parentheticals_found(paths.document_text("notice_stripped.txt")) == []


def test_corpus_gold_parentheticals_lead_first(corpus: Corpus) -> None:
    assert_gold_leads_first(_gold_records(corpus.files("gold/gold_tasks_*.jsonl")))


def test_corpus_gold_inline_parentheticals_found(corpus: Corpus) -> None:
    for path in corpus.files("gold/gold_inline_*.txt"):
        found = assert_parentheticals_found(path.read_text(encoding="utf-8"))
        assert len(found) >= 20 or "2018128" in path.name, (path.name, len(found))
    text = corpus.text("gold_inline_国办发2018117.txt")
    assert "（企业直接向国家发展改革委申报，不需省级发展改革部门转报）" not in assert_parentheticals_found(
        text
    )


def test_parenthetical_forms() -> None:
    units = parse_unit_parenthetical("（人力资源社会保障部、财政部负责）")
    assert [(u.name, u.role) for u in units] == [("人力资源社会保障部", "lead"), ("财政部", "co")]
    units = parse_unit_parenthetical("（国家发展改革委牵头，财政部等按职责分工负责）")
    assert [(u.name, u.role) for u in units] == [("国家发展改革委", "lead"), ("财政部", "co")]
    assert units[1].and_others
    units = parse_unit_parenthetical("（国家发展改革委、财政部会同有关部门负责）")
    assert [(u.name, u.role) for u in units] == [
        ("国家发展改革委", "lead"),
        ("财政部", "co"),
        ("有关部门", "generic"),
    ]
    units = parse_unit_parenthetical("（商务部、海关总署等有关部门负责）")
    assert [u.role for u in units] == ["lead", "co", "generic"]
    assert parse_unit_parenthetical("（地、州、盟）") == []


def test_unit_roles_in_free_text() -> None:
    text = "由国家发展改革委牵头，会同财政部、商务部等有关部门负责；各盟市要积极配合。全面把握格局，加强干部队伍建设。"
    got = [(u.text, u.role) for u in extract_unit_mentions(text)]
    assert got == [
        ("国家发展改革委", "lead"),
        ("财政部", "co"),
        ("商务部", "co"),
        ("有关部门", "generic"),
        ("各盟市", "generic"),
    ]
    for u in extract_unit_mentions(text):
        assert text[u.start : u.end] == u.text
    # With a catalog callback, its names are used (and roles still detected).
    names = [(text.index("财政部"), text.index("财政部") + 3, "财政部")]
    got = [(u.name, u.role) for u in extract_unit_mentions(text, names=lambda _t: names)]
    assert ("财政部", "co") in got
    got = [
        (u.text, u.role)
        for u in extract_unit_mentions("牵头单位：自治区发展改革委；配合单位：自治区财政厅、自治区商务厅")
    ]
    assert got == [("自治区发展改革委", "lead"), ("自治区财政厅", "co"), ("自治区商务厅", "co")]


# --------------------------------------------------------------------- actions
def test_high_standard_farmland_action() -> None:
    item = seed_item("十一", "十二") if "（十二）" in seed() else seed()[seed().index("（十一）") :]
    acts = extract_actions(item)
    farm = next(a for a in acts if "高标准农田" in a.object)
    assert (farm.verb, farm.object) == ("全面加强", "高标准农田建设")
    assert farm.core in ("加强", "全面加强")
    assert item[farm.start : farm.end] == farm.text


def test_energy_actions_and_title() -> None:
    item = seed_item("十", "十一")
    acts = extract_actions(item)
    pairs = [(a.verb, a.object) for a in acts]
    assert ("加快推进", "新能源大基地、装备制造基地和电力外送通道建设") in pairs
    assert ("加快实施", "新能源倍增行动") in pairs
    assert ("做大做强", "稀土应用产业链") in pairs
    assert action_title("加快推进新能源大基地、装备制造基地和电力外送通道建设") == "加快推进新能源大基地建设"
    # A short leading heading is the title.
    assert action_title(item) == "着眼培优增效，把国家重要能源和战略资源基地建设得势强劲足"
    assert (
        action_title("1.拓展两个市场。积极稳妥地在综合保税区推广增值税一般纳税人资格试点。") == "拓展两个市场"
    )
    assert len(action_title("加强" + "稀土资源保护性开发高质化利用规范化管理" * 3)) <= 30


def test_split_actions() -> None:
    sentence = "2019年6月底前，持续做好“地、水、种”的文章，不断扩大数量、提高质量、增加产量，努力打造国家的重要“粮仓”。"
    spans = split_actions(sentence)
    texts = [s.text for s in spans]
    assert texts == [
        "2019年6月底前，持续做好“地、水、种”的文章",
        "不断扩大数量",
        "提高质量",
        "增加产量，努力打造国家的重要“粮仓”",
    ]
    for s in spans:
        assert sentence[s.start : s.end] == s.text
    # A 、 list of nouns is not split.
    spans = split_actions(
        "加快推进新能源大基地、装备制造基地和电力外送通道建设，统筹布局源网荷储，转变开发利用方式。"
    )
    assert [s.verb for s in spans] == ["加快推进", "统筹布局", "转变"]


# ---------------------------------------------------------------- classification
@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("加快推进新能源大基地、装备制造基地和电力外送通道建设。", "task"),
        ("健全完善农企利益联结机制，积极推进“三变”改革。", "task"),
        ("各地区要每月25日前报送工作进展情况。", "recurring"),
        ("定期开展督查检查，及时通报进展情况。", "recurring"),
        ("必须传承好心向党、心向党中央的红色基因。", "principle"),
        ("坚持以习近平新时代中国特色社会主义思想为指导。", "principle"),
        ("就业是民生之本、财富之源。", "principle"),
        ("到2025年，“无废城市”建设试点取得明显成效。", "principle"),
        ("过去一年，中国特色大国外交取得新成就。", "review"),
        ("国内生产总值增长了6.6%，比上年提高0.2个百分点。", "review"),
        ("各位代表：", "other"),
        (
            "让我们更加紧密地团结在以习近平同志为核心的党中央周围，为实现中华民族伟大复兴的中国梦而努力奋斗！",
            "other",
        ),
    ],
)
def test_classify(sentence: str, label: str) -> None:
    assert classify_sentence(sentence) == label


# ------------------------------------------------------------- whole corpus
@pytest.mark.parametrize("name", DOCUMENT_NAMES)
def test_no_extractor_raises_on_the_documents(name: str) -> None:
    assert_extractors_hold(paths.document_text(name))


@pytest.mark.parametrize("path", corpus_params("texts/*.txt", "gold/*.txt"))
def test_no_extractor_raises_on_corpus(path: Path) -> None:
    assert_extractors_hold(path.read_text(encoding="utf-8"))


def assert_extractors_hold(source: str) -> None:
    """Every extractor runs on every sentence and its spans point at its own text."""
    text = normalize(source).text
    for s, e in split_sentences(text):
        sent = text[s:e]
        for t in extract_targets(sent):
            assert sent[t.start : t.end] == t.text
        for d in extract_deadlines(sent, reference_year=2020):
            assert sent[d.start : d.end] == d.text
        for p in extract_programmes(sent):
            assert sent[p.start : p.end] == p.name
        for u in extract_unit_mentions(sent):
            assert sent[u.start : u.end] == u.text
        for a in extract_actions(sent, use_pos=False):
            assert sent[a.start : a.end] == a.text
        for sp in split_actions(sent, use_pos=False):
            assert sent[sp.start : sp.end] == sp.text
        assert classify_sentence(sent) in {"task", "recurring", "principle", "review", "other"}
        assert len(action_title(sent)) <= 30
        find_unit_parentheticals(sent)


def test_to_dict_equals_asdict() -> None:
    text = seed()
    items: list[Any] = [
        *extract_targets(text),
        *extract_deadlines(text, reference_year=2024),
        *extract_programmes(text),
        *extract_unit_mentions(text),
        *extract_actions(text[:2000], use_pos=False),
        *split_actions(text[:2000], use_pos=False),
    ]
    assert {type(i).__name__ for i in items} >= {
        "Target",
        "TimeExpr",
        "Programme",
        "UnitMention",
        "Action",
        "ActionSpan",
    }
    for item in items:
        assert item.to_dict() == dataclasses.asdict(item)
        assert list(item.to_dict()) == [f.name for f in dataclasses.fields(item)]


def test_programmes_from_precomputed_tokens() -> None:
    text = seed()
    tokens = nlp.tokens(text)
    progs = extract_programmes(text, tokens=tokens)
    assert progs
    for p in progs:
        assert text[p.start : p.end] == p.name
    # The same names as when each window is sliced from the tokens by brute force.
    windows = _Windows(text, tokens)
    for start, end in [(0, 40), (5, 17), (100, 160), (len(text) - 30, len(text))]:
        assert windows(start, end) == [tuple(t) for t in tokens if t.start >= start and t.end <= end]
