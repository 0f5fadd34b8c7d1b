"""HTTPS behind the proxy: trusted proxy headers, the client address, `check --deploy`, `serve`'s refusals."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, RequestFactory

from luoshi.core import proxy, startup
from luoshi.core.tests.test_cli import run_luoshi
from luoshi.core.tests.test_startup import free_port, one_line

HTTPS_SETTINGS = {  # as README's "HTTPS behind the proxy" documents them
    "LUOSHI_HTTPS": "1",
    "LUOSHI_BASE_URL": "https://luoshi.example.gov.cn",
    "LUOSHI_ALLOWED_HOSTS": "luoshi.example.gov.cn",
    "LUOSHI_TRUSTED_PROXIES": "10.0.0.2",
    "LUOSHI_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def _request(remote: str, forwarded: str = "", **extra: str) -> Any:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote, **extra}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    assert proxy.client_ip(_request("192.0.2.50", "6.6.6.6")) == "192.0.2.50"  # a client forging the header
    assert proxy.client_ip(_request("10.0.0.2", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert proxy.client_ip(_request("10.0.0.2", "203.0.113.9, 10.0.0.7")) == "203.0.113.9"  # two proxies
    assert proxy.client_ip(_request("::1")) == "::1"
    settings.TRUSTED_PROXIES = []
    assert proxy.client_ip(_request("10.0.0.2", "203.0.113.9")) == "10.0.0.2"


def test_the_middleware_drops_proxy_headers_from_untrusted_peers(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen: dict[str, bool] = {}

    def view(request: Any) -> Any:
        seen[request.META["REMOTE_ADDR"]] = request.is_secure()
        return None

    middleware = proxy.TrustedProxyMiddleware(view)
    middleware(_request("192.0.2.50", "6.6.6.6", HTTP_X_FORWARDED_PROTO="https"))
    middleware(_request("10.0.0.2", "6.6.6.6", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"192.0.2.50": False, "10.0.0.2": True}


def test_the_login_lockout_counts_the_same_address_as_the_audit_trail(settings: Any, db: None) -> None:
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    request = _request("10.0.0.2", "203.0.113.9")
    assert get_client_ip_address(request) == proxy.client_ip(request) == "203.0.113.9"
    forged = _request("192.0.2.50", "203.0.113.9")
    assert get_client_ip_address(forged) == "192.0.2.50"


def test_pages_carry_the_security_headers(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def _deploy_check(tmp_path: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run `luoshi check --deploy` in a fresh process with nothing else configured (settings are read at start)."""
    key = "Q9x" + "k7-a-long-random-production-key-used-only-by-this-check"
    result = run_luoshi(
        ["check", "--deploy", "--fail-level", "WARNING"], cwd=tmp_path, LUOSHI_SECRET_KEY=key, **env
    )
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_passes_with_the_documented_https_settings(tmp_path: Path) -> None:
    code, output = _deploy_check(tmp_path, HTTPS_SETTINGS)
    assert code == 0, output
    assert "no issues" in output
    code, output = _deploy_check(tmp_path, {})
    assert code != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


def test_check_deploy_in_process_warns_without_https(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The browser fixture allows sync ORM calls beside Playwright's loop; a deployment never does.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with pytest.raises(SystemCheckError):
        call_command("check", deploy=True, fail_level="WARNING", stdout=StringIO(), stderr=StringIO())
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.DEBUG = False
    settings.SECRET_KEY = "Q9x" + "k7-a-long-random-production-key-used-only-by-this-check"
    out = StringIO()
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=StringIO())
    assert "no issues" in out.getvalue()


@pytest.mark.parametrize(
    ("change", "code", "word"),
    [
        ({"LUOSHI_BASE_URL": "http://luoshi.example.gov.cn"}, "https_base_url", "https://"),
        ({"LUOSHI_TRUSTED_PROXIES": ""}, "https_no_proxy", "LUOSHI_TRUSTED_PROXIES"),
        ({"LUOSHI_PROXY_SSL_HEADER": ""}, "https_no_proxy_header", "LUOSHI_PROXY_SSL_HEADER"),
        ({"LUOSHI_ALLOWED_HOSTS": "other.example"}, "https_host_not_allowed", "LUOSHI_ALLOWED_HOSTS"),
        ({"LUOSHI_TRUSTED_PROXIES": "proxy.local"}, "bad_trusted_proxy", "proxy.local"),
    ],
)
def test_incoherent_https_settings_are_refused(
    settings: Any, change: dict[str, str], code: str, word: str
) -> None:
    settings.HTTPS = True
    settings.BASE_URL = change.get("LUOSHI_BASE_URL", HTTPS_SETTINGS["LUOSHI_BASE_URL"])
    settings.ALLOWED_HOSTS = change.get("LUOSHI_ALLOWED_HOSTS", HTTPS_SETTINGS["LUOSHI_ALLOWED_HOSTS"]).split(
        ","
    )
    proxies = change.get("LUOSHI_TRUSTED_PROXIES", HTTPS_SETTINGS["LUOSHI_TRUSTED_PROXIES"])
    settings.TRUSTED_PROXIES = [p for p in proxies.split(",") if p]
    header = change.get("LUOSHI_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if header else None
    settings.CSRF_TRUSTED_ORIGINS = [settings.BASE_URL]
    with pytest.raises(startup.StartupRefusal) as refused:
        startup.check_https()
    assert refused.value.code == code
    assert word in refused.value.message_en and word in refused.value.message_zh


def test_coherent_https_settings_pass(settings: Any) -> None:
    settings.HTTPS = True
    settings.BASE_URL = HTTPS_SETTINGS["LUOSHI_BASE_URL"]
    settings.ALLOWED_HOSTS = ["luoshi.example.gov.cn"]
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://luoshi.example.gov.cn"]
    assert startup.https_problem() is None


def test_serve_refuses_https_without_a_proxy_in_one_line(tmp_path: Path) -> None:
    env = {**HTTPS_SETTINGS, "LUOSHI_TRUSTED_PROXIES": "", "LUOSHI_SECRET_KEY": "x" * 60}
    result = run_luoshi(["serve", "--port", str(free_port())], cwd=tmp_path, **env)
    assert result.returncode != 0
    assert "LUOSHI_TRUSTED_PROXIES" in one_line(result.stderr)


def test_the_redirect_to_https_spares_only_healthz_and_believes_only_the_proxy(
    client: Client, settings: Any, db: None
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
    forged = client.get("/accounts/login/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301
    proxied = client.get("/accounts/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
