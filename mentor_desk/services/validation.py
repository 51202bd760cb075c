"""Checks shared by every service. Each raises :class:`ValidationError` naming the field."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import TypeVar

from mentor_desk.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)

# Control characters other than tab and newlines are stripped from user text: they are never
# typed on purpose, break PDF output and can hide text from a reader.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: Dates further than this from today are flagged (see :func:`date_warning`).
SENSIBLE_YEARS = 5
#: The longest free text accepted in one field (about 5 MB of notes); longer is surely a mistake.
MAX_TEXT = 5_000_000


def clean_text(value: str | None, field: str, *, max_length: int = MAX_TEXT) -> str:
    """Normalise free text: NFC, no stray control characters, trailing space trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"expected text, got {type(value).__name__}", field)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).rstrip()
    if len(text) > max_length:
        raise ValidationError(
            f"is {len(text):,} characters long; the limit is {max_length:,}. "
            "Split it into several entries.",
            field,
        )
    return text


def require_text(value: str | None, field: str, *, max_length: int = 300) -> str:
    """Like :func:`clean_text`, on one line, and refusing empty or whitespace-only text."""
    text = " ".join(clean_text(value, field, max_length=MAX_TEXT).split())
    if not text:
        raise ValidationError("must not be empty", field)
    if len(text) > max_length:
        raise ValidationError(f"is longer than {max_length} characters", field)
    return text


def optional_line(value: str | None, field: str, *, max_length: int = 300) -> str:
    """A single line of optional text (empty allowed)."""
    text = " ".join(clean_text(value, field, max_length=MAX_TEXT).split())
    if len(text) > max_length:
        raise ValidationError(f"is longer than {max_length} characters", field)
    return text


def check_email(value: str | None, field: str = "email") -> str:
    text = optional_line(value, field, max_length=320)
    if text and not _EMAIL.match(text):
        raise ValidationError(f"'{text}' is not an e-mail address (name@example.org)", field)
    return text


def parse_enum(
    enum_cls: type[E], value: E | str | None, field: str, *, optional: bool = False
) -> E:
    """Turn a stored value or label into a member of ``enum_cls``.

    Accepts the member itself, its value (``"on_track"``) or its name in any case.
    """
    if value is None or value == "":
        if optional:
            return None  # type: ignore[return-value]
        raise ValidationError("must be set", field)
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        exact = enum_cls._value2member_map_.get(value)  # the stored form: a lookup, not a scan
        if exact is not None:
            return exact  # type: ignore[return-value]
    text = str(value).strip()
    for member in enum_cls:
        if text == member.value or text.lower() == member.name.lower():
            return member
    choices = ", ".join(str(m.value) for m in enum_cls)
    raise ValidationError(f"'{text}' is not one of: {choices}", field)


def check_range(value: int | float | None, field: str, low: int, high: int) -> int:
    """An integer in ``low..high`` inclusive."""
    if value is None or isinstance(value, bool):
        raise ValidationError(f"must be a number from {low} to {high}", field)
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"must be a number from {low} to {high}", field) from None
    if number != value or not low <= number <= high:
        raise ValidationError(f"must be a whole number from {low} to {high}, not {value}", field)
    return number


def parse_date(value: date | str | None, field: str, *, optional: bool = False) -> date | None:
    """A date from a :class:`date` or an ISO string (``2026-03-01``)."""
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError("must be a date", field)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"'{value}' is not a date (use YYYY-MM-DD)", field) from None


def require_date(value: date | str | None, field: str) -> date:
    parsed = parse_date(value, field)
    assert parsed is not None
    return parsed


def parse_datetime(value: datetime | str | None, field: str) -> datetime:
    """A datetime from a :class:`datetime` or ISO text; naive values are taken as local time."""
    if value is None or value == "":
        raise ValidationError("must be a date and time", field)
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day, 9, 0)
    else:
        try:
            result = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                f"'{value}' is not a date and time (use YYYY-MM-DD HH:MM)", field
            ) from None
    if result.tzinfo is None:
        try:
            result = result.astimezone()  # the user's wall clock
        except (ValueError, OverflowError):  # year 1 or 9999 shifted out of range
            raise ValidationError(f"'{value}' is out of the range of dates", field) from None
    return result


def check_order(start: date | None, end: date | None, start_field: str, end_field: str) -> None:
    """Refuse an end before its start."""
    if start is not None and end is not None and end < start:
        raise ValidationError(f"({end.isoformat()}) is before {start_field} ({start})", end_field)


def date_warning(value: date | None, field: str, *, today: date | None = None) -> str | None:
    """A warning (not an error) for a date more than :data:`SENSIBLE_YEARS` from today.

    Such dates are allowed (a five-year career goal is real), but are usually a typo.
    """
    if value is None:
        return None
    today = today or date.today()
    span = timedelta(days=365 * SENSIBLE_YEARS)
    if value < today - span:
        return f"{field} {value.isoformat()} is more than {SENSIBLE_YEARS} years in the past"
    if value > today + span:
        return f"{field} {value.isoformat()} is more than {SENSIBLE_YEARS} years in the future"
    return None


def check_positive(value: int | None, field: str, *, high: int) -> int:
    return check_range(value, field, 1, high)
