"""Pre-review and filing review in a real browser (issue 16): the 民委 files a published implementation
document against the seed decision, the first pass flags a softened obligation and a fair-competition
violation, the review head assigns, the reviewer accepts both and returns it, the unit uploads the
corrected version, the comparison shows both resolved, the reviewer concludes, and the opinion DOCX and
the filing register say so. Screenshots under var/test/browser/test_review_flow/."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from docx import Document as Docx

from luoshi.review.models import Conclusion, Status, Submission
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.testing.browser import Journey

SOFTENED = "逐步推行使用国家统编教材"
RESTRICTION = "民族团结进步宣传品的印制限定选用本地企业提供的服务。"


def _drafts(seed_text: str) -> tuple[str, str]:
    """A 民委 plan that restates section 二 of the seed decision: one obligation softened, one
    fair-competition violation added (version 1), and its corrected version 2."""
    start, end = seed_text.index("二、在铸牢"), seed_text.index("三、")
    body = seed_text[start:end]
    assert "坚定不移全面推行使用国家统编教材" in body
    head = (
        "自治区民委关于铸牢中华民族共同体意识的实施方案\n\n"
        "为贯彻落实《内蒙古自治区党委关于全方位建设模范自治区的决定》，以铸牢中华民族共同体意识为基本前提，"
        "结合工作实际，制定本方案。\n\n"
    )
    corrected = head + body
    first = head + body.replace("坚定不移全面推行使用国家统编教材", SOFTENED).replace(
        "科学保护各民族语言文字", RESTRICTION + "科学保护各民族语言文字", 1
    )
    assert first != corrected and RESTRICTION in first
    return first, corrected


@pytest.mark.django_db(transaction=True)
def test_review_flow(journey: Journey, login_as: Any, tmp_path: Path) -> None:
    page = journey.page
    summary = load_demo()
    first, corrected = _drafts(summary.document.text)
    v1, v2 = tmp_path / "实施方案.txt", tmp_path / "实施方案（修改稿）.txt"
    v1.write_text(first, encoding="utf-8")
    v2.write_text(corrected, encoding="utf-8")
    today = timezone.localdate()
    published = today - dt.timedelta(days=10)

    # 1. The drafting unit files its published plan for filing review, naming the seed decision.
    login_as(journey, "minwei", DEMO_PASSWORD)
    page.goto(journey.url("/review/"))
    page.click("a.button[href='/review/new/']")
    page.select_option("#id_review_kind", "filing")
    page.fill("#id_title", "自治区民委关于铸牢中华民族共同体意识的实施方案")
    page.select_option("#id_doc_kind", "normative")
    page.fill("#id_issuing_body", "自治区民委")
    page.fill("#id_doc_number", "内民委发〔2024〕12号")
    page.fill("#id_published_on", published.isoformat())
    page.fill("#id_effective_on", (published + dt.timedelta(days=30)).isoformat())
    page.check(f"input[name=governing][value='{summary.document.pk}']")
    page.fill("#id_explanation", "起草说明：依据自治区党委决定第二部分制定。")
    page.check("#id_legality_review_filed")
    page.check("#id_consultation_filed")
    page.set_input_files("#id_file", str(v1))
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    submission = Submission.objects.get()
    assert page.url.endswith(f"/review/{submission.pk}/")
    findings = page.locator("tr.finding")
    classes = sorted(findings.evaluate_all("rows => rows.map(r => r.dataset.class)"))
    assert classes == ["fair_competition", "softened_obligation"], classes
    text = page.locator("body").inner_text()
    assert (
        SOFTENED in text and RESTRICTION in text and "公平竞争审查条例" in text and "已受理，待分配" in text
    )
    journey.shot("first pass flags")

    # 2. The review head assigns the reviewer.
    login_as(journey, "shenhe-head", DEMO_PASSWORD)
    page.goto(journey.url(f"/review/{submission.pk}/"))
    page.select_option("#id_reviewer", label="审核员 刘")
    page.click("#assign button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "审核中"

    # 3. The reviewer accepts both findings with opinions and returns the plan for revision.
    login_as(journey, "shenhe", DEMO_PASSWORD)
    page.goto(journey.url(f"/review/{submission.pk}/"))
    for cls, opinion in (
        ("softened_obligation", "应“坚定不移全面推行”，不得弱化。"),
        ("fair_competition", "删除限定本地企业的表述。"),
    ):
        row = page.locator(f"tr.finding[data-class={cls}]")
        row.locator("textarea[name=opinion]").fill(opinion)
        row.locator("button[value=accept]").click()
        page.wait_for_load_state()
        assert "采纳" in page.locator(f"tr.finding[data-class={cls}]").inner_text()
    page.fill("#return textarea", "请按审核意见修改后重新报送。")
    page.click("#return button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "退回修改"
    journey.shot("returned for revision")

    # 4. The unit uploads the corrected version.
    login_as(journey, "minwei", DEMO_PASSWORD)
    page.goto(journey.url(f"/review/{submission.pk}/"))
    assert "请按审核意见修改后重新报送。" in page.locator("#returned").inner_text()
    page.set_input_files("#returned input[type=file]", str(v2))
    page.fill("#returned textarea", "恢复“坚定不移全面推行”，删除限定本地企业的表述。")
    page.click("#returned button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "审核中"

    # 5. The reviewer sees both findings resolved by the revision and concludes.
    login_as(journey, "shenhe", DEMO_PASSWORD)
    page.goto(journey.url(f"/review/{submission.pk}/"))
    comparison = page.locator("#comparison").inner_text()
    assert "第2稿与第1稿对照" in comparison
    assert page.locator("tr.resolved").count() == 2 and page.locator("tr.unresolved").count() == 0
    assert page.locator("#no-findings").is_visible()
    journey.shot("version 2 against version 1")
    page.select_option("#id_conclusion", "pass_with_changes")
    page.fill("#id_reason", "已按审核意见修改。")
    page.fill("#id_opinion", "同意备案。")
    page.click("#conclude button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#conclusion").inner_text() == "修改后通过"
    submission.refresh_from_db()
    assert submission.status == Status.CONCLUDED and submission.conclusion == Conclusion.PASS_WITH_CHANGES

    # 6. The unit downloads the opinion; the register shows the filing, on time, concluded.
    login_as(journey, "minwei", DEMO_PASSWORD)
    page.goto(journey.url(f"/review/{submission.pk}/"))
    with page.expect_download() as download:
        page.click("#opinion-docx")
    docx = Docx(io.BytesIO(Path(download.value.path()).read_bytes()))
    paragraphs = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "备案审查意见书" in paragraphs and submission.number in paragraphs and "修改后通过" in paragraphs
    assert "应“坚定不移全面推行”，不得弱化。" in cells and "删除限定本地企业的表述。" in cells
    assert cells.count("已修改") == 2
    login_as(journey, "shenhe-head", DEMO_PASSWORD)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    page.goto(journey.url(f"/review/register/?period={quarter}"))
    row = page.locator("tbody tr").filter(has_text=submission.number)
    row_text = row.inner_text()
    assert "内民委发〔2024〕12号" in row_text and "按期" in row_text and "修改后通过" in row_text
    assert re.search((published + dt.timedelta(days=30)).isoformat(), row_text)  # the statutory filing date
    journey.shot("filing register")
