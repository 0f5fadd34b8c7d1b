"""Issue 13: text pasted into a report is stored so that every document can hold it."""

from __future__ import annotations

import pytest

from luoshi.lib.bounds import MAX_TEXT, xml_safe
from luoshi.reports.models import Report
from luoshi.reports.services import ReportError, submit_report
from luoshi.reports.tests.conftest import World, owed
from luoshi.testing.world import at

pytestmark = pytest.mark.django_db


def test_control_characters_pasted_from_word_are_cleaned_at_input(world: World) -> None:
    report = submit_report(
        obligation=owed(world.lead),
        user=world.lead_liaison,
        progress=30,
        narrative="建立周调度机制。\x0b新开工项目3个\x01。\x0c完成投资\x00。",
        problems="用地\x08指标不足",
        next_steps="加快\t推进\r\n并网",
        now=at("2024-04-02", 10),
    )
    stored = Report.objects.get(pk=report.pk)
    assert stored.narrative == "建立周调度机制。\n新开工项目3个。\n完成投资。"
    assert (stored.problems, stored.next_steps) == ("用地指标不足", "加快\t推进\r\n并网")


def test_a_report_longer_than_the_bound_is_refused_next_to_its_field(world: World) -> None:
    with pytest.raises(ReportError) as refused:
        submit_report(
            obligation=owed(world.lead),
            user=world.lead_liaison,
            progress=30,
            narrative="进" * (MAX_TEXT + 1),
            now=at("2024-04-02", 10),
        )
    assert (refused.value.code, refused.value.field) == ("text_too_long", "narrative")
    assert f"{MAX_TEXT}" in refused.value.message_zh
    assert not Report.objects.exists()


def test_xml_safe_keeps_tabs_and_line_breaks_and_drops_the_rest() -> None:
    assert xml_safe("a\tb\nc\rd") == "a\tb\nc\rd"
    assert xml_safe("".join(map(chr, range(32)))) == "\t\n\n\n\r"
    assert xml_safe("a\ufffeb\uffff") == "ab"
