"""The shared core of the demo writer: the state of a mentee's year, uids and timestamps.

Every uid, timestamp and choice comes from the one ``random.Random`` the writer is given, and every
date is relative to ``today``, so the same seed and day give the same database, row for row.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import GoalStatus, ProgressMode
from mentor_desk.db.models import (
    Goal,
    LmpArea,
    LmpRecord,
    Mentee,
    SessionTemplate,
    SessionType,
    SkillArea,
    Tag,
)
from mentor_desk.services.demo_content import Profile
from mentor_desk.services.validation import require_text


def weekday(day: date) -> date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


@dataclass(slots=True)
class DemoGoal:
    """A goal while its history is being written: its row, span and progress curve."""

    row: Goal
    start: date
    end: date  # the last day it was worked on
    status: GoalStatus
    readings: list[tuple[date, int]]
    milestones: list[tuple[str, date, date | None]]  # title, due, done

    def progress_on(self, day: date) -> int:
        return next((p for d, p in reversed(self.readings) if d <= day), 0)

    def progress_text(self, day: date) -> str:
        if self.row.progress_mode == ProgressMode.MILESTONES:
            done = sum(1 for *_, d in self.milestones if d and d <= day)
            return f"{done} of {len(self.milestones)} milestones done"
        return f"about {self.progress_on(day)} % done"

    def status_on(self, day: date) -> GoalStatus:
        """The status as it stood on ``day``: trouble shows in the second half of the goal."""
        if self.progress_on(day) == 100:
            return GoalStatus.DONE
        late = day >= self.start + (self.end - self.start) / 2
        if self.status == GoalStatus.NOT_STARTED or (late and self.status != GoalStatus.DONE):
            return self.status
        return GoalStatus.ON_TRACK


@dataclass(slots=True)
class DemoPerson:
    """A mentee while their year is being written."""

    profile: Profile
    row: Mentee
    started: date
    last: date  # their latest session
    until: date  # the last day anything happened: today, or when they went quiet
    fmt: dict[str, Any]
    lmp_since: date | None = None
    last_quarterly: date = date.min
    last_career: date = date.min
    goals: list[DemoGoal] = field(default_factory=list)
    skills: list[tuple[date, dict[str, int]]] = field(default_factory=list)  # mentor's levels
    open_items: list[tuple[str, date, date | None]] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # themes of the last sessions


class DemoWriter:
    """The unit of work, the one random generator and the reference data every part shares.

    Its helpers give each row a uid and timestamps drawn from the content, never the clock. The
    parts (:mod:`.demo_sessions`, :mod:`.demo_lmp`) are subclasses, combined in
    :mod:`.demo`, so that they draw from the same generator in one fixed order.
    """

    def __init__(self, session: Session, rng: random.Random, today: date) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.now = self.at(today, 8)
        self.counts: Counter[type] = Counter()
        self.types = {
            t.name: t for t in session.scalars(select(SessionType).order_by(SessionType.id))
        }
        self.templates = {
            row.id: row.body
            for row in session.execute(select(SessionTemplate.id, SessionTemplate.body))
        }
        self.skill_areas = list(session.scalars(select(SkillArea).order_by(SkillArea.id)))
        self.areas = {a.code: a for a in session.scalars(select(LmpArea).order_by(LmpArea.id))}
        self.headings: dict[str, tuple[tuple[str, bool], ...]] = {}
        self.records: dict[str, LmpRecord] = {}

    # --- small helpers -----------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute)).astimezone()

    def days_ago(self, days: int | str) -> date:
        return self.today - timedelta(days=int(days))

    def add(self, row: Any, created: datetime, updated: datetime | None = None) -> Any:
        """Add ``row`` with its own uid and timestamps, so that nothing depends on the clock."""
        created = min(created, self.now)
        row.uid = f"{self.rng.getrandbits(128):032x}"
        row.created_at = created
        row.updated_at = max(created, min(updated or created, self.now))
        self.session.add(row)
        self.counts[type(row)] += 1
        return row

    def link(self, table: Any, pairs: list[tuple[dict[str, int], datetime]]) -> None:
        """Insert association rows, timestamped from the content rather than the clock."""
        rows = [{**keys, "created_at": when, "updated_at": when} for keys, when in pairs]
        if rows:
            self.session.execute(insert(table), rows)

    def pick(self, pool: tuple[str, ...], count: int, fmt: dict[str, Any]) -> list[str]:
        chosen = self.rng.sample(pool, min(count, len(pool)))
        return [line.format_map(fmt) for line in chosen]

    def weighted(self, choices: tuple[Any, ...], weights: tuple[int, ...]) -> Any:
        return self.rng.choices(choices, weights)[0]

    def tag(self, name: str, rows: list[Any], table: Any, column: str) -> None:
        if not rows:
            return
        tag = self.add(
            Tag(name=require_text(name, "name", max_length=80)), min(r.created_at for r in rows)
        )
        self.session.flush()
        self.link(table, [({column: r.id, "tag_id": tag.id}, r.created_at) for r in rows])
