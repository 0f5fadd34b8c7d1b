"""Unit-head approval of reports on /my/, and answering urgings (/my/, the inbox, /urgings/<id>/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from luoshi.accounts.models import Profile, Role
from luoshi.notifications.models import Notice
from luoshi.reports.models import Report
from luoshi.reports.services import submit_report
from luoshi.supervision.models import Urging
from luoshi.supervision.scan import sweep
from luoshi.testing.demo import lead_assignment, open_obligation
from luoshi.units.models import Unit

HTMX = {"HX-Request": "true"}


@pytest.fixture
def pending(login: Callable[[str], Client], settings: Any) -> Report:
    """A report of the 农牧厅 liaison awaiting the unit head (approval switched on)."""
    settings.UNIT_HEAD_APPROVAL = True
    obligation = open_obligation(lead_assignment("agriculture-animal"))
    liaison = get_user_model().objects.get(username="nongmu")
    report = submit_report(
        obligation=obligation, user=liaison, progress=90, narrative="牧区饲草储备完成九成。"
    )
    assert report.approval == Report.Approval.PENDING
    return report


def _head_of(unit_code: str) -> Client:
    user = get_user_model().objects.create_user(username=f"head-{unit_code}", password="pw-for-tests")
    Profile.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=Role.UNIT_HEAD)
    client = Client()
    client.force_login(user)
    return client


# --- approval ---------------------------------------------------------------------------------------


def test_it_shows_the_unit_head_the_reports_awaiting_approval(
    login: Callable[[str], Client], pending: Report
) -> None:
    page = login("nongmu-head").get("/my/").content.decode()
    assert f'id="approval-{pending.pk}"' in page and "牧区饲草储备完成九成。" in page
    assert f'hx-post="/reports/{pending.pk}/approve"' in page and "csrfmiddlewaretoken" in page
    assert 'id="approval-' not in login("nongmu").get("/my/").content.decode()  # a liaison has no approvals


def test_the_unit_head_approves_in_place(login: Callable[[str], Client], pending: Report) -> None:
    row = login("nongmu-head").post(f"/reports/{pending.pk}/approve", {"decision": "approve"}, headers=HTMX)
    assert row.status_code == 200
    html = row.content.decode()
    assert html.startswith(f'<tr id="approval-{pending.pk}">') and 'name="decision"' not in html
    assert "nongmu-head" in html
    pending.refresh_from_db()
    assert pending.approval == Report.Approval.APPROVED
    assert pending.approved_by is not None and pending.approved_by.username == "nongmu-head"


def test_a_plain_form_approves_and_goes_back_home(login: Callable[[str], Client], pending: Report) -> None:
    client = login("nongmu-head")
    response = client.post(f"/reports/{pending.pk}/approve", {"decision": "approve"})
    assert (response.status_code, response["Location"]) == (302, "/my/")
    pending.refresh_from_db()
    assert pending.approval == Report.Approval.APPROVED
    assert f'id="approval-{pending.pk}"' not in client.get("/my/").content.decode()  # no longer waiting


def test_sending_back_needs_a_comment_next_to_the_field(
    login: Callable[[str], Client], pending: Report
) -> None:
    client = login("nongmu-head")
    response = client.post(f"/reports/{pending.pk}/approve", {"decision": "return", "comment": " "})
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="approval-{pending.pk}"') :]
    assert row.index('name="comment"') < row.index("退回报告时请写明理由") < row.index("</tr>")
    row = client.post(f"/reports/{pending.pk}/approve", {"decision": "return"}, headers=HTMX).content.decode()
    assert 'id="approval-error-' in row and "退回报告时请写明理由。" in row
    pending.refresh_from_db()
    assert pending.approval == Report.Approval.PENDING


def test_a_report_sent_back_shows_its_reason_to_the_liaison(
    login: Callable[[str], Client], pending: Report
) -> None:
    login("nongmu-head").post(
        f"/reports/{pending.pk}/approve", {"decision": "return", "comment": "请补充储备数量。"}
    )
    pending.refresh_from_db()
    assert (pending.approval, pending.approval_comment) == (Report.Approval.RETURNED, "请补充储备数量。")
    assert "请补充储备数量。" in login("nongmu").get("/my/").content.decode()


def test_only_the_units_head_may_approve(login: Callable[[str], Client], pending: Report) -> None:
    url = f"/reports/{pending.pk}/approve"
    assert login("nongmu").post(url, {"decision": "approve"}).status_code == 403  # the liaison
    assert login("duchashi").post(url, {"decision": "approve"}).status_code == 403  # the office
    assert _head_of("energy").post(url, {"decision": "approve"}).status_code == 404  # another unit's head
    assert login("nongmu-head").get(url).status_code == 405
    pending.refresh_from_db()
    assert pending.approval == Report.Approval.PENDING


# --- urgings ----------------------------------------------------------------------------------------


@pytest.fixture
def urging(login: Callable[[str], Client]) -> Urging:
    """The 民委 misses two periods: a tick urges it (with inbox notices), the earliest first."""
    sweep(now=timezone.now())
    found = Urging.objects.filter(assignment=lead_assignment("ethnic-affairs")).order_by("due_date").first()
    assert found is not None
    return found


def test_the_liaison_sees_its_urgings_with_the_notice_and_a_form(
    login: Callable[[str], Client], urging: Urging
) -> None:
    page = login("minwei").get("/my/").content.decode()
    card = page[page.index(f'id="urging-{urging.pk}"') :]
    card = card[: card.index("</section>")]
    assert f'href="/urgings/{urging.pk}.docx"' in card and f'hx-post="/urgings/{urging.pk}/"' in card
    # The requirement stored in both languages shows in the page's only.
    chinese, english = urging.required_response.split(" / ")
    assert chinese in card and english not in card and "csrfmiddlewaretoken" in card
    assert f'id="urging-{urging.pk}"' not in login("nengyuan").get("/my/").content.decode()


def test_the_inbox_notice_links_to_the_urging(login: Callable[[str], Client], urging: Urging) -> None:
    notice = Notice.objects.get(recipient__username="minwei", dedupe_key__startswith=f"{urging.key}|")
    inbox = login("minwei").get("/inbox/").content.decode()
    item = inbox[inbox.index(f'id="notice-{notice.pk}"') :]
    item = item[: item.index("</li>")]
    assert f'href="/urgings/{urging.pk}/"' in item and f'href="/urgings/{urging.pk}.docx"' in item
    row = login("minwei").post(f"/inbox/{notice.pk}/read", headers=HTMX).content.decode()
    assert f'href="/urgings/{urging.pk}/"' in row  # the link survives marking it read


def test_a_response_is_stored_and_shown(login: Callable[[str], Client], urging: Urging) -> None:
    client = login("minwei")
    response = client.post(f"/urgings/{urging.pk}/", {"response": "已于今日补报，逾期系人员调整所致。"})
    assert (response.status_code, response["Location"]) == (302, f"/urgings/{urging.pk}/")
    urging.refresh_from_db()
    assert urging.response == "已于今日补报，逾期系人员调整所致。"
    assert urging.responded_by is not None and urging.responded_by.username == "minwei"
    page = client.get(f"/urgings/{urging.pk}/").content.decode()
    assert "已于今日补报，逾期系人员调整所致。" in page and 'name="response"' not in page
    assert "已于今日补报" in login("duchashi").get(f"/urgings/{urging.pk}/").content.decode()
    assert Notice.objects.filter(kind="urging_response", recipient__username="duchashi").exists()


def test_an_htmx_response_swaps_the_card(login: Callable[[str], Client], urging: Urging) -> None:
    card = login("minwei").post(f"/urgings/{urging.pk}/", {"response": "情况说明见附件。"}, headers=HTMX)
    html = card.content.decode()
    assert card.status_code == 200 and html.startswith(
        f'<section class="card urging" id="urging-{urging.pk}">'
    )
    assert "情况说明见附件。" in html and "<form" not in html


def test_an_empty_response_is_refused_next_to_the_field(
    login: Callable[[str], Client], urging: Urging
) -> None:
    client = login("minwei")
    response = client.post(f"/urgings/{urging.pk}/", {"response": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    field = page[page.index(f'id="urging-response-{urging.pk}"') :]
    assert field.index("请填写回复内容") < field.index("</form>")
    card = client.post(f"/urgings/{urging.pk}/", {"response": ""}, headers=HTMX).content.decode()
    assert f'id="urging-error-{urging.pk}"' in card and "请填写回复内容。" in card
    urging.refresh_from_db()
    assert urging.responded_at is None


def test_an_urging_is_answered_once(login: Callable[[str], Client], urging: Urging) -> None:
    client = login("minwei")
    client.post(f"/urgings/{urging.pk}/", {"response": "第一次回复"})
    again = client.post(f"/urgings/{urging.pk}/", {"response": "第二次回复"})
    assert again.status_code == 400 and "该催办已回复" in again.content.decode()
    urging.refresh_from_db()
    assert urging.response == "第一次回复"


def test_another_unit_cannot_see_or_answer_the_urging(login: Callable[[str], Client], urging: Urging) -> None:
    stranger = login("nengyuan")
    assert stranger.get(f"/urgings/{urging.pk}/").status_code == 404
    assert stranger.post(f"/urgings/{urging.pk}/", {"response": "不是我们的"}).status_code == 404
    urging.refresh_from_db()
    assert urging.responded_at is None
