"""The checks on the draft's own words: fair competition, new powers, premises, procedure."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.review.checks import Flag, Meta, PremiseRule, decision_from_text, draft_from_text, first_pass
from luoshi.review.checks.fair_competition import load_checklist
from luoshi.review.checks.premise import RuleError, validate
from luoshi.review.checks.rules_file import load_rules
from luoshi.review.tests.passages import DECISION, FAITHFUL, with_sentence


def flags_of(text: str, *, meta: Meta | None = None, rules: tuple[PremiseRule, ...] = ()) -> list[Flag]:
    governing = decision_from_text(7, DECISION, rules=rules)
    return first_pass(draft=draft_from_text(text), decisions=[governing], governing=[7], meta=meta).flags


def classes(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(f.cls, f.rule) for f in flags_of(text, **kw)]  # type: ignore[arg-type]


# ---------------------------------------------------------------- fair competition
@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("农村供水管网改造所需管材，限定使用本省企业生产的产品。", "market_entry.designated_goods"),
        ("供水工程施工招标时，优先选择本地企业承建。", "free_flow.procurement"),
        ("外地企业承接本市供水工程的，须在本市注册设立分公司。", "free_flow.outside_operators"),
        ("对在本市注册的供水企业，按其缴纳税收地方留成部分给予返还。", "costs.tax_preference"),
        ("引导各供水企业统一制定桶装水销售价格。", "conduct.monopoly_agreement"),
    ],
)
def test_it_flags_each_group_of_the_fair_competition_standards(sentence: str, item: str) -> None:
    (flag,) = [f for f in flags_of(with_sentence(sentence)) if f.cls == "fair_competition"]
    checklist = {i.code: i for i in load_checklist().items}
    assert flag.sentence == sentence and "公平竞争审查条例" in flag.basis
    assert checklist[item].text in flag.basis and checklist[item].article in flag.basis


def test_a_sentence_that_forbids_the_restriction_is_not_flagged() -> None:
    assert flags_of(with_sentence("不得限定使用特定企业生产的供水管材，对各类经营者一视同仁。")) == []


def test_an_exception_of_article_12_is_noted_for_the_reviewer() -> None:
    (flag,) = flags_of(
        with_sentence("为保护生态环境，水源地周边的养殖场限定使用本地企业提供的粪污处理服务。")
    )
    assert flag.cls == "fair_competition" and "第十二条" in flag.note and "保护生态环境" in flag.note


def test_the_checklist_holds_the_four_groups_of_the_regulation() -> None:
    checklist = load_checklist()
    assert {i.group for i in checklist.items} == {"market_entry", "free_flow", "costs", "conduct"}
    assert {i.article for i in checklist.items} == {"第八条", "第九条", "第十条", "第十一条"}
    assert len(checklist.grounds) == 4


# ---------------------------------------------------------------- new powers
@pytest.mark.parametrize(
    ("sentence", "power"),
    [
        ("从事桶装饮用水经营的，应当取得县级水行政主管部门核发的经营许可证。", "licensing"),
        ("违反本方案规定私接供水管道的，处2000元罚款。", "penalty"),
        ("对拒不拆除私接管道的，供水主管部门可以予以查封相关设施。", "compulsory"),
        ("用水户开户时应当缴纳500元管网维护费。", "fee"),
    ],
)
def test_it_flags_a_power_created_without_a_basis_in_law(sentence: str, power: str) -> None:
    flags = [f for f in flags_of(with_sentence(sentence)) if f.cls == "new_power"]
    assert [f.rule for f in flags] == [f"new_power:{power}"]
    assert "法律、法规依据" in flags[0].basis


@pytest.mark.parametrize(
    "sentence",
    [
        "违反规定私接供水管道的，依照《中华人民共和国水法》有关规定处以罚款。",
        "取消农村供水工程开户费，减免困难群众水费。",
        "严禁向用水户收取管网维护费以外的其他费用。",
    ],
)
def test_a_power_with_its_basis_or_one_removed_is_not_flagged(sentence: str) -> None:
    assert flags_of(with_sentence(sentence)) == []


def test_a_regulation_may_set_fines_but_not_licences() -> None:
    meta = Meta(kind="regulation")
    assert classes(with_sentence("违反本办法规定私接供水管道的，处2000元罚款。"), meta=meta) == []
    assert classes(with_sentence("从事桶装饮用水经营的，应当取得经营许可证。"), meta=meta) == [
        ("new_power", "new_power:licensing")
    ]


# ---------------------------------------------------------------- premises
SEED_RULES = tuple(load_rules())


def test_a_required_premise_missing_is_flagged_once_on_the_first_clause() -> None:
    flags = [f for f in flags_of(FAITHFUL, rules=SEED_RULES) if f.rule == "premise:basic_premise"]
    assert len(flags) == 1 and flags[0].start == flags[0].end - len(flags[0].sentence)
    assert "以铸牢中华民族共同体意识为基本前提" in flags[0].basis


def test_a_required_premise_stated_is_not_flagged() -> None:
    text = FAITHFUL.replace("结合本市实际", "以铸牢中华民族共同体意识为基本前提，结合本市实际")
    assert [f for f in flags_of(text, rules=SEED_RULES) if f.cls == "premise"] == []


def test_a_prohibited_premise_is_flagged_on_its_sentence_unless_an_exception_applies() -> None:
    bad = "在供水设施标识中突出民族特殊性。"
    flags = [f for f in flags_of(with_sentence(bad), rules=SEED_RULES) if f.rule == "premise:commonality"]
    assert [f.sentence for f in flags] == [bad]
    fine = "防止在供水设施标识中突出民族特殊性。"
    assert [
        f for f in flags_of(with_sentence(fine), rules=SEED_RULES) if f.rule == "premise:commonality"
    ] == []


def test_a_conditional_premise_asks_for_its_words_when_the_subject_comes_up() -> None:
    teaching = "组织节水知识进课堂活动，编写节水教材。"
    flags = [
        f
        for f in flags_of(with_sentence(teaching), rules=SEED_RULES)
        if f.rule == "premise:language_in_teaching"
    ]
    assert [f.sentence for f in flags] == [teaching]
    stated = "组织节水知识进课堂活动，使用国家通用语言文字编写节水教材。"
    assert not [
        f
        for f in flags_of(with_sentence(stated), rules=SEED_RULES)
        if f.rule == "premise:language_in_teaching"
    ]


def test_premise_rules_apply_only_for_the_decision_they_are_attached_to() -> None:
    unrelated = decision_from_text(
        9, "关于开展全民健身月活动的通知\n\n组织开展健步走活动。", rules=SEED_RULES
    )
    governing = decision_from_text(7, DECISION)
    flags = first_pass(draft=draft_from_text(FAITHFUL), decisions=[governing, unrelated]).flags
    assert [f for f in flags if f.cls == "premise"] == []


def test_a_rule_that_cannot_be_applied_is_refused() -> None:
    with pytest.raises(RuleError) as bad:
        validate(PremiseRule(code="x", kind="prohibited", name="x", patterns=("([",)))
    assert bad.value.code == "bad_pattern"
    with pytest.raises(RuleError) as no_trigger:
        validate(PremiseRule(code="x", kind="conditional", name="x", patterns=("a",)))
    assert no_trigger.value.code == "no_trigger"


# ---------------------------------------------------------------- procedure
PUBLISHED = dt.date(2024, 9, 2)


def test_taking_effect_within_30_days_without_a_reason_is_flagged() -> None:
    meta = Meta(kind="normative", published=PUBLISHED, effective=PUBLISHED + dt.timedelta(days=10))
    flags = flags_of(FAITHFUL, meta=meta)
    assert [(f.cls, f.rule) for f in flags] == [("procedure", "procedure:effective_date")]
    assert "10日" in flags[0].basis


def test_the_texts_own_effective_date_counts_and_a_stated_reason_excuses_it() -> None:
    meta = Meta(kind="normative", published=PUBLISHED)
    text = FAITHFUL + "\n本方案自印发之日起施行。\n"
    (flag,) = flags_of(text, meta=meta)
    assert flag.rule == "procedure:effective_date" and flag.sentence == "本方案自印发之日起施行。"
    urgent = FAITHFUL + "\n因涉及饮水安全紧急情况，公布后不立即施行将有碍施行，本方案自印发之日起施行。\n"
    assert flags_of(urgent, meta=meta) == []


def test_dates_are_not_held_against_a_policy_document() -> None:
    meta = Meta(kind="policy", published=PUBLISHED, effective=PUBLISHED)
    assert flags_of(FAITHFUL, meta=meta) == []


def test_missing_materials_are_flagged_when_the_filing_says_so() -> None:
    meta = Meta(
        kind="normative",
        published=PUBLISHED,
        effective=PUBLISHED + dt.timedelta(days=30),
        explanation="",
        legality_review=False,
        consultation=False,
    )
    assert [f.rule for f in flags_of(FAITHFUL, meta=meta)] == [
        "procedure:no_consultation",
        "procedure:no_explanation",
        "procedure:no_legality_review",
    ]
    assert flags_of(FAITHFUL, meta=None) == []


def test_every_flag_has_the_fields_the_json_promises() -> None:
    flag = flags_of(with_sentence("用水户开户时应当缴纳500元管网维护费。"))[0]
    row = flag.to_dict()
    assert {"class", "sentence", "start", "end", "basis"} <= set(row)
    assert row["class"] == "new_power" and row["end"] > row["start"]
