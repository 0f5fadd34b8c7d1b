"""The visual check: every main page, per role, at 1366 px and 375 px, in Chinese and in English.

The world is the demo (the packaged seed decision, its task division, people in each role, three
quarters of reports, and one supervision pass for urgings), so every page has data. Each page is
saved as ``var/test/browser/test_every_page_fits/<role>-<page>-<width>[-en].png`` and measured in the
browser (``CHECKS`` below); the test fails, listing every problem, on:

(a) the document wider than the window: at 1366 px always; at 375 px for the pages meant for
    phones (``PHONE_PAGES``: the liaison's home, the report form, an urging). Other pages are recorded at 375 px: their wide tables
    scroll inside their own ``.table-wrap``, not the page.
(b) text cut by its box: ``scrollWidth > clientWidth`` under ``overflow: hidden/clip`` or
    ``text-overflow``, unless it is an intentional ellipsis with a ``title``.
(c) a short action (link button, button) or a rating label wrapped onto two lines.
(d) the other language: English words on the Chinese page (beyond ``ASCII_ALLOWED`` and the data),
    Han characters on the English page that are not the user's data (the document, units, tasks,
    people, reports as created here) nor marked with a ``lang`` of their own.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from luoshi.decomposition.models import Plan, PlanTask
from luoshi.documents.models import Document, Section
from luoshi.instructions.models import Handling
from luoshi.instructions.services import issue_instruction, respond_to_instruction
from luoshi.instructions.watch import watch
from luoshi.reports.models import Obligation, Report
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.site.tick import run_pass
from luoshi.supervision.models import Urging
from luoshi.tasks.models import Assignment, Milestone, Task
from luoshi.testing.browser import Journey
from luoshi.units.models import Unit

WIDE, PHONE = 1366, 375
# Proper tokens that stay in Latin letters on a Chinese page.
ASCII_ALLOWED = {
    "luoshi",
    "docx",
    "xlsx",
    "csv",
    "pdf",
    "html",
    "json",
    "api",
    "excel",
    "id",
    "ip",
    # file formats named in upload labels (.doc、.wps、.ofd, scans as PNG、JPEG、TIFF)
    "doc",
    "wps",
    "ofd",
    "png",
    "jpeg",
    "jpg",
    "tiff",
    "tif",
    "rag",
    "url",
    "http",
    "https",
    "txt",
    "utf",
    "gb",
    "gbk",
    "gb18030",
}
# Findings that are right as they are (a file name is the file's name). Fix a new finding at its cause
# (text in words of the page's language; user-typed text marked with its own ``lang`` by the ``data``
# filter) rather than listing it here. Each entry: (page path pattern, element pattern as the check prints
# it, why). Language findings only; layout findings are never allowed.
TEMPORARY_ALLOWED: list[tuple[str, str, str]] = [
    (
        r"^/plans/\d+/",
        r"^(a|button)(\.\w+)* \"Download [^\"]*\.xlsx",
        "a file name (任务分工方案.xlsx), as the brief allows",
    ),
]

CHECKS = r"""
(args) => {
  const [phone, english] = args;
  const out = {overflow: document.documentElement.scrollWidth - window.innerWidth, cut: [], wrapped: [],
               words: [], han: []};
  const shown = el => el && el.checkVisibility && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const label = el => {
    const id = el.id ? '#' + el.id : '';
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    return el.tagName.toLowerCase() + id + cls + ' "' + (el.innerText || el.value || '').trim().slice(0, 40) + '"';
  };
  // (b) text cut by its box
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || el.closest('.chart, svg, canvas, select, option, textarea, input')) continue;
    const st = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(st.overflowX) || st.textOverflow === 'ellipsis';
    if (!clips || !(el.innerText || '').trim()) continue;
    if (st.textOverflow === 'ellipsis' && el.title) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.cut.push(label(el) + ` ${el.scrollWidth}>${el.clientWidth}`);
  }
  // (c) short actions and rating labels on one line
  for (const el of document.querySelectorAll('a.button, button, input[type=submit], .rag, td.actions a, header.top nav a, .filter-actions a')) {
    if (!shown(el)) continue;
    const text = (el.innerText || el.value || '').trim();
    if (!text || text.length > 16) continue;
    const st = getComputedStyle(el);
    const line = parseFloat(st.lineHeight) || parseFloat(st.fontSize) * 1.2;
    // The height of the text itself (not of the box, which padding or a fixed height may make tall).
    const range = document.createRange();
    range.selectNodeContents(el);
    const inner = el.tagName === 'INPUT' ? 0 : range.getBoundingClientRect().height;
    if (inner > 1.6 * line || (st.display === 'inline' && el.getClientRects().length > 1)) {
      out.wrapped.push(label(el) + ` ${Math.round(inner)}px/${Math.round(line)}px`);
    }
  }
  // (d) the other language, in visible text outside elements that carry a lang of their own
  const pageLang = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.nodeValue;
    if (!text.trim() || !el || el.closest('script, style, noscript, template, textarea')) continue;
    const option = el.closest('option');
    if (option && !option.selected) continue;
    const select = el.closest('select');
    if (!shown(select || el)) continue;
    const marked = el.closest('[lang]');
    if (marked && marked !== document.documentElement && marked.lang !== pageLang) continue;
    if (english) {
      for (const run of text.match(/[\u3400-\u9fff]+/g) || []) out.han.push([run, label(el)]);
    } else {
      for (const word of text.match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g) || []) out.words.push([word, label(el)]);
    }
  }
  return out;
}
"""


@dataclass
class Visit:
    role: str
    username: str
    pages: list[tuple[str, str]]  # (name, path)


def _world() -> tuple[list[Visit], str]:
    """The demo, one supervision pass, and what each role visits; plus every user-data string made."""
    load_demo()
    run_pass()
    document = Document.objects.get()
    plan = Plan.objects.get()
    task = Task.objects.order_by("pk").first()
    assert task is not None
    user = get_user_model().objects.get
    energy = user(username="nengyuan").profile.unit
    farming = user(username="nongmu-head").profile.unit
    energy_lead = Assignment.objects.filter(unit=energy, role=Assignment.Role.LEAD).order_by("pk").first()
    assert energy_lead is not None
    open_obligation = (
        Obligation.objects.filter(assignment=energy_lead, reports__isnull=True).order_by("due_date").first()
        or Obligation.objects.filter(assignment=energy_lead).order_by("-due_date").first()
    )
    assert open_obligation is not None
    farming_obligation = Obligation.objects.filter(assignment__unit=farming).order_by("-due_date").first()
    assert farming_obligation is not None
    urging = Urging.objects.select_related("assignment__unit").order_by("pk").first()
    assert urging is not None, "the supervision pass urges a unit with missing reports"
    urged = (
        get_user_model().objects.filter(profile__unit=urging.assignment.unit, profile__role="liaison").first()
    )
    assert urged is not None
    # A leader's instruction on a task of 农牧厅, answered by its liaison and waiting for its head; a watched task.
    farming_task = Assignment.objects.filter(unit=farming, role=Assignment.Role.LEAD).order_by("pk").first()
    assert farming_task is not None
    instruction = issue_instruction(
        leader=user(username="lingdao"),
        text="牧区饲草储备要抓紧，月底前报送落实情况。",
        due_date=timezone.localdate() + dt.timedelta(days=10),
        task=farming_task.task,
    )
    respond_to_instruction(
        handling=instruction.handlings.get(),
        user=user(username="nongmu"),
        text="已组织各盟市开展专项督查，月底前完成全部储备。",
    )
    watch(user=user(username="lingdao"), task=farming_task.task)
    common = [
        ("home", "/"),
        ("inbox", "/inbox/"),
        ("documents", "/documents/"),
        ("document", f"/documents/{document.pk}/"),
    ]
    office = [
        ("office", "/office/"),
        ("dashboard", "/dashboard/"),
        ("task", f"/tasks/{task.pk}/"),
        ("plans", "/plans/"),
        ("plan", f"/plans/{plan.pk}/"),
        ("bulletins", "/bulletins/"),
        ("units", "/people/units/"),
        ("users", "/people/users/"),
        ("audit", "/audit/"),
        ("urging", f"/urgings/{urging.pk}/"),
        ("password", "/accounts/password/"),
        ("instructions", "/instructions/"),
        ("instruction", f"/instructions/{instruction.pk}/"),
    ]
    unit_pages = [("my", "/my/"), ("dashboard", "/dashboard/"), ("task", f"/tasks/{energy_lead.task_id}/")]
    visits = [
        Visit("supervisor", "duchashi", common + office),
        Visit(
            "leader",
            "lingdao",
            [
                ("home", "/"),
                ("dashboard", "/dashboard/"),
                ("task", f"/tasks/{task.pk}/"),
                ("documents", "/documents/"),
                ("document", f"/documents/{document.pk}/"),
                ("bulletins", "/bulletins/"),
                ("inbox", "/inbox/"),
                ("instruction", f"/instructions/{instruction.pk}/"),
                ("new-instruction", f"/instructions/new/?task={farming_task.task_id}"),
            ],
        ),
        Visit(
            "liaison",
            "nengyuan",
            [
                ("home", "/"),
                *unit_pages,
                ("report", f"/obligations/{open_obligation.pk}/report/"),
                ("inbox", "/inbox/"),
            ],
        ),
        Visit(
            "unithead",
            "nongmu-head",
            [
                ("home", "/"),
                ("my", "/my/"),
                ("dashboard", "/dashboard/"),
                ("task", f"/tasks/{farming_obligation.assignment.task_id}/"),
                ("report", f"/obligations/{farming_obligation.pk}/report/"),
                ("inbox", "/inbox/"),
            ],
        ),
        Visit("liaison-urged", urged.get_username(), [("my", "/my/"), ("urging", f"/urgings/{urging.pk}/")]),
        Visit(
            "admin",
            "admin",
            [
                ("home", "/"),
                ("units", "/people/units/"),
                ("users", "/people/users/"),
                ("audit", "/audit/"),
                ("documents", "/documents/"),
                ("inbox", "/inbox/"),
            ],
        ),
    ]
    data = [document.title, document.text, document.source_text, document.date_line, document.filename]
    for unit in Unit.objects.all():
        data += [unit.name, unit.code, unit.catalog, *(unit.aliases or [])]
    for account in get_user_model().objects.all():
        data += [
            account.get_username(),
            account.get_full_name(),
            account.first_name,
            account.last_name,
            getattr(getattr(account, "profile", None), "display_name", ""),
        ]
    for section in Section.objects.all():
        data += [section.heading, f"{section.number}{section.heading}"]
    data += list(Task.objects.values_list("title", flat=True))
    data += list(PlanTask.objects.values_list("title", flat=True))
    data += list(Milestone.objects.values_list("title", flat=True))
    for report in Report.objects.all():
        data += [report.narrative, report.problems, report.next_steps]
    for handling in Handling.objects.select_related("instruction"):
        data += [handling.instruction.text, handling.response]
    return visits, "\n".join(str(d) for d in data if d)


PHONE_PAGES = {
    ("liaison", "home"),
    ("liaison", "my"),
    ("liaison", "report"),
    ("unithead", "report"),
    ("liaison-urged", "my"),
    ("liaison-urged", "urging"),
}


def _problems(
    found: dict[str, Any], *, where: str, path: str, width: int, phone_page: bool, data: str
) -> list[str]:
    out = []
    if found["overflow"] > 0 and (width == WIDE or phone_page):
        out.append(f"{where}: the page is {found['overflow']}px wider than the window")
    out += [f"{where}: text cut: {c}" for c in found["cut"]]
    out += [f"{where}: wrapped: {w}" for w in found["wrapped"]]
    data_words = {w.lower() for w in re.findall(r"[A-Za-z]+", data)}
    for word, el in found["words"]:
        parts = [w.lower() for w in re.findall(r"[A-Za-z]+", word)]
        if all(w in ASCII_ALLOWED or w in data_words for w in parts) or _allowed(path, el):
            continue
        out.append(f"{where}: English on the Chinese page: {word!r} in {el}")
    for run, el in found["han"]:
        if run in data or _allowed(path, el):
            continue
        out.append(f"{where}: Chinese on the English page: {run!r} in {el}")
    return out


def _allowed(path: str, element: str) -> bool:
    return any(re.search(p, path) and re.search(e, element) for p, e, _ in TEMPORARY_ALLOWED)


def _unit_names_fit(page: Any, where: str) -> list[str]:
    """The units chart makes room for its names (containLabel) and truncates, never cuts, a long one."""
    option = page.evaluate(
        "() => { const el = document.getElementById('dashboard-units-chart');"
        " const c = el && echarts.getInstanceByDom(el); if (!c) return null;"
        " const o = c.getOption(); return {grid: o.grid[0], label: o.yAxis[0].axisLabel}; }"
    )
    if option is None:
        return []
    if not option["grid"].get("containLabel") or option["label"].get("overflow") != "truncate":
        return [f"{where}: the units chart may cut long unit names: {option}"]
    return []


def _settle(page: Any, path: str) -> None:
    if path.startswith("/dashboard/") or path.startswith("/tasks/"):
        page.wait_for_function(
            "() => !window.echarts || [...document.querySelectorAll('.chart')]"
            ".every(el => echarts.getInstanceByDom(el) || !el.offsetParent)"
        )


def _chinese_font() -> bool:
    """Some font for zh on this machine (without one, chromium draws every Han character as a box)."""
    if shutil.which("fc-list") is None:
        return True  # not fontconfig: leave it to the system
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(found.strip())


@pytest.mark.django_db(transaction=True)
def test_every_page_fits(journey: Journey, login_as: Any) -> None:
    assert _chinese_font(), "no Chinese font: apt-get install fonts-wqy-microhei (`make test` does it)"
    visits, data = _world()
    page = journey.page
    problems: list[str] = []
    recorded: dict[str, int] = {}  # pages wider than a phone that scroll (recorded, not failed)
    for visit in visits:
        login_as(journey, visit.username, DEMO_PASSWORD)
        for english in (False, True):
            page.context.add_cookies(
                [
                    {
                        "name": "django_language",
                        "value": "en" if english else "zh-hans",
                        "url": journey.base_url,
                    }
                ]
            )
            widths = (WIDE,) if english else (WIDE, PHONE)
            for width in widths:
                page.set_viewport_size({"width": width, "height": 800})
                for name, path in visit.pages:
                    response = page.goto(journey.url(path))
                    assert response is not None and response.status == 200, f"{visit.role} {path}: {response}"
                    _settle(page, path)
                    suffix = "-en" if english else ""
                    shot = journey.folder / f"{visit.role}-{name}-{width}{suffix}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    found = page.evaluate(CHECKS, [width == PHONE, english])
                    where = f"{visit.role} {path} @{width}{suffix}"
                    phone_page = (visit.role, name) in PHONE_PAGES
                    problems += _problems(
                        found, where=where, path=path, width=width, phone_page=phone_page, data=data
                    )
                    if name == "dashboard":
                        problems += _unit_names_fit(page, where)
                    if width == PHONE and found["overflow"] > 0:
                        recorded[where] = found["overflow"]
    (journey.folder / "recorded-phone-overflow.txt").write_text(
        "\n".join(f"{k}: {v}px" for k, v in recorded.items()) + "\n", encoding="utf-8"
    )
    (journey.folder / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert len(list(journey.folder.glob("*.png"))) >= 80
    unique = list(dict.fromkeys(problems))
    assert not unique, f"{len(unique)} layout/language problems:\n" + "\n".join(unique[:200])


SAMPLE = """<!doctype html><html lang="{lang}"><head><meta name="viewport" content="width=device-width">
<style>body {{ font: 15px/1.6 sans-serif; }} .narrow {{ width: 40px; }}</style></head><body>
<div class="narrow"><a class="button" href="#">修改 启用</a></div>
<div id="cut" style="width: 60px; overflow: hidden; white-space: nowrap">很长很长很长很长的文字</div>
<div id="ellipsis" title="完整名称" style="width: 60px; overflow: hidden; white-space: nowrap;
     text-overflow: ellipsis">很长很长很长很长的名称</div>
<p>状态 Log out</p><p lang="en">English</p><p lang="zh-Hans">简体中文</p><p>{han}</p>
<div style="width: {wide}px">宽</div></body></html>"""


def test_the_checks_find_what_they_look_for(browser: Any) -> None:
    """Each check on a page made to fail it: wrapped action, cut text, other language, overflow."""
    page = browser.new_page(viewport={"width": WIDE, "height": 600})
    try:
        page.set_content(SAMPLE.format(lang="zh-Hans", han="任务", wide=WIDE + 200))
        zh = page.evaluate(CHECKS, [False, False])
        page.set_content(SAMPLE.format(lang="en", han="Task 任务", wide=100))
        en = page.evaluate(CHECKS, [False, True])
    finally:
        page.close()
    assert zh["overflow"] >= 200 and en["overflow"] <= 0
    assert [w for w in zh["wrapped"] if "修改" in w], "a button wrapped onto two lines is found"
    assert [c for c in zh["cut"] if c.startswith("div#cut")]
    assert not [c for c in zh["cut"] if c.startswith("div#ellipsis")], "an ellipsis with a title is intended"
    assert {w for w, _ in zh["words"]} == {"Log", "out"}, "words in a lang=en element are not counted"
    assert {r for r, _ in en["han"]} >= {"任务", "修改", "启用", "状态"} and "简体中文" not in {
        r for r, _ in en["han"]
    }
