"""Reporting periods: quarters, date ranges and their validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_desk.errors import ValidationError
from mentor_desk.services.periods import Period, parse_quarter, resolve_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        (" 2026 Q3 ", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_parse_quarter(text: str, start: date, end: date) -> None:
    period = parse_quarter(text)
    assert (period.start, period.end) == (start, end)
    assert period.label == f"{start.year}-Q{(start.month - 1) // 3 + 1}"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026-Q5", "Q1 to Q4"),
        ("2026-Q0", "Q1 to Q4"),
        ("26-Q1", "four-digit year"),
        ("Q3 2026", "like 2026-Q3"),
        ("2026-07", "like 2026-Q3"),
        ("", "like 2026-Q3"),
        ("2026-Q3; drop table", "like 2026-Q3"),
    ],
)
def test_parse_quarter_refuses_with_a_clear_message(text: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_quarter(text)
    assert caught.value.field == "quarter"
    assert hint in str(caught.value)


def test_parse_quarter_refuses_non_text() -> None:
    with pytest.raises(ValidationError, match="2026-Q3"):
        parse_quarter(20263)  # type: ignore[arg-type]


def test_from_dates_validates_and_labels() -> None:
    assert Period.from_dates("2026-07-01", "2026-09-30").label == "2026-Q3"
    odd = Period.from_dates(date(2026, 3, 2), date(2026, 5, 31))
    assert odd.label == "2026-03-02 – 2026-05-31"
    assert Period.from_dates("2026-03-02", "2026-03-02").days == 1
    assert Period.from_dates("2026-01-01", "2026-01-31", label="January").label == "January"
    with pytest.raises(ValidationError) as caught:
        Period.from_dates("2026-05-31", "2026-03-02")
    assert caught.value.field == "to"
    assert "before" in str(caught.value)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        Period.from_dates("yesterday", "2026-03-02")


def test_boundaries_are_inclusive() -> None:
    q3 = parse_quarter("2026-Q3")
    assert q3.contains(date(2026, 7, 1))
    assert q3.contains(date(2026, 9, 30))
    assert not q3.contains(date(2026, 6, 30))
    assert not q3.contains(date(2026, 10, 1))
    assert q3.days == 92


def test_next_and_following_quarter() -> None:
    assert parse_quarter("2026-Q4").next() == parse_quarter("2027-Q1")
    assert parse_quarter("2026-Q4").following_quarter().label == "2027-Q1"
    span = Period.from_dates("2026-03-02", "2026-03-08")
    assert span.next() == Period.from_dates("2026-03-09", "2026-03-15")
    assert span.following_quarter().label == "2026-Q2"


def test_resolve_period() -> None:
    today = date(2026, 11, 21)
    assert resolve_period(None, today).label == "2026-Q4"
    assert resolve_period("2026-Q1", today).start == date(2026, 1, 1)
    given_period = Period.from_dates("2026-01-01", "2026-01-31")
    assert resolve_period(given_period, today) is given_period


# From year 2: the check of the day before the first quarter would leave the calendar at year 1.
@given(st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31)))
def test_every_day_lies_in_exactly_its_quarter(day: date) -> None:
    quarter = Period.containing(day)
    assert quarter.contains(day)
    assert parse_quarter(quarter.label) == quarter
    assert not quarter.contains(quarter.start - timedelta(days=1))
    assert quarter.end == quarter.next().start - timedelta(days=1)
    assert 90 <= quarter.days <= 92
