"""Coverage (条条落实): uncovered_clause on hand-written passages."""

from __future__ import annotations

from luoshi.review.checks import decision_from_text, draft_from_text, first_pass
from luoshi.review.tests.passages import DECISION, FAITHFUL, SECTION_TWO_ONLY, faithful_with

GOVERNING = decision_from_text(7, DECISION)


def test_a_dropped_clause_is_flagged_where_it_belongs() -> None:
    sentence = "严禁在饮用水水源保护区内新建排污口。"
    draft = draft_from_text(faithful_with(sentence, ""))
    result = first_pass(draft=draft, decisions=[GOVERNING], governing=[7])
    (flag,) = result.flags
    assert flag.cls == "uncovered_clause" and flag.sentence == sentence and flag.start == flag.end
    assert flag.governing is not None and flag.governing.label == "二、（二）"
    # placed after the draft's sentence carrying the governing clause before it
    assert draft.text[: flag.start].endswith("全部完成乡镇级饮用水水源保护区划定。")


def test_a_whole_dropped_item_is_flagged_clause_by_clause() -> None:
    item = "（四）强化资金保障。市、旗县区两级财政要将农村供水工程运行维护经费纳入年度预算。\n\n"
    flags = first_pass(
        draft=draft_from_text(faithful_with(item, "")), decisions=[GOVERNING], governing=[7]
    ).flags
    assert {f.cls for f in flags} == {"uncovered_clause"}
    assert all(f.governing and f.governing.label == "三、（四）" for f in flags)
    assert any("纳入年度预算" in f.sentence for f in flags)


def test_a_section_the_draft_does_not_take_up_is_outside_its_scope() -> None:
    result = first_pass(draft=draft_from_text(SECTION_TWO_ONLY), decisions=[GOVERNING], governing=[7])
    assert result.flags == []
    (cov,) = result.coverage
    out_of_scope = [c for c in cov.clauses if not c.in_scope]
    assert out_of_scope and all(c.clause.label.startswith("三、") for c in out_of_scope)


def test_principles_and_preamble_are_not_clauses_to_carry_out() -> None:
    (cov,) = first_pass(draft=draft_from_text(FAITHFUL), decisions=[GOVERNING], governing=[7]).coverage
    labels = {c.clause.label for c in cov.clauses}
    assert "一、" not in labels and "" not in labels
    assert all(c.covered for c in cov.clauses)
    summary = cov.to_dict()
    assert summary["covered"] == summary["in_scope"] == summary["actionable"] == len(cov.clauses)
    assert len(cov.clauses) >= 9


def test_a_clause_split_over_two_sentences_is_covered() -> None:
    split = faithful_with(
        "必须严格落实农村供水工程管护责任，确保每个行政村都有专人管护。",
        "必须严格落实农村供水工程管护责任。确保每个行政村都有专人管护。",
    )
    assert first_pass(draft=draft_from_text(split), decisions=[GOVERNING], governing=[7]).flags == []
