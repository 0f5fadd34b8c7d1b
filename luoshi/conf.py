"""Every setting luoshi reads from the environment, with its default and help.

Each ``Setting`` keeps its default next to its help text (datasette's habit);
``docs/settings.md`` must document every one (a test checks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SECRET_KEY = "luoshi-insecure-default-secret-key-change-me"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False  # never shown (e.g. by show_settings)

    def raw(self) -> str:
        return os.environ.get(self.name, self.default)


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
        "Django secret key. The server refuses to start with the default unless LUOSHI_DEBUG is on.",
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
        "Folder for the SQLite file, uploaded originals and evidence files (outside the web root). "
        "Empty: the current working directory's ./var.",
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
        "LUOSHI_YELLOW_WARNING_DAYS",
        "15",
        "A yellow warning (黄牌) is raised when an assignment's deadline is this many days away or fewer "
        "and the work is not done; a red one (红牌) once the deadline has passed.",
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
    Setting("LUOSHI_SMTP_SSL", "0", "Use implicit TLS (SMTPS, usually port 465) on the SMTP connection (1/0)."),
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
    Setting("LUOSHI_TICK_INTERVAL", "300", "Seconds between passes of `luoshi tick --loop` (default of --interval)."),
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


def data_dir() -> Path:
    raw = get("LUOSHI_DATA_DIR")
    return Path(raw).resolve() if raw else (Path.cwd() / "var").resolve()
