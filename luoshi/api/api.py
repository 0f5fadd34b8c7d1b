"""The JSON API at /api/: one NinjaAPI, its error shapes and its offline docs page.

Endpoints live in ``luoshi.api.endpoints``, one module per area; each calls the
same service functions and scope helpers as the pages.  Every error answer is
``{"code", "message", "message_en", "detail", "errors"}`` (see schemas.ErrorOut):

- a service refusal (TaskError, ReportError, RatingError, IngestError,
  PlanError, AccountError, SupervisionError, EvaluationError,
  AccountabilityError, BulletinError…: every luoshi.lib.errors.BilingualError) → 400
- request fields of the wrong shape → 422, one entry per field in ``errors``
- not authenticated, or an unknown, revoked or expired token → 401
- a read-scope token on POST, PUT, PATCH or DELETE → 403 (code token_read_only)
- the role may not do it, or a failed CSRF check → 403
- outside the caller's scope, or absent → 404
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from luoshi.api.auth import AUTH, CsrfFailed
from luoshi.api.endpoints import (
    bulletins,
    chain,
    documents,
    followup,
    instructions,
    plans,
    ratings,
    reports,
    review,
    supervision,
)
from luoshi.api.params import BoundedParser
from luoshi.lib.errors import BilingualError, pick
from luoshi.people.services import TokenRefused, TokenScopeDenied


class OfflineSwagger(DocsBase):
    """Swagger UI from our own static files (luoshi/api/static/api/swagger-ui): no CDN."""

    settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"api": api, "swagger_settings": json.dumps(swagger_settings)}
        return render(request, "api/docs.html", context)


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese stays readable


api = NinjaAPI(
    title="落实 luoshi API",
    version="1",
    description=(
        "督查督办 JSON API. Authenticate with `Authorization: Bearer <token>` (issued by "
        "`luoshi issue_token USERNAME NAME`) or a logged-in browser session (with the CSRF "
        "token on unsafe methods). Errors: `{code, message, message_en, detail, errors}` (`detail` in the request's language)."
    ),
    urls_namespace="api",
    auth=AUTH,
    docs=OfflineSwagger(),
    renderer=Utf8JSONRenderer(),
    parser=BoundedParser(),
)


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    message_en: str,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    # ``detail`` is the one message in the request's language (for showing); both stay for programs.
    body = {
        "code": code,
        "message": message,
        "message_en": message_en,
        "detail": pick(message, message_en),
        "errors": errors or [],
    }
    return api.create_response(request, body, status=status)


@api.exception_handler(BilingualError)
def service_error(request: HttpRequest, exc: BilingualError) -> HttpResponse:
    """A service refusal (every app's error derives from BilingualError) is the caller's to fix: 400."""
    return error(request, 400, exc.code, exc.message_zh, exc.message_en)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not_found", "未找到，或您无权查看。", "Not found, or not yours to see.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(
        request,
        403,
        getattr(exc, "code", "forbidden"),
        getattr(exc, "message_zh", "您无权执行此操作。"),
        getattr(exc, "message_en", "You may not do this."),
    )


@api.exception_handler(CsrfFailed)
def csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return error(
        request,
        403,
        "csrf_failed",
        "CSRF 校验失败，请刷新页面后重试。",
        "The CSRF check failed; reload the page and try again.",
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error(
        request,
        401,
        "unauthenticated",
        "请先登录，或提供有效的 API 令牌。",
        "Log in, or send a valid API token (Authorization: Bearer <token>).",
    )
    response["WWW-Authenticate"] = 'Bearer realm="luoshi"'
    return response


@api.exception_handler(TokenRefused)
def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = error(request, 401, exc.code, exc.message_zh, exc.message_en)
    response["WWW-Authenticate"] = 'Bearer realm="luoshi", error="invalid_token"'
    return response


@api.exception_handler(TokenScopeDenied)
def token_scope_denied(request: HttpRequest, exc: TokenScopeDenied) -> HttpResponse:
    response = error(request, 403, exc.code, exc.message_zh, exc.message_en)
    response["WWW-Authenticate"] = 'Bearer realm="luoshi", error="insufficient_scope", scope="write"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(
        exc.__cause__, NinjaValidationError
    ):  # the body parser refused a value (params.BoundedParser)
        return invalid_request(request, exc.__cause__)
    return error(request, exc.status_code, "error", exc.message, exc.message)


def _field(loc: Any) -> str:
    """ "body.progress" for ninja's ("body", "payload", "progress"): the body parameter's name is ours, not the caller's."""
    parts = [str(p) for p in loc or ()]
    if len(parts) > 2 and parts[0] == "body" and parts[1] == "payload":
        del parts[1]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field(e.get("loc")), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    fields = "、".join(e["field"] for e in errors)
    return error(
        request, 422, "invalid", f"请求内容有误：{fields}。", f"The request is invalid: {fields}.", errors
    )


@api.exception_handler(DjangoValidationError)
def invalid_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    text = "; ".join(e["message"] for e in errors)
    return error(request, 400, "invalid", f"数据无效：{text}", f"Invalid data: {text}", errors)


for module in (
    documents,
    plans,
    chain,
    reports,
    ratings,
    supervision,
    followup,
    bulletins,
    review,
    instructions,
):
    api.add_router("", module.router)
