"""Alignment and weakening (lower_target, later_deadline, softened_obligation) on hand-written passages."""

from __future__ import annotations

from luoshi.review.checks import Flag, decision_from_text, draft_from_text, first_pass
from luoshi.review.tests.passages import DECISION, FAITHFUL, UNRELATED, faithful_with

GOVERNING = decision_from_text(7, DECISION)


def flags_of(text: str, *, governing: tuple[int, ...] = (7,)) -> list[Flag]:
    return first_pass(draft=draft_from_text(text), decisions=[GOVERNING], governing=governing).flags


def only(flags: list[Flag], cls: str) -> list[Flag]:
    return [f for f in flags if f.cls == cls]


def test_it_raises_nothing_on_a_faithful_draft() -> None:
    assert flags_of(FAITHFUL) == []


def test_it_aligns_each_task_clause_with_the_governing_clause_it_implements() -> None:
    draft = draft_from_text(FAITHFUL)
    result = first_pass(draft=draft, decisions=[GOVERNING], governing=[7])
    rows = {c.text: row for c, row in zip(draft.clauses, result.alignment, strict=True)}
    best = rows["严禁在饮用水水源保护区内新建排污口。"][0]
    assert best.decision_id == 7 and best.clause.label == "二、（二）" and best.score > 0.9
    assert (
        rows["各旗县区每年12月底前向市人民政府报告工作进展情况，市人民政府办公室组织专项督查。"][
            0
        ].clause.label
        == "三、（五）"
    )


def test_it_flags_a_lowered_target_citing_both_sentences() -> None:
    (flag,) = flags_of(faithful_with("普及率达到90%以上", "普及率达到85%以上"))
    assert flag.cls == "lower_target" and flag.rule == "target:lower"
    assert "85%" in flag.sentence and flag.governing is not None and flag.governing.label == "二、（一）"
    assert (
        "90%以上" in flag.basis and "85%以上" in flag.basis and "关于推进城乡供水一体化的决定" in flag.basis
    )


def test_it_flags_a_raised_ceiling_and_a_loosened_floor() -> None:
    raised = only(flags_of(faithful_with("控制在5%以内", "控制在8%以内")), "lower_target")
    assert [f.rule for f in raised] == ["target:higher_ceiling"]
    loosened = only(flags_of(faithful_with("不低于60%", "60%左右")), "lower_target")
    assert [f.rule for f in loosened] == ["target:looser_floor"]


def test_a_higher_target_is_not_a_weakening() -> None:
    assert flags_of(faithful_with("普及率达到90%以上", "普及率达到95%以上")) == []


def test_it_flags_a_later_deadline_a_later_yearly_date_and_a_dropped_one() -> None:
    later = only(
        flags_of(faithful_with("在2024年6月底前全部完成", "在2024年12月底前全部完成")), "later_deadline"
    )
    assert [f.rule for f in later] == ["deadline:later"] and "2024年6月底前" in later[0].basis
    yearly = only(flags_of(faithful_with("每年3月底前公布", "每年6月底前公布")), "later_deadline")
    assert [f.rule for f in yearly] == ["deadline:later"]
    dropped = only(flags_of(faithful_with("要在2024年6月底前全部完成", "要全部完成")), "later_deadline")
    assert [f.rule for f in dropped] == ["deadline:dropped"]


def test_an_earlier_deadline_is_not_flagged() -> None:
    assert flags_of(faithful_with("到2025年底前", "到2025年6月底前")) == []


def test_it_flags_a_softened_obligation_and_a_hedge() -> None:
    soft = only(flags_of(faithful_with("必须严格落实", "鼓励落实")), "softened_obligation")
    assert len(soft) == 1 and "“必须”" in soft[0].basis and "“鼓励”" in soft[0].basis
    hedged = only(
        flags_of(faithful_with("严禁在饮用水水源保护区内", "原则上严禁在饮用水水源保护区内")),
        "softened_obligation",
    )
    assert len(hedged) == 1 and "原则上" in hedged[0].sentence


def test_it_flags_a_narrowed_scope() -> None:
    narrowed = only(flags_of(faithful_with("前全部完成乡镇级", "前部分完成乡镇级")), "softened_obligation")
    assert [f.rule for f in narrowed] == ["obligation:narrowed"]


def test_offsets_index_the_drafts_normalized_text() -> None:
    text = faithful_with("普及率达到90%以上", "普及率达到85%以上")
    draft = draft_from_text(text)
    (flag,) = first_pass(draft=draft, decisions=[GOVERNING], governing=[7]).flags
    assert draft.text[flag.start : flag.end] == flag.sentence
    assert GOVERNING.text[flag.governing.start : flag.governing.end] == flag.governing.text  # type: ignore[union-attr]


def test_without_a_named_decision_it_finds_the_cited_one_and_weakening_against_it() -> None:
    other = decision_from_text(8, UNRELATED)
    flags = first_pass(
        draft=draft_from_text(faithful_with("必须严格落实", "鼓励落实")), decisions=[other, GOVERNING]
    ).flags
    assert [(f.cls, f.governing.decision_id if f.governing else None) for f in flags] == [
        ("softened_obligation", 7)
    ]


def test_an_unrelated_draft_raises_nothing_against_every_stored_decision() -> None:
    assert first_pass(draft=draft_from_text(UNRELATED), decisions=[GOVERNING]).flags == []
