"""The mentees' side of a synthetic program: mentees, sessions, action items, goals and skills.

Each builder draws from the :class:`~benchmarks.synth_db.BulkWriter`'s generator in a fixed order
and writes with explicit ids, so later builders can link to earlier rows without reading back.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from benchmarks.synth_db import BulkWriter, day, stamp
from benchmarks.synth_text import (
    LEVEL_WEIGHTS,
    PRONOUNS,
    ROLES,
    SERVICES,
    TAGS,
    TEAMS,
    NoteWriter,
    Person,
)
from mentor_desk.db.base import Cadence, GoalCategory, Level, MenteeStatus, Visibility

_RECORD = ("id", "uid", "created_at", "updated_at")
_LINK = ("created_at", "updated_at")
_CHUNK = 5_000  # rows built and inserted at a time, so memory stays flat at any size
_VIS = (Visibility.PRIVATE.value, Visibility.SHARED_WITH_MENTEE.value, Visibility.LEADERSHIP.value)
_INTERVIEW = ("Scenario", "What went well", "What to sharpen", "Next practice")
_PLAIN = ("Progress review and challenges", "Skill-development focus", "Next steps and goals")
# Session types by seeded name, with how often they happen (LMP check-ins: candidates only).
_TYPE_WEIGHTS = {
    "One-on-one coaching": 55, "Technical review": 15, "Career planning": 10,
    "Practice interview": 4, "Quarterly development review": 6, "LMP check-in": 0,
}  # fmt: skip


def allocate(rng: Any, total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole shares proportional to ``weights`` (largest remainder)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], rng.random()))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def at(when: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(when, time(hour, minute))


def spread(start: date, end: date, count: int, rng: Any) -> list[date]:
    """``count`` dates from ``start`` to ``end``, evenly spaced with some jitter, in order."""
    span = max(0, (end - start).days)
    step = span / max(1, count)
    days = [
        start + timedelta(days=min(span, int((k + rng.uniform(0.1, 0.9)) * step)))
        for k in range(count)
    ]
    return sorted(days)


@dataclass(slots=True)
class SynthMentee:
    """A mentee while the program is being written."""

    id: int
    name: str
    person: Person
    started: date
    until: date  # their last session (today's anchor for active mentees)
    sessions: int
    in_lmp: bool
    hour: int
    goals: list[tuple[int, date, date]] = field(default_factory=list)  # id, start, end


class MenteeBuilder:
    """Writes the mentee-side tables for a plan (see :mod:`benchmarks.generate`)."""

    def __init__(self, out: BulkWriter, text: NoteWriter, end: date) -> None:
        self.out = out
        self.rng = out.rng
        self.text = text
        self.end = end
        self.start = end - timedelta(days=3652)
        self.session_ids = itertools.count(1)

    def mentees(
        self, names: list[tuple[str, str]], sessions: list[int], candidates: set[int]
    ) -> list[SynthMentee]:
        rng = self.rng
        made: list[SynthMentee] = []
        rows: list[tuple[Any, ...]] = []
        busiest = max(sessions)
        for index, ((name, first), count) in enumerate(zip(names, sessions, strict=True)):
            in_lmp = index in candidates
            status = MenteeStatus.ACTIVE.value
            if not in_lmp and count != busiest:
                status = rng.choices(_STATUSES, (60, 8, 20, 12))[0]
            until = self.end - timedelta(days=rng.randint(1, 10))
            if status in ("completed", "archived"):
                until -= timedelta(days=rng.randint(60, 1500))
            # At least three days per session, and never before the ten years began.
            need = max(count * 3, 1000 if in_lmp else 30)
            started = until - timedelta(days=rng.randint(need, max(need, 3300)))
            started = max(self.start, started)
            level = Level(rng.choices(tuple(ROLES), LEVEL_WEIGHTS)[0])
            team = rng.choice(TEAMS)
            person = Person(first, team, rng.choice(SERVICES))
            mentee = SynthMentee(
                index + 1, name, person, started, until, count, in_lmp, rng.randint(9, 16)
            )
            made.append(mentee)
            created = at(started, 9)
            notes = self.text.paragraph(person, "now", rng.randint(1, 3))
            rows.append((
                mentee.id, self.out.uid(), stamp(created), stamp(at(until, 18)), name,
                rng.choice(PRONOUNS), rng.choice(ROLES[level.value]), team, level.value,
                level.track.value,
                f"mentee{index + 1}@example.org" if rng.random() < 0.8 else "", day(started),
                status, int(not in_lmp or rng.random() < 0.5), int(in_lmp),
                self.text.mixture(8, 18), self.text.mixture(6, 12, plain=True), notes,
                rng.choices(_VIS, (70, 25, 5))[0], rng.choice(list(Cadence)).value,
            ))  # fmt: skip
        self.out.insert("mentees", _MENTEE_COLUMNS, rows)
        self.tags(made)
        return made

    def tags(self, mentees: list[SynthMentee]) -> None:
        when = stamp(at(self.start, 9))
        self.out.insert(
            "tags", (*_RECORD, "name"),
            [(i, self.out.uid(), when, when, name) for i, name in enumerate(TAGS, 1)],
        )  # fmt: skip
        links = [
            (m.id, tag, when, when)
            for m in mentees
            if self.rng.random() < 0.4
            for tag in self.rng.sample(range(1, len(TAGS) + 1), self.rng.randint(1, 2))
        ]
        self.out.insert("mentee_tags", ("mentee_id", "tag_id", *_LINK), links)

    # --- goals, milestones and check-ins -----------------------------------------------------

    def goals(self, mentees: list[SynthMentee], total: int, checkins: int) -> None:
        rng, text = self.rng, self.text
        shares = allocate(rng, total, [0.3 + rng.random() for _ in mentees])
        goal_rows: list[tuple[Any, ...]] = []
        spans: list[tuple[int, date, date, int, str, str]] = []
        ids = itertools.count(1)
        for mentee, share in zip(mentees, shares, strict=True):
            for _ in range(share):
                goal_id = next(ids)
                start = mentee.started + timedelta(
                    days=rng.randint(0, max(0, (mentee.until - mentee.started).days - 30))
                )
                target = start + timedelta(days=rng.randint(60, 400))
                finished = target < self.end - timedelta(days=30)
                status = rng.choices(
                    _GOAL_STATUSES, (45, 10, 10, 10, 20, 5) if finished else (5, 10, 10, 10, 55, 10)
                )[0]
                final = {"done": 100, "not_started": 0}.get(status, rng.randint(10, 95))
                stop = min(target, mentee.until, self.end)
                mentee.goals.append((goal_id, start, max(start, stop)))
                vis = (
                    _VIS[2]
                    if mentee.in_lmp and rng.random() < 0.5
                    else rng.choices(_VIS, (15, 80, 5))[0]
                )
                spans.append((goal_id, start, max(start, stop), final, vis, status))
                theme = text.theme()
                goal_rows.append((
                    goal_id, self.out.uid(), stamp(at(start, 10)), stamp(at(stop, 17)),
                    mentee.id, text.title(theme, mentee.person), text.paragraph(mentee.person),
                    rng.choice(list(GoalCategory)).value, day(target), status, "manual", final,
                    None, vis,
                ))  # fmt: skip
        self.out.insert("goals", _GOAL_COLUMNS, goal_rows)
        self.milestones(spans)
        self.checkins(spans, checkins)

    def milestones(self, spans: list[tuple[int, date, date, int, str, str]]) -> None:
        rows: list[tuple[Any, ...]] = []
        for goal_id, start, stop, final, _vis, _status in spans:
            count = self.rng.choice((0, 0, 2, 3, 4))
            for position, due in enumerate(spread(start, stop, count, self.rng)):
                done = (position + 1) / count * 100 <= final
                rows.append((
                    None, self.out.uid(), stamp(at(start, 10)), stamp(at(due, 17)), goal_id,
                    self.text.mixture(3, 7, plain=True).rstrip(".?"), day(due), int(done),
                    day(due) if done else None, position,
                ))  # fmt: skip
        self.out.insert("milestones", _MILESTONE_COLUMNS, rows)

    def checkins(self, spans: list[tuple[int, date, date, int, str, str]], total: int) -> None:
        rng = self.rng
        shares = allocate(rng, total, [0.3 + rng.random() for _ in spans])
        rows: list[tuple[Any, ...]] = []
        for (goal_id, start, stop, final, vis, _status), share in zip(spans, shares, strict=True):
            days = spread(start, stop, share, rng)
            for k, when in enumerate(days, 1):
                progress = min(100, max(0, round(final * k / share) + rng.randint(-4, 2)))
                if k == share:
                    progress = final
                comment = self.text.mixture(4, 12) if rng.random() < 0.6 else ""
                rows.append((
                    None, self.out.uid(), stamp(at(when, 17)), stamp(at(when, 17)), goal_id,
                    day(when), progress, comment, vis,
                ))  # fmt: skip
        self.out.insert("goal_checkins", _CHECKIN_COLUMNS, rows)

    # --- skills ------------------------------------------------------------------------------

    def skills(self, mentees: list[SynthMentee], total: int) -> None:
        rng = self.rng
        areas = [row[0] for row in self.out.query("SELECT id FROM skill_areas ORDER BY id")]
        rounds = allocate(rng, -(-total // len(areas)), [0.5 + rng.random() for _ in mentees])
        rows: list[tuple[Any, ...]] = []
        for mentee, count in zip(mentees, rounds, strict=True):
            levels = {area: rng.randint(1, 6) for area in areas}
            for when in spread(mentee.started, mentee.until, count, rng):
                assessor = rng.choices(("mentor", "self", "peer"), (60, 30, 10))[0]
                for area in areas:
                    levels[area] = max(0, min(10, levels[area] + rng.choice((-1, 0, 0, 1, 1))))
                    note = self.text.mixture(5, 10) if rng.random() < 0.1 else ""
                    rows.append((
                        None, self.out.uid(), stamp(at(when, 16)), stamp(at(when, 16)), mentee.id,
                        area, levels[area], day(when), assessor, note,
                        _VIS[2] if mentee.in_lmp and assessor == "mentor" else _VIS[1],
                    ))  # fmt: skip
        self.out.insert("skill_assessments", _SKILL_COLUMNS, rows[:total])

    # --- sessions, action items, links -------------------------------------------------------

    def sessions(self, mentees: list[SynthMentee], action_items: int, progress: Any = None) -> None:
        """Every mentee's sessions with their notes, in chunks; then items, goals and tags."""
        types = self.session_types()
        total = sum(m.sessions for m in mentees)
        item_sessions = set(self.rng.sample(range(1, total + 1), min(total, action_items)))
        items: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        tags: list[tuple[Any, ...]] = []
        written = 0
        for chunk in _chunks(self.session_rows(mentees, types, item_sessions, items, links, tags)):
            written += self.out.insert("sessions", _SESSION_COLUMNS, chunk)
            if progress is not None:
                progress(f"sessions: {written:,} of {total:,}")
        self.out.insert("action_items", _ITEM_COLUMNS, items)
        self.out.insert("session_goals", ("session_id", "goal_id", *_LINK), links)
        self.out.insert("session_tags", ("session_id", "tag_id", *_LINK), tags)

    def session_types(self) -> list[tuple[int, str, int, tuple[str, ...]]]:
        """(id, name, minutes, headings) of each seeded session type the generator uses."""
        bodies = dict(self.out.query("SELECT id, body FROM session_templates"))
        found = []
        for type_id, name, minutes, template in self.out.query(
            "SELECT id, name, default_minutes, template_id FROM session_types ORDER BY position"
        ):
            lines = bodies.get(template, "").splitlines()
            heads = tuple(h[3:].split(" (about")[0] for h in lines if h.startswith("## "))
            fallback = _INTERVIEW if "interview" in name.lower() else _PLAIN
            found.append((type_id, name, minutes, heads or fallback))
        return found

    def session_rows(
        self,
        mentees: list[SynthMentee],
        types: list[tuple[int, str, int, tuple[str, ...]]],
        item_sessions: set[int],
        items: list[tuple[Any, ...]],
        links: list[tuple[Any, ...]],
        tags: list[tuple[Any, ...]],
    ) -> Iterator[tuple[Any, ...]]:
        rng, text = self.rng, self.text
        plain = [_TYPE_WEIGHTS.get(name, 3) for _, name, _, _ in types]
        lmp = [w or 12 for w in plain]
        for mentee in mentees:
            person = mentee.person
            for when in spread(mentee.started, mentee.until, mentee.sessions, rng):
                session_id = next(self.session_ids)
                type_id, _, minutes, headings = rng.choices(types, lmp if mentee.in_lmp else plain)[
                    0
                ]
                started = at(when, mentee.hour, rng.choice((0, 0, 0, 15, 30, 45)))
                theme = text.theme()
                vis = rng.choices(_VIS, (40, 25, 35) if mentee.in_lmp else (60, 32, 8))[0]
                made = stamp(started + timedelta(minutes=minutes + rng.randint(0, 90)))
                edited = stamp(started + timedelta(days=rng.choice((0, 0, 0, 1, 3))))
                yield (
                    session_id, self.out.uid(), made, max(made, edited), mentee.id, type_id,
                    stamp(started), minutes, text.title(theme, person), text.summary(theme, person),
                    text.notes(headings, theme, person), vis,
                )  # fmt: skip
                if session_id in item_sessions:
                    items.append(self.item(mentee, session_id, when, theme, made))
                active = [g for g, start, stop in mentee.goals if start <= when <= stop]
                if active and rng.random() < 0.35:
                    links.append((session_id, rng.choice(active), made, made))
                if rng.random() < 0.15:
                    tags.append((session_id, rng.randint(1, len(TAGS)), made, made))

    def item(
        self, mentee: SynthMentee, session_id: int, when: date, theme: Any, made: str
    ) -> tuple[Any, ...]:
        rng = self.rng
        owner, words = self.text.todo(theme, mentee.person)
        due = when + timedelta(days=rng.randint(5, 30))
        done = due < self.end - timedelta(days=14) and rng.random() < 0.85
        done_on = min(self.end, due + timedelta(days=rng.randint(-5, 5))) if done else None
        return (
            None, self.out.uid(), made, made, mentee.id, session_id, words[:2000],
            owner if owner in ("mentor", "mentee") else "mentee", day(due), int(done),
            day(done_on) if done_on else None, 0, rng.choices(_VIS, (20, 75, 5))[0],
        )  # fmt: skip


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(itertools.islice(rows, _CHUNK)):
        yield chunk


_STATUSES = tuple(status.value for status in MenteeStatus)
_GOAL_STATUSES = ("done", "dropped", "off_track", "at_risk", "on_track", "not_started")
_MENTEE_COLUMNS = (
    *_RECORD, "name", "pronouns", "role", "team", "level", "track", "email", "started_on",
    "status", "in_general", "in_lmp", "career_aspiration", "learning_style", "notes",
    "visibility", "cadence",
)  # fmt: skip
_GOAL_COLUMNS = (
    *_RECORD, "mentee_id", "title", "description", "category", "target_date", "status",
    "progress_mode", "progress", "presentation_id", "visibility",
)  # fmt: skip
_MILESTONE_COLUMNS = (*_RECORD, "goal_id", "title", "due_on", "done", "done_on", "position")
_CHECKIN_COLUMNS = (*_RECORD, "goal_id", "checked_on", "progress", "comment", "visibility")
_SKILL_COLUMNS = (
    *_RECORD, "mentee_id", "skill_area_id", "level", "assessed_on", "assessor", "note",
    "visibility",
)  # fmt: skip
_SESSION_COLUMNS = (
    *_RECORD, "mentee_id", "session_type_id", "started_at", "duration_minutes", "title",
    "summary", "notes", "visibility",
)  # fmt: skip
_ITEM_COLUMNS = (
    *_RECORD, "mentee_id", "session_id", "text", "owner", "due_on", "done", "done_on",
    "position", "visibility",
)  # fmt: skip
