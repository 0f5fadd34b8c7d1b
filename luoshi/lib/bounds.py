"""Input bounds shared by every service: dates within the planning horizon, text that an XML
document (DOCX) can hold, and text fields of a known largest size.

One rule for dates: a date a user gives (a task's start or deadline, a milestone, an extension,
a rating's as-of day, a bulletin period) must lie within ``LUOSHI_DATE_HORIZON_YEARS`` years of
today, before or after. Far-future dates such as 9999-12-31 would otherwise overflow date
arithmetic (year 10000) or create tens of thousands of report periods.

Text: XML 1.0 forbids the C0 control characters other than tab, newline and carriage return;
python-docx refuses them ("All strings must be XML compatible"). ``clean_text`` maps the vertical
tab and form feed (Word's line and page breaks when pasted) to a newline and drops the others,
NUL included, so nothing stored can break a document; the API and the web forms refuse NUL
outright at their boundary (see docs/security.md, "Input bounds").
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from luoshi import conf
from luoshi.lib.errors import BilingualError

MAX_BIGINT = 2**63 - 1  # the largest value of a 64-bit database integer (ids, offsets)
MAX_TEXT = 20_000  # characters of a long text field: a report, a response, a comment, a reason
MAX_SHORT_TEXT = 2_000  # characters of a one-paragraph text: an excerpt, a note

_BREAKS = re.compile("[\x0b\x0c]")
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


class BoundsError(BilingualError):
    """A value outside the bounds; ``field`` names the argument (and so the form field) it concerns.

    A service passes its own error type (``error=TaskError``…) so that the pages and commands that
    catch it catch this refusal too; the instance still carries ``field``.
    """


def _refusal(error: type[BilingualError], code: str, zh: str, en: str, field: str) -> BilingualError:
    return error(code, zh, en, field=field)


def horizon_years() -> int:
    years = conf.get_int("LUOSHI_DATE_HORIZON_YEARS")
    if years < 1:
        raise ValueError(f"LUOSHI_DATE_HORIZON_YEARS must be at least 1, got {years}")
    return years


def _shift(day: dt.date, years: int) -> dt.date:
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    return day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=year)


def horizon(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date a user may give, today ± the horizon."""
    today = today or timezone.localdate()
    years = horizon_years()
    return _shift(today, -years), _shift(today, years)


def check_date(
    value: dt.date,
    *,
    field: str,
    what_zh: str,
    what_en: str,
    today: dt.date | None = None,
    error: type[BilingualError] = BoundsError,
) -> dt.date:
    """``value`` if it lies within the horizon; ``error("date_out_of_range")`` otherwise."""
    first, last = horizon(today)
    if not first <= value <= last:
        years = horizon_years()
        raise _refusal(
            error,
            "date_out_of_range",
            f"{what_zh} {value} 超出允许范围：须在 {first} 至 {last} 之间（今天前后 {years} 年）。",
            f"The {what_en} {value} is out of range: it must be within {first} – {last} "
            f"({years} years either side of today).",
            field,
        )
    return value


def within_horizon(value: dt.date, today: dt.date | None = None) -> bool:
    first, last = horizon(today)
    return first <= value <= last


def is_db_id(text: str) -> bool:
    """Whether ``text`` is a whole number a 64-bit database id column can hold (a URL's ?unit=…)."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_BIGINT


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (vertical tab and form feed become newlines)."""
    return _ILLEGAL.sub("", _BREAKS.sub("\n", text)) if text else text


def clean_text(
    text: str | None,
    *,
    field: str,
    what_zh: str,
    what_en: str,
    limit: int = MAX_TEXT,
    error: type[BilingualError] = BoundsError,
) -> str:
    """User text as stored: XML-safe and at most ``limit`` characters (``error("text_too_long")``)."""
    cleaned = xml_safe(text or "")
    if len(cleaned) > limit:
        raise _refusal(
            error,
            "text_too_long",
            f"{what_zh}过长：最多 {limit} 字（现为 {len(cleaned)} 字）。",
            f"The {what_en} is too long: at most {limit} characters (got {len(cleaned)}).",
            field,
        )
    return cleaned


def has_nul(value: object) -> bool:
    """Whether a string anywhere in a parsed JSON value (or a plain string) holds NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False
