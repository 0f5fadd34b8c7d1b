"""The Content-Security-Policy holds on every page: no page, frame or Swagger UI breaks it.

Each page is opened in Chromium with the real policy header; any ``securitypolicyviolation`` event
(in the page or in a frame such as the bulletin preview) or console message about the policy fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from luoshi.decomposition.models import Plan
from luoshi.documents.models import Document
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.site.tick import run_pass
from luoshi.supervision.models import Urging
from luoshi.tasks.models import Task
from luoshi.testing.browser import Journey

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')
                              + ':' + e.lineNumber);
});
"""


def _violations(page: Any) -> list[str]:
    found: list[str] = []
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__cspViolations || []")
        except Exception:
            continue
    return found


def _open(journey: Journey, path: str, console: list[str], ready: str = "") -> list[str]:
    page = journey.page
    console.clear()
    response = page.goto(journey.url(path))
    assert response is not None
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), path
    page.wait_for_load_state("networkidle")
    if ready:
        page.wait_for_selector(ready)
    return [f"{path}: {v}" for v in _violations(page) + list(console)]


@pytest.mark.django_db(transaction=True)
def test_no_page_violates_the_content_security_policy(journey: Journey, login_as: Any) -> None:
    load_demo()
    run_pass()
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    document, plan = Document.objects.get(), Plan.objects.get()
    task, urging = Task.objects.order_by("pk").first(), Urging.objects.order_by("pk").first()
    assert task is not None and urging is not None
    page = journey.page
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    problems: list[str] = []
    problems += _open(journey, "/accounts/login/", console)
    problems += _open(journey, "/no-such-page/", console)
    login_as(journey, "duchashi", DEMO_PASSWORD)
    for path, ready in [
        ("/", ""),
        ("/office/", ""),
        ("/dashboard/", ".chart canvas"),
        (f"/tasks/{task.pk}/", ""),
        ("/documents/", ""),
        (f"/documents/{document.pk}/", ""),
        ("/plans/", ""),
        (f"/plans/{plan.pk}/", ""),
        ("/bulletins/", "#bulletin-preview-frame"),
        ("/people/units/", ""),
        ("/people/users/", ""),
        ("/audit/", ""),
        (f"/urgings/{urging.pk}/", ""),
        ("/inbox/", ""),
        ("/accounts/password/", ""),
        ("/api/docs", ".swagger-ui .info"),
        ("/no-such-page/", ""),
    ]:
        problems += _open(journey, path, console, ready)
    # Swagger UI's interactive parts: open an operation.
    page.goto(journey.url("/api/docs"))
    page.wait_for_selector(".opblock-summary")
    page.locator(".opblock-summary").first.click()
    page.wait_for_timeout(300)
    problems += [f"/api/docs (opened): {v}" for v in _violations(page) + list(console)]
    login_as(journey, "admin", DEMO_PASSWORD)
    for path in ("/admin/", "/admin/accounts/apitoken/", "/admin/auth/user/"):
        problems += _open(journey, path, console)
    journey.shot("admin under the policy")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_the_listener_sees_an_inline_script_blocked(journey: Journey) -> None:
    page = journey.page
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    assert _open(journey, "/accounts/login/", console) == []
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in _violations(page))
