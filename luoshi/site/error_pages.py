"""The site's own 400/403/404/500 and CSRF-failure pages: in the page's language, in the site's layout,
with a way back. Set as ``handler400/403/404/500`` in luoshi.urls and ``CSRF_FAILURE_VIEW``."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from luoshi.lib.errors import localized

log = logging.getLogger(__name__)


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is one of ours (else nothing: the home link is enough)."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and referer != request.build_absolute_uri()
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return referer
    return ""


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message}
    try:
        context["back"] = _back(request)
        # The full layout (nav for a logged-in user) needs the database; should that fail, the plain page.
        body = loader.render_to_string("core/error.html", context, request=request)
    except Exception:  # an error page must not fail in turn
        log.exception("error page %s: the full layout failed; showing the plain one", status)
        body = loader.render_to_string("core/error_plain.html", context)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be read"),
        _("The page could not understand this request. Go back and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = ""
    if exception is not None and hasattr(exception, "message_zh"):
        action = getattr(exception, "action", "")
        # RoleRequired's default reason names the internal action ("（plan）"): the general words say it better.
        if not (action and f"（{action}）" in str(exception.message_zh)):
            reason = localized(exception)
    return _page(
        request, 403, _("Not allowed"), reason or _("Your account may not open this page or do this.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # A path no API operation matches (/api/tasks/abc): the API's JSON error, as its schema says.
        from luoshi.api.api import error  # the API imports the web stack; import it only when needed

        return error(request, 404, "not_found", "未找到，或您无权查看。", "Not found, or not yours to see.")
    return _page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or it is not yours to see. It may have been moved or removed."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """No database and no request context: this page must render when everything else fails."""
    context = {
        "status": 500,
        "title": _("Something went wrong"),
        "message": _(
            "The system could not finish this request. Nothing was half-saved; "
            "try again in a moment, and tell the system administrator if it happens again."
        ),
    }
    body: str
    try:
        body = loader.render_to_string("core/error_plain.html", context)
    except Exception:  # even the templates failed: the words, and the way home
        log.exception("the 500 page failed to render")
        body = (
            f'<!doctype html><meta charset="utf-8"><title>{context["title"]}</title>'
            f'<h1>{context["title"]}</h1><p>{context["message"]}</p><p><a href="/">{_("Back to the home page")}</a></p>'
        )
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("The page has expired"),
        _(
            "The form's security check failed, most often because the page was open too long "
            "or you logged in again elsewhere. Go back, reload the page and try again."
        ),
    )
