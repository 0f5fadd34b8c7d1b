"""Set-wise reporting: ensure_obligations_for and submit_reports keep submit_report's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.reports.services import (
    ReportEntry,
    ReportError,
    ensure_obligations,
    ensure_obligations_for,
    submit_report,
    submit_reports,
)
from luoshi.reports.tests.conftest import World
from luoshi.testing.world import at, png_bytes, upload

pytestmark = pytest.mark.django_db


def _periods(world: World) -> dict[int, list[tuple[str, dt.date]]]:
    return {
        a.pk: list(
            Obligation.objects.filter(assignment=a).order_by("due_date").values_list("period", "due_date")
        )
        for a in (world.lead, world.co, world.share)
    }


def test_ensure_obligations_for_makes_what_ensure_obligations_makes_and_is_idempotent(world: World) -> None:
    created = ensure_obligations_for(assignments=[world.lead, world.co, world.share])
    bulk = _periods(world)
    assert created == sum(len(v) for v in bulk.values()) and created > 0
    assert ensure_obligations_for(assignments=[world.lead, world.co, world.share]) == 0
    Obligation.objects.all().delete()
    for a in (world.lead, world.co, world.share):
        ensure_obligations(assignment=a)
    assert _periods(world) == bulk


def _obligations(world: World) -> tuple[Obligation, Obligation]:
    ensure_obligations_for(assignments=[world.lead, world.co])
    return (
        Obligation.objects.get(assignment=world.lead, period="2024-Q1"),
        Obligation.objects.get(assignment=world.co, period="2024-Q1"),
    )


def test_submit_reports_stores_a_round_with_states_values_evidence_and_audit(world: World) -> None:
    lead, co = _obligations(world)
    reports = submit_reports(
        entries=[
            ReportEntry(
                obligation=lead,
                user=world.lead_liaison,
                progress=20,
                narrative=" 完成调研。 ",
                indicator_values={world.indicator.pk: "110"},
                evidence=[upload("photo.png", png_bytes())],
                now=at("2024-04-05", 10),
            ),
            ReportEntry(
                obligation=co,
                user=world.co_liaison,
                progress=15,
                narrative="配合推进。",
                now=at("2024-04-20", 10),
            ),
        ]
    )
    assert [(r.version, r.progress, r.narrative) for r in reports] == [
        (1, 20, "完成调研。"),
        (1, 15, "配合推进。"),
    ]
    lead.refresh_from_db()
    co.refresh_from_db()
    assert (lead.state, lead.first_submitted_at) == ("submitted", at("2024-04-05", 10))
    assert co.state == "late"
    assert list(reports[0].indicator_values.values_list("value", flat=True)) == [Decimal("110")]
    assert Evidence.objects.get().report == reports[0]
    entries = AuditEntry.objects.filter(object_type="reports.report").order_by("object_id")
    assert [e.object_id for e in entries] == sorted(str(r.pk) for r in reports)
    assert entries[0].actor == world.lead_liaison


def test_a_second_round_corrects_each_report_as_a_new_version(world: World) -> None:
    lead, _co = _obligations(world)
    first = submit_report(
        obligation=lead, user=world.lead_liaison, progress=20, narrative="初报。", now=at("2024-04-05", 10)
    )
    [second] = submit_reports(
        entries=[
            ReportEntry(
                obligation=lead,
                user=world.lead_liaison,
                progress=22,
                narrative="更正。",
                now=at("2024-04-12", 10),
            )
        ]
    )
    assert (second.version, second.supersedes_id) == (2, first.pk)
    lead.refresh_from_db()
    assert (lead.state, lead.first_submitted_at) == (
        "submitted",
        at("2024-04-05", 10),
    )  # the first report set them


def test_one_bad_row_refuses_the_whole_round(world: World) -> None:
    lead, co = _obligations(world)
    with pytest.raises(ReportError) as refused:
        submit_reports(
            entries=[
                ReportEntry(
                    obligation=lead,
                    user=world.lead_liaison,
                    progress=20,
                    narrative="完成。",
                    now=at("2024-04-05", 10),
                ),
                ReportEntry(
                    obligation=co,
                    user=world.lead_liaison,
                    progress=20,
                    narrative="代报。",
                    now=at("2024-04-05", 10),
                ),
            ]
        )
    assert refused.value.code == "not_your_unit"
    assert (
        not Report.objects.exists() and not AuditEntry.objects.filter(object_type="reports.report").exists()
    )


def test_a_drop_below_the_previous_period_needs_problems(world: World) -> None:
    ensure_obligations_for(assignments=[world.lead])
    q1, q2 = (Obligation.objects.get(assignment=world.lead, period=p) for p in ("2024-Q1", "2024-Q2"))
    submit_reports(
        entries=[
            ReportEntry(
                obligation=q1,
                user=world.lead_liaison,
                progress=40,
                narrative="完成。",
                now=at("2024-04-05", 10),
            )
        ]
    )
    drop = ReportEntry(
        obligation=q2, user=world.lead_liaison, progress=30, narrative="调整。", now=at("2024-07-05", 10)
    )
    with pytest.raises(ReportError) as refused:
        submit_reports(entries=[drop])
    assert refused.value.code == "progress_drop_unexplained"
    drop.problems = "口径调整。"
    assert submit_reports(entries=[drop])[0].progress == 30


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"progress": 101}, "bad_progress"),
        ({"narrative": "  "}, "empty_narrative"),
        ({"now": at("2024-03-01", 10)}, "period_not_started"),
        ({"indicator_values": {999999: 1}}, "foreign_indicator"),
        ({"indicator_values": "bad"}, "bad_indicator_value"),
    ],
)
def test_submit_reports_refuses_what_submit_report_refuses(world: World, change: dict, code: str) -> None:
    ensure_obligations_for(assignments=[world.lead])
    q2 = Obligation.objects.get(assignment=world.lead, period="2024-Q2")
    values = {
        "obligation": q2,
        "user": world.lead_liaison,
        "progress": 30,
        "narrative": "完成。",
        "now": at("2024-07-05", 10),
    }
    if change.get("indicator_values") == "bad":
        change = {"indicator_values": {world.indicator.pk: "abc"}}
    with pytest.raises(ReportError) as refused:
        submit_reports(entries=[ReportEntry(**(values | change))])
    assert refused.value.code == code
    assert not Report.objects.exists()


def test_an_obligation_twice_in_one_round_is_refused(world: World) -> None:
    lead, _co = _obligations(world)
    entry = ReportEntry(
        obligation=lead, user=world.lead_liaison, progress=20, narrative="完成。", now=at("2024-04-05", 10)
    )
    with pytest.raises(ReportError) as refused:
        submit_reports(entries=[entry, entry])
    assert refused.value.code == "obligation_twice"


def test_a_text_over_its_bound_is_refused_as_submit_report_refuses_it(world: World) -> None:
    lead, _co = _obligations(world)
    entry = ReportEntry(
        obligation=lead,
        user=world.lead_liaison,
        progress=20,
        narrative="长" * 20_001,
        now=at("2024-04-05", 10),
    )
    with pytest.raises(ReportError) as refused:
        submit_reports(entries=[entry])
    with pytest.raises(ReportError) as single:
        submit_report(
            obligation=lead,
            user=world.lead_liaison,
            progress=20,
            narrative="长" * 20_001,
            now=at("2024-04-05", 10),
        )
    assert refused.value.code == single.value.code == "text_too_long"


def test_head_approval_follows_the_units_setting_as_submit_report_does(world: World) -> None:
    lead, co = _obligations(world)
    world.lead.unit.requires_head_approval = (
        True  # the lead unit has an active head; the co-unit asks for none
    )
    world.lead.unit.save(update_fields=["requires_head_approval"])
    by_liaison, by_co = submit_reports(
        entries=[
            ReportEntry(
                obligation=lead,
                user=world.lead_liaison,
                progress=20,
                narrative="完成。",
                now=at("2024-04-05", 10),
            ),
            ReportEntry(
                obligation=co,
                user=world.co_liaison,
                progress=20,
                narrative="完成。",
                now=at("2024-04-05", 10),
            ),
        ]
    )
    [by_head] = submit_reports(
        entries=[
            ReportEntry(
                obligation=lead,
                user=world.lead_head,
                progress=25,
                narrative="负责人更正。",
                now=at("2024-04-06", 10),
            )
        ]
    )
    assert (by_liaison.approval, by_co.approval, by_head.approval) == ("pending", "not_required", "approved")
    assert (by_head.approved_by, by_head.approved_at) == (world.lead_head, at("2024-04-06", 10))
    single = submit_report(
        obligation=Obligation.objects.get(assignment=world.lead, period="2024-Q2"),
        user=world.lead_liaison,
        progress=30,
        narrative="完成。",
        now=at("2024-07-05", 10),
    )
    assert single.approval == by_liaison.approval
    entry = AuditEntry.objects.get(object_type="reports.report", object_id=str(by_liaison.pk))
    assert entry.object_repr == str(Report.objects.get(pk=by_liaison.pk))
