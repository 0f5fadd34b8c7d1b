"""Django settings, all read through luoshi.conf (see docs/settings.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from luoshi import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

DEBUG = conf.get_bool("LUOSHI_DEBUG")
# The environment, else the key file `luoshi init` writes in the data dir. Without either (and not
# debugging) commands still run on a throw-away key; `luoshi serve` and luoshi.wsgi refuse to start.
SECRET_KEY, SECRET_KEY_SOURCE = conf.secret_key(debug=DEBUG)
ALLOWED_HOSTS = [h.strip() for h in conf.get("LUOSHI_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "luoshi.core",
    "luoshi.units",
    "luoshi.documents",
    "luoshi.decomposition",
    "luoshi.accounts",
    "luoshi.tasks",
    "luoshi.reports",
    "luoshi.ratings",
    "luoshi.evaluation",
    "luoshi.accountability",
    "luoshi.audit",
    "luoshi.people",
    "luoshi.bulletins",
    "luoshi.api",
    "luoshi.notifications",
    "luoshi.supervision",
    "luoshi.review",
    "luoshi.instructions",
    "luoshi.web",
    "luoshi.site",
    "axes",  # login throttling (docs/security.md "Login protection")
    "csp",  # Content-Security-Policy (docs/security.md "HTTPS and headers")
]

MIDDLEWARE = [
    "luoshi.core.proxy.TrustedProxyMiddleware",  # first: proxy headers only from LUOSHI_TRUSTED_PROXIES
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the locked-out page
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_db_url = conf.get("DATABASE_URL")
if not _db_url:
    with contextlib.suppress(OSError):  # not writable: `luoshi serve`/`init` say so in one line
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    _db_url = f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A small office's concurrent writes on SQLite (docs/security.md "SQLite concurrency"): WAL lets readers
    # go on while one writes; IMMEDIATE takes the write lock when a transaction begins, so a second writer
    # waits (up to the busy timeout) instead of failing with "database is locked" when it tries to upgrade
    # a read lock in the middle of its transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": conf.get_int("LUOSHI_SQLITE_BUSY_TIMEOUT"),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Django's CommonPasswordValidator, its list extended with passwords common among Chinese users
    # (woaini1314, qq123456, 5201314…: luoshi/accounts/common_passwords_zh.txt).
    {"NAME": "luoshi.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes): after LUOSHI_LOGIN_FAILURE_LIMIT failed logins in a row, the account and,
# separately, the address are locked for LUOSHI_LOGIN_LOCKOUT_MINUTES: on the login page, /admin/ and every
# other login through django.contrib.auth.authenticate. An administrator unlocks on /people/ or with
# `luoshi unlock USERNAME`.
AUTHENTICATION_BACKENDS = [
    "luoshi.people.login_protection.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = conf.get_int("LUOSHI_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = dt.timedelta(minutes=conf.get_int("LUOSHI_LOGIN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "luoshi.people.login_protection.locked_out_response"
AXES_VERBOSE = False
# Lockouts are lifted on /people/ (解除锁定) or with `luoshi unlock`, audited; axes' own admin would edit its records around that.
AXES_ENABLE_ADMIN = False
# The address axes locks is the audit trail's: X-Forwarded-For only from LUOSHI_TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "luoshi.core.proxy.axes_client_ip"

LANGUAGE_CODE = conf.get("LUOSHI_LANGUAGE")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = conf.get("LUOSHI_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MAX_UPLOAD_BYTES = conf.get_int("LUOSHI_MAX_UPLOAD_MB") * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = DATA_DIR / "files"  # evidence and uploads: never under STATIC_ROOT
FILE_UPLOAD_PERMISSIONS = 0o600  # stored files and their folders: the server's user only (docs/security.md)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
UNIT_HEAD_APPROVAL = conf.get_bool("LUOSHI_UNIT_HEAD_APPROVAL")  # reports count once approved

LOGIN_URL = "/accounts/login/"
CSRF_FAILURE_VIEW = "luoshi.site.error_pages.csrf_failure"  # the site's own page, in the page's language
LOGIN_REDIRECT_URL = "/"  # core.views.home sends each role to its own page

# Supervision (督办) and notifications: see docs/supervision.md.
BASE_URL = conf.get("LUOSHI_BASE_URL").rstrip("/")
REPORT_REMINDER_DAYS = conf.get_int_map("LUOSHI_REPORT_REMINDER_DAYS")
DEADLINE_REMINDER_DAYS = conf.get_int_list("LUOSHI_DEADLINE_REMINDER_DAYS")
URGING_RESPONSE_DAYS = conf.get_int("LUOSHI_URGING_RESPONSE_DAYS")
ESCALATION_DAYS = conf.get_int("LUOSHI_ESCALATION_DAYS")
YELLOW_WARNING_DAYS = conf.get_int("LUOSHI_YELLOW_WARNING_DAYS")
# Pre-review and filing review: see docs/review.md.
FILING_DAYS = conf.get_int("LUOSHI_FILING_DAYS")
REVIEW_COMPLETION_DAYS = conf.get_int("LUOSHI_REVIEW_COMPLETION_DAYS")
REVIEW_WORKING_DAYS = conf.get_int("LUOSHI_REVIEW_WORKING_DAYS")
FILING_REVIEW_WORKING_DAYS = conf.get_int("LUOSHI_FILING_REVIEW_WORKING_DAYS")
REVISION_DAYS = conf.get_int("LUOSHI_REVISION_DAYS")
REVIEW_REMINDER_DAYS = conf.get_int_list("LUOSHI_REVIEW_REMINDER_DAYS")
INSTRUCTION_DUE_DAYS = conf.get_int(
    "LUOSHI_INSTRUCTION_DUE_DAYS"
)  # leaders' instructions: docs/supervision.md
INSTRUCTION_REMINDER_DAYS = conf.get_int("LUOSHI_INSTRUCTION_REMINDER_DAYS")
EMAIL_HOST = conf.get("LUOSHI_SMTP_HOST")
EMAIL_ENABLED = bool(EMAIL_HOST)  # no SMTP host: no mail deliveries are created
EMAIL_PORT = conf.get_int("LUOSHI_SMTP_PORT")
EMAIL_HOST_USER = conf.get("LUOSHI_SMTP_USER")
EMAIL_HOST_PASSWORD = conf.get("LUOSHI_SMTP_PASSWORD")
EMAIL_USE_TLS = conf.get_bool("LUOSHI_SMTP_TLS")
EMAIL_USE_SSL = conf.get_bool("LUOSHI_SMTP_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "LUOSHI_SMTP_TLS 与 LUOSHI_SMTP_SSL 只能开启一个。 / Turn on only one of LUOSHI_SMTP_TLS and LUOSHI_SMTP_SSL."
    )
DEFAULT_FROM_EMAIL = SERVER_EMAIL = conf.get("LUOSHI_MAIL_FROM")
OUTBOUND_TIMEOUT = conf.get_int("LUOSHI_OUTBOUND_TIMEOUT")
EMAIL_TIMEOUT = OUTBOUND_TIMEOUT
OUTBOUND_PROXY = conf.get("LUOSHI_OUTBOUND_PROXY")
DELIVERY_BACKOFF_MINUTES = conf.get_int_list("LUOSHI_DELIVERY_BACKOFF_MINUTES") or [1]
DELIVERY_MAX_ATTEMPTS = max(1, conf.get_int("LUOSHI_DELIVERY_MAX_ATTEMPTS"))
DELIVERY_CLAIM_TIMEOUT_MINUTES = conf.get_int("LUOSHI_DELIVERY_CLAIM_TIMEOUT_MINUTES")
TICK_INTERVAL = conf.get_int("LUOSHI_TICK_INTERVAL")

# HTTPS behind the intranet's reverse proxy (docs/security.md "HTTPS and headers").
HTTPS = conf.get_bool("LUOSHI_HTTPS")
TRUSTED_PROXIES = conf.get_list("LUOSHI_TRUSTED_PROXIES")
_ssl_header = conf.get("LUOSHI_PROXY_SSL_HEADER").strip()
if _ssl_header:  # the middleware drops it unless the peer is a trusted proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")
CSRF_TRUSTED_ORIGINS = conf.get_list("LUOSHI_CSRF_TRUSTED_ORIGINS")
if not CSRF_TRUSTED_ORIGINS and HTTPS and BASE_URL.startswith("https://"):
    CSRF_TRUSTED_ORIGINS = ["/".join(BASE_URL.split("/")[:3])]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and conf.get_bool("LUOSHI_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor on the server itself checks waitress directly over HTTP
SECURE_HSTS_SECONDS = conf.get_int("LUOSHI_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = conf.get_bool("LUOSHI_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [
    # An intranet host is never on the browsers' preload lists, and other systems under its domain may still be
    # plain HTTP: HSTS preload and includeSubDomains stay the operator's choice (LUOSHI_HSTS_INCLUDE_SUBDOMAINS).
    "security.W005",
    "security.W021",
]
SESSION_COOKIE_AGE = conf.get_int("LUOSHI_SESSION_HOURS") * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = conf.get_bool("LUOSHI_SESSION_EXPIRE_AT_BROWSER_CLOSE")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from our own static files, nothing from elsewhere.
# Styles also allow inline ones, the one exception (docs/security.md): the HTML bulletin carries its own <style>
# (also inside the preview frame, which inherits this policy) and a few templates use style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'self'"],
    },
}
TOKEN_DAYS = conf.get_int("LUOSHI_TOKEN_DAYS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
