"""Reporting periods: calendar quarters ("2026-Q3") and date ranges, both ends included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from mentor_desk.errors import ValidationError
from mentor_desk.services.validation import check_order, require_date

# "2026-Q3", "2026Q3", "2026 q3": a four-digit year, an optional separator, Q and a digit.
_QUARTER = re.compile(r"^(?P<year>\d+)\s*[-/ ]?\s*[Qq](?P<quarter>\d+)$")


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, ``start`` and ``end`` both included.

    Attributes:
        start: the first day.
        end: the last day (never before ``start``).
        label: how documents name it: ``"2026-Q3"`` for a calendar quarter, otherwise
            ``"2026-03-01 – 2026-05-31"``.
    """

    start: date
    end: date
    label: str

    @classmethod
    def from_dates(cls, start: date | str, end: date | str, *, label: str | None = None) -> Period:
        """A period from two dates (or ISO strings); an end before the start is refused."""
        first = require_date(start, "from")
        last = require_date(end, "to")
        check_order(first, last, "the start date", "to")
        return cls(first, last, label or _label(first, last))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """Calendar quarter ``number`` (1-4) of ``year``."""
        if not 1 <= number <= 4:
            raise ValidationError(f"Q{number} is not a quarter; use Q1 to Q4", "quarter")
        if not 1 <= year <= 9999:
            raise ValidationError(f"{year} is not a year we can report on", "quarter")
        start = date(year, 3 * number - 2, 1)
        return cls(start, _month_end(year, 3 * number), f"{year:04d}-Q{number}")

    @classmethod
    def containing(cls, day: date) -> Period:
        """The calendar quarter that ``day`` falls in (the default for a packet)."""
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period spans, both ends included."""
        return (self.end - self.start).days + 1

    def following_quarter(self) -> Period:
        """The calendar quarter after the one this period ends in ("next quarter" in a packet)."""
        return Period.containing(self.end).next()

    def next(self) -> Period:
        """The period of the same length straight after this one (quarters stay quarters)."""
        if _QUARTER.match(self.label):
            return Period.containing(self.end + timedelta(days=1))
        start = self.end + timedelta(days=1)
        return Period.from_dates(start, start + timedelta(days=self.days - 1))


def parse_quarter(text: str) -> Period:
    """``"2026-Q3"`` -> 1 July to 30 September 2026. Also accepts ``"2026Q3"`` and ``"2026 q3"``.

    Raises:
        ValidationError: on anything else, with a message saying what is expected.
    """
    if not isinstance(text, str):
        raise ValidationError("must be text like 2026-Q3", "quarter")
    match = _QUARTER.match(text.strip())
    if match is None:
        raise ValidationError(f"'{text}' is not a quarter; write it like 2026-Q3", "quarter")
    if len(match["year"]) != 4:
        raise ValidationError(f"'{text}' needs a four-digit year; write it like 2026-Q3", "quarter")
    return Period.quarter(int(match["year"]), int(match["quarter"]))


def resolve_period(value: Period | str | None, today: date) -> Period:
    """A period from a :class:`Period`, quarter text, or None (the quarter containing today)."""
    if value is None:
        return Period.containing(today)
    if isinstance(value, Period):
        return value
    return parse_quarter(value)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _label(start: date, end: date) -> str:
    whole = Period.containing(start)
    if (whole.start, whole.end) == (start, end):
        return whole.label
    return f"{start.isoformat()} – {end.isoformat()}"
