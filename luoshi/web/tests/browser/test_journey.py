"""The whole chain in a real browser: upload → findings → task division → report → late → dashboard.

One test, in order, as the issue describes it; each step saves a screenshot under
var/test/browser/test_full_journey/. The clock is the real one: dates are set relative to today.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.people.services import create_user
from luoshi.reports.models import Obligation, Report
from luoshi.tasks.models import Assignment
from luoshi.testing.browser import Journey
from luoshi.testing.paths import seed_path
from luoshi.units.services import load_units

PASSWORD = "journey-pass-2026"


def chart_option(page: Any, holder_id: str) -> Any:
    """The option ECharts is drawing in the element (what the chart shows, not the canvas pixels)."""
    page.wait_for_function(
        "id => { const el = document.getElementById(id); return el && window.echarts && echarts.getInstanceByDom(el)"
        " && el.querySelector('canvas'); }",
        arg=holder_id,
    )
    raw = page.evaluate(
        "id => JSON.stringify(echarts.getInstanceByDom(document.getElementById(id)).getOption().series"
        ".map(s => ({name: s.name, type: s.type, data: s.data})))",
        holder_id,
    )
    return json.loads(raw)


@pytest.mark.django_db(transaction=True)
def test_full_journey(journey: Journey, login_as: Any) -> None:
    page = journey.page
    load_units(catalog="inner-mongolia")
    create_user(username="duchashi", password=PASSWORD, role=Role.SUPERVISOR, display_name="督查室")

    # 1. The supervisor uploads the seed decision and sees the integrity findings.
    login_as(journey, "duchashi", PASSWORD)
    journey.shot("supervisor home")
    page.goto(journey.url("/documents/"))
    page.set_input_files("input[type=file][name=file]", str(seed_path()))
    page.locator("form[action$='/documents/upload/'] button[type=submit]").first.click()
    page.wait_for_url("**/documents/*/")
    findings = page.locator(".finding")
    assert findings.count() >= 3, "the seed's missing items, page jump and garbled passage should be found"
    text = page.locator("body").inner_text()
    assert "(六)" in text or "（六）" in text, "the missing item (六) is reported"
    assert page.locator("mark.finding-span").count() >= 1, "findings are highlighted in the text"
    journey.shot("document with integrity findings")

    # 2. Propose the task division; review a few tasks one by one, then "accept the rest" (audited).
    page.locator("#task-division button[type=submit]").click()
    page.wait_for_url("**/plans/*/")
    journey.shot("proposed task division")
    cards = page.locator("article.plan-task[data-status=proposed]")
    proposed = cards.count()
    assert proposed >= 10
    assert "尚未审核" in page.locator("#plan-coverage").inner_text(), "no coverage before any review"
    for _ in range(3):
        accept = page.locator(
            "article.plan-task.kind-task[data-status=proposed] button[value=accepted]"
        ).first
        card_id = accept.locator("xpath=ancestor::article").get_attribute("id")
        accept.click()
        page.locator(f"#{card_id}[data-status=accepted]").wait_for()
    confirm = page.locator("#plan-confirm button.plan-confirm")
    waiting = int(confirm.get_attribute("data-unreviewed") or 0)
    assert waiting > 0 and f"尚有 {waiting} 项待审核" in confirm.inner_text(), (
        "the confirm button counts what is left"
    )
    journey.shot("review under way")
    page.locator("form.plan-accept-rest button").click()
    page.wait_for_load_state()
    assert page.locator("#plan-confirm button.plan-confirm").get_attribute("data-unreviewed") == "0"
    accepted = page.locator("article.plan-task[data-status=accepted]")
    assert accepted.count() >= 10
    leads = [
        t
        for t in accepted.locator(".plan-owners dd.lead").all_inner_texts()
        if "未定" not in t and "none" not in t
    ]
    assert len(leads) >= accepted.count() // 2, "most accepted tasks carry a suggested lead unit"
    # Clicking a task lights up its words in the source text.
    first = accepted.first.locator("button.plan-show")
    task_key = first.get_attribute("data-task")
    first.click()
    assert (
        page.locator(
            f"mark.plan-span[data-task='{task_key}'].active, mark.plan-span[data-task='{task_key}'].lit"
        ).count()
        >= 1
    )
    journey.shot("tasks accepted")
    page.locator("#plan-confirm button.plan-confirm").click()
    page.wait_for_load_state()
    assert page.locator("#created").count() == 1, "the confirmed plan offers to create tasks"

    # 3. Create and assign the tasks: started 50 days ago, monthly reports, so one report is already late.
    today = timezone.localdate()
    page.fill("#id_start_date", (today - dt.timedelta(days=50)).isoformat())
    page.fill("#id_default_deadline", (today + dt.timedelta(days=200)).isoformat())
    page.select_option("#id_cadence", "monthly")
    page.locator("form.plan-create button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ul.created-tasks li").count() >= 10
    journey.shot("tasks created")

    lead = (
        Assignment.objects.filter(role=Assignment.Role.LEAD)
        .select_related("unit", "task")
        .order_by("pk")
        .first()
    )
    assert lead is not None
    create_user(
        username="lianluoyuan", password=PASSWORD, role=Role.LIAISON, unit=lead.unit, display_name="联络员"
    )
    Obligation.objects.filter(assignment__unit=lead.unit)  # created with the tasks
    past_due = Obligation.objects.filter(assignment=lead, due_date__lt=today).order_by("due_date").first()
    assert past_due is not None, "a monthly obligation 50 days in is already past due"

    # 4. The liaison sees the assignment, overdue first, and submits a (late) report with evidence.
    login_as(journey, "lianluoyuan", PASSWORD)
    page.goto(journey.url("/my/"))
    card = page.locator(f"#assignment-{lead.pk}")
    assert card.count() == 1
    assert card.locator("tr.overdue").count() >= 1, "the past-due report is flagged overdue"
    journey.shot("liaison home")
    card.locator("tr.overdue a.button").first.click()
    page.wait_for_url("**/obligations/*/report/")
    page.fill("#id_progress", "5")
    page.fill("#id_narrative", "已召开专题会议，制定工作方案。")
    page.fill("#id_problems", "配合单位材料报送较慢。")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "会议纪要.txt", "mimeType": "text/plain", "buffer": "专题会议纪要".encode()}],
    )
    journey.shot("report form filled")
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_load_state()
    report = Report.objects.filter(obligation__assignment=lead).order_by("-pk").first()
    assert report is not None and report.progress == 5
    assert report.evidence.count() == 1
    submitted = Obligation.objects.get(pk=report.obligation_id)
    assert submitted.state == Obligation.State.LATE, "a report after the due date is recorded as late"
    journey.shot("report submitted")

    # The report form on a phone-width screen: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(journey.url(f"/obligations/{submitted.pk}/report/"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the report form is {overflow}px wider than a phone screen"
    journey.shot("report form on a phone")
    page.set_viewport_size({"width": 1366, "height": 768})

    # 5. The supervisor sees the rating with its reason on the dashboard, and the charts draw the numbers.
    login_as(journey, "duchashi", PASSWORD)
    page.goto(journey.url("/dashboard/"))
    rag = chart_option(page, "dashboard-rag-chart")
    values = {d["name"]: d["value"] for d in rag[0]["data"]}
    counts = {
        k: int(page.locator(f"#dashboard-summary [data-count={k}]").inner_text())
        for k in ("green", "amber", "red", "total")
    }
    assert sorted(values.values(), reverse=True)[:3] != [0, 0, 0]
    assert sum(values.values()) == counts["total"]
    assert counts["amber"] + counts["red"] >= 1, "tasks behind or with missed reports are flagged"
    row = page.locator(f"#dashboard-tree li.task-row:has(a[href='/tasks/{lead.task_id}/'])")
    assert row.locator(".rag").count() == 1
    rag_class = row.locator(".rag").get_attribute("class") or ""
    assert "rag-amber" in rag_class or "rag-red" in rag_class
    assert row.locator(".reasons").inner_text().strip(), "the rating's reason is shown next to it"
    units = chart_option(page, "dashboard-units-chart")
    assert len(units) == 2 and len(units[0]["data"]) >= 1
    journey.shot("dashboard")
    page.goto(journey.url(f"/tasks/{lead.task_id}/"))
    trajectory = page.locator("[id$=chart]").first
    assert trajectory.count() == 1
    journey.shot("task page")
    assert len(list(journey.folder.glob("*.png"))) == journey.step
    wide = {name: px for name, px in journey.widths.items() if px > 0}
    assert not wide, f"pages wider than the window (px): {wide}"
