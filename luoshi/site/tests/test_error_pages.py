"""403, 404, 500 and a failed CSRF check: the site's own page, in one language, with a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from luoshi import urls
from luoshi.accounts.scope import RoleRequired
from luoshi.site import error_pages

pytestmark = pytest.mark.django_db

WORDS = {
    "zh-hans": {
        "404": "页面不存在",
        "403": "无权访问",
        "500": "系统出错了",
        "csrf": "页面已过期",
        "home": "返回首页",
    },
    "en": {
        "404": "Page not found",
        "403": "Not allowed",
        "500": "Something went wrong",
        "csrf": "The page has expired",
        "home": "Back to the home page",
    },
}


def _client(language: str, user: Any = None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _other(language: str) -> str:
    return "en" if language == "zh-hans" else "zh-hans"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_unknown_page_is_the_sites_own_404_in_the_language(language: str, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(username="someone", password="x" * 12)
    response = _client(language, user).get("/no/such/page/", HTTP_REFERER="http://testserver/documents/")
    page = response.content.decode()
    assert response.status_code == 404
    assert WORDS[language]["404"] in page and WORDS[language]["home"] in page
    assert (
        'href="/"' in page and 'href="http://testserver/documents/"' in page
    )  # home, and back where it came from
    assert 'class="brand"' in page and "<nav>" in page  # the site's layout, with the nav for a logged-in user
    assert WORDS[_other(language)]["404"] not in page
    assert "Django" not in page and "Not Found</h1>" not in page


def test_the_404_page_works_for_a_visitor_without_a_login(client: Client) -> None:
    page = client.get("/no/such/page/").content.decode()
    assert "页面不存在" in page and 'href="/"' in page and "<nav>" not in page


def test_a_back_link_to_another_site_is_not_offered(client: Client) -> None:
    page = client.get("/no/such/page/", HTTP_REFERER="https://elsewhere.example/").content.decode()
    assert "elsewhere.example" not in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refusal_is_the_sites_own_403_with_its_reason_in_one_language(language: str) -> None:
    request = RequestFactory().get("/office/")
    request.user = _anonymous()
    with translation.override(language):
        page = error_pages.permission_denied(
            request, RoleRequired("plan", "只有督查室可以分解任务。", "Only the office may divide tasks.")
        ).content.decode()
    said, unsaid = (
        ("只有督查室可以分解任务。", "Only the office")
        if language == "zh-hans"
        else ("Only the office may divide tasks.", "只有督查室")
    )
    assert WORDS[language]["403"] in page and said in page and unsaid not in page
    assert WORDS[language]["home"] in page and "Django" not in page


def test_a_forbidden_page_reached_through_the_site_is_ours(django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(username="plain", password="x" * 12)  # no profile: no role
    response = _client("zh-hans", user).get("/office/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and "返回首页" in page and "Django" not in page
    assert "403 Forbidden" not in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_500_page_needs_no_database_and_says_it_in_one_language(
    language: str, django_assert_num_queries: Any
) -> None:
    assert urls.handler500 == "luoshi.site.error_pages.server_error"
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = error_pages.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert WORDS[language]["500"] in page and WORDS[language]["home"] in page and 'href="/"' in page
    assert WORDS[_other(language)]["500"] not in page and "Django" not in page


def test_a_page_that_fails_shows_our_500(django_user_model: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("luoshi.site.views.redirect", broken)
    user = django_user_model.objects.create_user(username="someone", password="x" * 12)
    response = _client("en", user, raise_request_exception=False).get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "Back to the home page" in page and "database" not in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_failed_csrf_check_is_our_page_in_the_language(language: str, django_user_model: Any) -> None:
    assert settings.CSRF_FAILURE_VIEW == "luoshi.site.error_pages.csrf_failure"
    user = django_user_model.objects.create_user(username="someone", password="x" * 12)
    client = _client(language, user, enforce_csrf_checks=True)
    response = client.post("/accounts/logout/")
    page = response.content.decode()
    assert response.status_code == 403
    assert WORDS[language]["csrf"] in page and WORDS[language]["home"] in page
    assert WORDS[_other(language)]["csrf"] not in page and "CSRF verification failed" not in page


@pytest.mark.parametrize("exception", [PermissionDenied(), RoleRequired("plan")])
def test_a_refusal_without_words_of_its_own_gets_the_general_reason(exception: Exception) -> None:
    request = RequestFactory().get("/")
    request.user = _anonymous()
    with translation.override("en"):
        page = error_pages.permission_denied(request, exception).content.decode()
    assert "Your account may not open this page or do this." in page and "(plan)" not in page


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_an_api_path_no_operation_matches_is_the_apis_json_404(client: Client) -> None:
    # Found by the fuzz run: /api/tasks/null answered the HTML page where the schema promises JSON.
    response = client.get("/api/tasks/null%2Cnull")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
