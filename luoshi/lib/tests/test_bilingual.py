from __future__ import annotations

import pytest

from luoshi.lib.bilingual import one_language

BODY = (
    "任务 / Task：推进新能源装备制造\n"
    "应于 / Was due：2026-11-01（已逾期5天 / 5 days overdue）\n"
    "请抓紧推进，按期办结。 / Please make sure the task is completed by 2026-12-31.\n"
    "plain line"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            "任务：推进新能源装备制造\n应于：2026-11-01（已逾期5天）\n请抓紧推进，按期办结。\nplain line",
        ),
        (
            "en",
            "Task: 推进新能源装备制造\nWas due: 2026-11-01 (5 days overdue)\n"
            "Please make sure the task is completed by 2026-12-31.\nplain line",
        ),
    ],
)
def test_a_stored_pair_shows_in_one_language(language: str, expected: str) -> None:
    assert one_language(BODY, language) == expected


def test_titles_and_notes_keep_their_numbers() -> None:
    title = "【催办】进展报告已逾期3天 / Urging: the report 3 days overdue"
    assert one_language(title, "zh-hans") == "【催办】进展报告已逾期3天"
    assert one_language(title, "en") == "Urging: the report 3 days overdue"
    assert one_language("由任务 #5 拆分 / split from task #5", "en") == "split from task #5"
    assert one_language("只有中文", "en") == "只有中文"  # nothing to choose from: shown as stored
