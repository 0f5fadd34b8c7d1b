"""Every setting luoshi reads from the environment, with its default and help.

Each ``Setting`` keeps its default next to its help text (datasette's habit);
``docs/settings.md`` must document every one (a test checks).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SECRET_KEY = "luoshi-insecure-default-secret-key-change-me"
SECRET_KEY_FILE = "secret_key"  # in the data dir, written by `luoshi init` (mode 0600)
SETTINGS_FILE = "luoshi.env"  # in the data dir: NAME=value lines, below the environment


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False  # never shown (e.g. by show_settings)

    def raw(self) -> str:
        if self.name in os.environ:
            return os.environ[self.name]
        if self.name != "LUOSHI_DATA_DIR":  # the file lives in the data dir: never read from it
            return file_values().get(self.name, self.default)
        return self.default


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


SETTINGS: list[Setting] = [
    Setting(
        "DATABASE_URL",
        "",
        "Database URL, e.g. postgres://user@127.0.0.1:5432/luoshi. Empty: a SQLite file "
        "luoshi.sqlite3 under LUOSHI_DATA_DIR.",
    ),
    Setting(
        "LUOSHI_SECRET_KEY",
        DEFAULT_SECRET_KEY,
        "Django secret key. Unset: read from the file secret_key in LUOSHI_DATA_DIR (written by "
        "`luoshi init`); the server refuses to start without one unless LUOSHI_DEBUG is on.",
    ),
    Setting("LUOSHI_DEBUG", "0", "Debug mode (1/0). Never on in production."),
    Setting(
        "LUOSHI_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the server answers to.",
    ),
    Setting(
        "LUOSHI_DATA_DIR",
        "",
        "Folder for the SQLite file, uploaded originals, evidence files, the secret key file and "
        "luoshi.env (outside the web root). Empty: the current working directory's ./var.",
    ),
    Setting(
        "LUOSHI_MAX_UPLOAD_MB",
        "20",
        "Largest document or evidence file accepted, in megabytes.",
    ),
    Setting(
        "LUOSHI_UNIT_HEAD_APPROVAL",
        "0",
        "Whether a unit head must approve a unit's periodic report before it counts (1/0). "
        "Off: reports count as soon as they are submitted.",
    ),
    Setting("LUOSHI_TIME_ZONE", "Asia/Shanghai", "Time zone for deadlines, periods and display."),
    Setting(
        "LUOSHI_NLP_CACHE_DIR",
        "",
        "Writable folder for the segmenter's dictionary cache (read-only installs). Empty: the "
        "system temporary folder.",
    ),
    Setting("LUOSHI_LANGUAGE", "zh-hans", "Default interface language: zh-hans or en."),
    Setting(
        "LUOSHI_DATE_HORIZON_YEARS",
        "30",
        "Planning horizon: every date a user gives (task start and deadline, milestones, extensions, "
        "rating as-of days, bulletin periods) must lie within this many years of today, before or after.",
    ),
    # --- supervision (督办) and notifications ---
    Setting(
        "LUOSHI_BASE_URL",
        "http://127.0.0.1:8000",
        "Absolute address of the site as users reach it; links in notices, mails and group messages start with it.",
    ),
    Setting(
        "LUOSHI_REPORT_REMINDER_DAYS",
        "monthly=3,quarterly=7,half_yearly=10,yearly=10,custom=7",
        "Default days before a report's due date to remind the unit, per cadence. Used to create the "
        "reminder policies the first time they are needed; afterwards edit them in the admin.",
    ),
    Setting(
        "LUOSHI_DEADLINE_REMINDER_DAYS",
        "30,7",
        "Default days before an assignment's deadline to remind the unit (comma-separated). Used to create "
        "the reminder policies the first time they are needed; afterwards edit them in the admin.",
    ),
    Setting(
        "LUOSHI_URGING_RESPONSE_DAYS",
        "3",
        "Days a unit has to respond to a formal urging notice (催办) before its response is late.",
    ),
    Setting(
        "LUOSHI_ESCALATION_DAYS",
        "7",
        "Days overdue after which an urged matter is escalated to the supervisors and the unit head.",
    ),
    Setting(
        "LUOSHI_INSTRUCTION_DUE_DAYS",
        "10",
        "Days a leader's instruction (领导批示) gives its owners to answer, as the instruction form offers "
        "it (the leader may choose another date).",
    ),
    Setting(
        "LUOSHI_INSTRUCTION_REMINDER_DAYS",
        "2",
        "Days before an instruction's due date to remind an owner that has not answered yet; once it is "
        "due, `luoshi tick` urges, and escalates after LUOSHI_ESCALATION_DAYS.",
    ),
    Setting(
        "LUOSHI_YELLOW_WARNING_DAYS",
        "15",
        "A yellow warning (黄牌) is raised when an assignment's deadline is this many days away or fewer "
        "and the work is not done; a red one (红牌) once the deadline has passed.",
    ),
    Setting(
        "LUOSHI_FILING_DAYS",
        "30",
        "Days after publication within which a published document must be filed for filing review "
        "(备案: 30 days for 规章 under the Legislation Law, the usual rule for 规范性文件).",
    ),
    Setting(
        "LUOSHI_REVIEW_COMPLETION_DAYS",
        "5",
        "Working days a drafting unit has to complete an incomplete filing (限期补正).",
    ),
    Setting(
        "LUOSHI_REVIEW_WORKING_DAYS",
        "15",
        "Working days for a pre-review (前置审核) from its assignment to the conclusion (the legality review "
        "of normative documents takes at most 15 working days).",
    ),
    Setting(
        "LUOSHI_FILING_REVIEW_WORKING_DAYS",
        "20",
        "Working days for a filing review (备案审查) from its assignment to the conclusion.",
    ),
    Setting(
        "LUOSHI_REVISION_DAYS",
        "10",
        "Working days a drafting unit has to upload a revised draft after it was returned for revision.",
    ),
    Setting(
        "LUOSHI_REVIEW_REMINDER_DAYS",
        "3,1",
        "Days before a review stage's due date (completion, review, revision) to remind whoever must act "
        "(comma-separated); an overdue stage is reminded once more, to the review head too.",
    ),
    Setting(
        "LUOSHI_SMTP_HOST",
        "",
        "SMTP server for notice mails. Empty: no mail is sent (in-app notices and group robots still work).",
    ),
    Setting("LUOSHI_SMTP_PORT", "25", "SMTP server port (587 for STARTTLS, 465 for SSL are common)."),
    Setting("LUOSHI_SMTP_USER", "", "SMTP user name; empty for a relay that needs no login."),
    Setting("LUOSHI_SMTP_PASSWORD", "", "SMTP password (never shown by show_settings).", secret=True),
    Setting("LUOSHI_SMTP_TLS", "0", "Use STARTTLS on the SMTP connection (1/0)."),
    Setting(
        "LUOSHI_SMTP_SSL", "0", "Use implicit TLS (SMTPS, usually port 465) on the SMTP connection (1/0)."
    ),
    Setting("LUOSHI_MAIL_FROM", "luoshi@localhost", "Sender address of notice mails."),
    Setting(
        "LUOSHI_OUTBOUND_TIMEOUT",
        "10",
        "Seconds to wait for an SMTP server or a robot webhook before the attempt counts as failed.",
    ),
    Setting(
        "LUOSHI_OUTBOUND_PROXY",
        "",
        "HTTP proxy for robot webhooks, e.g. http://10.0.0.1:3128. Empty: connect directly "
        "(proxy environment variables are ignored).",
    ),
    Setting(
        "LUOSHI_DELIVERY_BACKOFF_MINUTES",
        "1,5,30",
        "Minutes to wait before retrying a failed delivery, after the 1st, 2nd, 3rd… failure "
        "(the last value repeats).",
    ),
    Setting(
        "LUOSHI_DELIVERY_MAX_ATTEMPTS",
        "4",
        "Attempts per delivery (mail or group message) before it is marked failed for good.",
    ),
    Setting(
        "LUOSHI_DELIVERY_CLAIM_TIMEOUT_MINUTES",
        "10",
        "A delivery left 'sending' this long (its sender crashed) is taken up again by the next pass.",
    ),
    Setting(
        "LUOSHI_TICK_INTERVAL",
        "300",
        "Seconds between passes of `luoshi tick --loop` (default of --interval).",
    ),
    # --- security: database concurrency, login protection, parsing limits (docs/security.md) ---
    Setting(
        "LUOSHI_SQLITE_BUSY_TIMEOUT",
        "20",
        "SQLite only: seconds a write waits for another one to finish before it fails with 'database is locked'.",
    ),
    Setting(
        "LUOSHI_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins in a row after which the account, and separately the address they came from, is locked "
        "(login page, /admin/ and the API alike).",
    ),
    Setting(
        "LUOSHI_LOGIN_LOCKOUT_MINUTES",
        "15",
        "Minutes a locked account or address stays locked; an administrator can unlock it at once "
        "(the user's page under /people/, or `luoshi unlock USERNAME`).",
    ),
    Setting(
        "LUOSHI_PARSE_MAX_UNPACKED_MB",
        "50",
        "Largest total unpacked size, in megabytes, of an uploaded DOCX or XLSX (a zip file); a larger one is "
        "refused before it is parsed.",
    ),
    Setting(
        "LUOSHI_PARSE_MAX_MEMBERS",
        "2000",
        "Most files inside an uploaded DOCX or XLSX; more are refused before parsing.",
    ),
    Setting(
        "LUOSHI_PARSE_MAX_RATIO",
        "100",
        "Highest compression ratio (unpacked ÷ packed) of one file inside an uploaded DOCX or XLSX; a higher "
        "one (a 'zip bomb') is refused before parsing.",
    ),
    Setting(
        "LUOSHI_PARSE_MAX_ELEMENTS",
        "2000000",
        "Most XML elements in one part of an uploaded DOCX or XLSX (paragraphs, runs, cells…); more are refused.",
    ),
    Setting(
        "LUOSHI_PARSE_TIME_LIMIT",
        "60",
        "Seconds one uploaded document may take to be read and structured; past that it is refused.",
    ),
    # --- scans, photos, .doc/.wps (docs/ingest.md "Scans and photos", "Old Word and WPS files") ---
    Setting(
        "LUOSHI_OCR_MAX_PAGES",
        "30",
        "Most pages of one upload that are read by OCR (scanned PDF pages, TIFF frames); a file with more is "
        "refused before any is read.",
    ),
    Setting(
        "LUOSHI_OCR_PAGE_SECONDS",
        "20",
        "Seconds added to LUOSHI_PARSE_TIME_LIMIT for every page read by OCR.",
    ),
    Setting(
        "LUOSHI_OCR_MAX_MEGAPIXELS",
        "60",
        "Largest image (a photo, a scan, a TIFF frame, a picture inside a scanned PDF page) in megapixels; a "
        "larger one (or a 'decompression bomb') is refused before it is decoded.",
    ),
    Setting(
        "LUOSHI_OCR_THREADS",
        "0",
        "Threads the OCR engine uses for one page; 0: as many as the machine has cores.",
    ),
    Setting(
        "LUOSHI_SOFFICE",
        "",
        "Path of LibreOffice's soffice, which converts .doc and .wps uploads; empty: soffice or libreoffice "
        "on PATH. Without it those files are refused with a note to save them as .docx.",
    ),
    Setting(
        "LUOSHI_CONVERT_TIMEOUT",
        "60",
        "Seconds LibreOffice may take to convert one .doc or .wps upload.",
    ),
    # --- https: production over HTTPS behind the intranet's proxy (docs/security.md "HTTPS and headers") ---
    Setting(
        "LUOSHI_HTTPS",
        "0",
        "The site is reached over HTTPS through a reverse proxy (1/0). On: secure cookies, HSTS, the redirect to "
        "HTTPS, and `luoshi serve` refuses to start unless LUOSHI_BASE_URL is https://, LUOSHI_TRUSTED_PROXIES "
        "and LUOSHI_PROXY_SSL_HEADER are set.",
    ),
    Setting(
        "LUOSHI_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses (or networks, e.g. 10.0.0.0/24) of the reverse proxies in front of luoshi. "
        "X-Forwarded-For and the proxy's HTTPS header are believed only from them: the audit trail and the login "
        "lockout then see the client's address. Empty: no header is believed, the peer address is the client.",
    ),
    Setting(
        "LUOSHI_PROXY_SSL_HEADER",
        "",
        "Header the trusted proxy sets to 'https' on requests it received over HTTPS, e.g. X-Forwarded-Proto "
        "(Django's SECURE_PROXY_SSL_HEADER). Empty: none is used.",
    ),
    Setting(
        "LUOSHI_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins allowed to post forms, e.g. https://luoshi.example.gov.cn. Empty: the origin of "
        "LUOSHI_BASE_URL when LUOSHI_HTTPS is on.",
    ),
    Setting(
        "LUOSHI_SSL_REDIRECT",
        "1",
        "With LUOSHI_HTTPS on: redirect plain-HTTP requests to HTTPS (1/0). Turn off only when the proxy "
        "already redirects them.",
    ),
    Setting(
        "LUOSHI_HSTS_SECONDS",
        "31536000",
        "With LUOSHI_HTTPS on: how long browsers keep to HTTPS for this host (HSTS), in seconds; 0 sends no HSTS.",
    ),
    Setting(
        "LUOSHI_HSTS_INCLUDE_SUBDOMAINS",
        "0",
        "With LUOSHI_HTTPS on: HSTS covers the host's subdomains too (1/0). Off by default: other intranet "
        "systems under the same domain may still be plain HTTP.",
    ),
    Setting(
        "LUOSHI_SESSION_HOURS",
        "12",
        "Hours a login lasts at most (the session cookie's age).",
    ),
    Setting(
        "LUOSHI_SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "1",
        "The login ends when the browser is closed (1/0).",
    ),
    Setting(
        "LUOSHI_TOKEN_DAYS",
        "90",
        "Days an API token lasts unless `luoshi issue_token --days N` says otherwise.",
    ),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].raw()


def get_bool(name: str) -> bool:
    return _truthy(get(name))


def get_int(name: str) -> int:
    raw = get(name)
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def get_int_list(name: str) -> list[int]:
    """A comma-separated list of whole numbers, e.g. "30,7"."""
    raw = get(name)
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"{name} must be whole numbers separated by commas, got {raw!r}") from exc


def get_int_map(name: str) -> dict[str, int]:
    """A comma-separated list of key=number pairs, e.g. "monthly=3,quarterly=7"."""
    raw = get(name)
    result: dict[str, int] = {}
    for part in raw.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError(part)
            result[key.strip()] = int(value)
        except ValueError as exc:
            raise ValueError(f"{name} must look like key=number,key=number, got {raw!r}") from exc
    return result


def get_list(name: str) -> list[str]:
    """A comma-separated list of words, blanks dropped."""
    return [part.strip() for part in get(name).split(",") if part.strip()]


def data_dir() -> Path:
    raw = get("LUOSHI_DATA_DIR")
    return Path(raw).resolve() if raw else (Path.cwd() / "var").resolve()


class SettingsFileError(ValueError):
    """A line of luoshi.env that is not NAME=value with a known NAME."""


_file_cache: dict[tuple[str, float], dict[str, str]] = {}


def settings_file() -> Path:
    return data_dir() / SETTINGS_FILE


def file_values() -> dict[str, str]:
    """The NAME=value lines of luoshi.env in the data dir (the environment wins over them)."""
    path = settings_file()
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return {}
    if key not in _file_cache:
        _file_cache.clear()
        _file_cache[key] = parse_settings_file(path.read_text(encoding="utf-8"), where=str(path))
    return _file_cache[key]


def parse_settings_file(text: str, *, where: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or name not in _BY_NAME or name == "LUOSHI_DATA_DIR":
            raise SettingsFileError(f"{where}:{number}: not a luoshi setting: {line[:60]!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def settings_template() -> str:
    """luoshi.env as `luoshi init` writes it: every setting commented out at its default."""
    lines = [
        "# luoshi settings (NAME=value; the environment wins over this file).",
        "# Remove the '#' in front of a line to change a setting; `luoshi show_settings` shows the values in force.",
        "# LUOSHI_DATA_DIR cannot be set here: this file lives in the data dir.",
        "",
    ]
    for s in SETTINGS:
        if s.name in {"LUOSHI_DATA_DIR", "LUOSHI_SECRET_KEY"}:
            lines.append(f"# {s.name}: {s.help}")
            lines.append(
                "#   (not set here: see the comment above)"
                if s.name == "LUOSHI_DATA_DIR"
                else f"#   (kept in the file {SECRET_KEY_FILE} beside this one)"
            )
        else:
            lines.append(f"# {s.help}")
            lines.append(f"# {s.name}={s.default}")
        lines.append("")
    return "\n".join(lines)


def secret_key_file() -> Path:
    return data_dir() / SECRET_KEY_FILE


def secret_key(*, debug: bool) -> tuple[str, str]:
    """(key, source): source is "env", "file", "default" (debug only) or "missing".

    Missing (no key anywhere, not debug): a random key for this process only, so that
    commands run but nothing signed survives; `luoshi serve` and the WSGI entry refuse it.
    """
    from_env = os.environ.get("LUOSHI_SECRET_KEY", "")
    if from_env and from_env != DEFAULT_SECRET_KEY:
        return from_env, "env"
    try:
        from_file = secret_key_file().read_text(encoding="utf-8").strip()
    except OSError:
        from_file = ""
    if from_file:
        return from_file, "file"
    if debug:
        return DEFAULT_SECRET_KEY, "default"
    return secrets.token_urlsafe(50), "missing"


def write_secret_key() -> bool:
    """Create the key file (owner-only) unless it exists; True when a new key was written."""
    path = secret_key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    os.chmod(path, 0o600)  # whatever the umask
    return True
