"""htmx forms in a real browser: a refusal (status 400) is swapped in next to its field, success in place.

The site-wide htmx-config (core/base.html) lets htmx swap 400 responses, which carry the form
with its errors; other 4xx and 5xx responses are still left alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from luoshi.ratings.models import Rating
from luoshi.site.demo import DEMO_PASSWORD, load_demo
from luoshi.tasks.models import Assignment
from luoshi.testing.browser import Journey


@pytest.mark.django_db(transaction=True)
def test_a_refused_override_shows_its_error_then_a_good_one_replaces_the_rating(
    journey: Journey, login_as: Callable[[Journey, str, str], None]
) -> None:
    load_demo()
    assignment = Assignment.objects.filter(role=Assignment.Role.LEAD).order_by("pk").first()
    assert assignment is not None
    page = journey.page
    login_as(journey, "duchashi", DEMO_PASSWORD)
    page.goto(journey.url(f"/tasks/{assignment.task_id}/"))
    owner = page.locator(f"#assignment-{assignment.pk}")
    owner.locator("details:has(form.override-form) > summary").click()
    owner.locator("form.override-form select[name=rag]").select_option("red")
    owner.locator("form.override-form button[type=submit]").click()  # no reason: refused
    error = page.locator(f"#assignment-{assignment.pk} form.override-form .field-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.url.endswith(f"/tasks/{assignment.task_id}/"), "no full page load for the refusal"
    journey.shot("override refused")

    form = page.locator(f"#assignment-{assignment.pk} form.override-form")
    form.locator("select[name=rag]").select_option("red")
    form.locator("textarea[name=reason]").fill("督查发现进度严重滞后")
    form.locator("button[type=submit]").click()
    page.locator(f"#assignment-{assignment.pk} .decided").wait_for()
    assert (
        page.locator(
            f"#assignment-{assignment.pk} > .rag.rag-red, #assignment-{assignment.pk} .rag.rag-red"
        ).count()
        >= 1
    )
    assert Rating.objects.filter(assignment=assignment, overridden=True, rag="red").count() == 1
    journey.shot("override recorded")
