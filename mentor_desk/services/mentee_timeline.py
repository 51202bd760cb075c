"""A mentee's timeline: everything that happened with them, newest first.

Part of the mentee service; import it from :mod:`mentor_desk.services.mentees`. Titles are one
line and cut short in SQL, so note bodies are never loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, Select, func, select

from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    LmpRecord,
    Mentee,
    MentoringSession,
    SessionType,
    SkillArea,
    SkillAssessment,
)
from mentor_desk.services.mentee_names import mentee_not_found

TimelineKind = Literal[
    "session", "feedback", "goal", "checkin", "assessment", "evidence", "action_done"
]
#: Within one day the timeline lists kinds in this order.
TIMELINE_KINDS: tuple[TimelineKind, ...] = (
    "session", "feedback", "goal", "checkin", "assessment", "evidence", "action_done"
)  # fmt: skip
TITLE_LENGTH = 120


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event: ``item_id`` is the id of the session, goal, check-in... it stands for.

    Goals appear on the day they were created; action items on the day they were done.
    """

    on: date
    kind: TimelineKind
    title: str
    item_id: int


def one_line(text: str | None, limit: int = TITLE_LENGTH) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _queries(mentee_id: int) -> list[tuple[TimelineKind, Select[tuple[object, ...]]]]:
    """Per kind: (when, id, title, extra), newest first."""

    def head(column: ColumnElement[str]) -> ColumnElement[str]:
        return func.substr(column, 1, TITLE_LENGTH + 1)

    s, c, a = MentoringSession, GoalCheckin, SkillAssessment
    return [
        ("session", select(s.started_at, s.id, head(s.title), SessionType.name)
            .outerjoin(SessionType, SessionType.id == s.session_type_id)
            .where(s.mentee_id == mentee_id).order_by(s.started_at.desc())),
        ("feedback", select(Feedback.given_on, Feedback.id, head(Feedback.observation),
                            head(Feedback.request))
            .where(Feedback.mentee_id == mentee_id).order_by(Feedback.given_on.desc())),
        ("goal", select(Goal.created_at, Goal.id, Goal.title, Goal.status)
            .where(Goal.mentee_id == mentee_id).order_by(Goal.created_at.desc())),
        ("checkin", select(c.checked_on, c.id, Goal.title, c.progress).join(Goal)
            .where(Goal.mentee_id == mentee_id).order_by(c.checked_on.desc())),
        ("assessment", select(a.assessed_on, a.id, SkillArea.name, a.level).join(SkillArea)
            .where(a.mentee_id == mentee_id).order_by(a.assessed_on.desc())),
        ("evidence", select(Evidence.occurred_on, Evidence.id, Evidence.title, LmpRecord.id)
            .join(LmpRecord).where(LmpRecord.mentee_id == mentee_id)
            .order_by(Evidence.occurred_on.desc())),
        ("action_done", select(ActionItem.done_on, ActionItem.id, head(ActionItem.text),
                               ActionItem.owner)
            .where(ActionItem.mentee_id == mentee_id, ActionItem.done.is_(True),
                   ActionItem.done_on.is_not(None))
            .order_by(ActionItem.done_on.desc())),
    ]  # fmt: skip


def _title(kind: TimelineKind, title: str, extra: object) -> str:
    if kind == "session":
        return one_line(title) or str(extra or "Session")
    if kind == "feedback":
        return one_line(title) or one_line(str(extra or "")) or "Feedback"
    if kind == "checkin":
        return one_line(f"{title}: {extra} %")
    if kind == "assessment":
        return one_line(f"{title}: level {extra}")
    return one_line(title)


def mentee_timeline(db: Database, mentee_id: int, *, limit: int = 200) -> list[TimelineEntry]:
    """Everything that happened with a mentee, newest first, at most ``limit`` entries."""
    entries: list[tuple[date, int, TimelineEntry]] = []
    with db.read() as session:
        if session.get(Mentee, mentee_id) is None:
            raise mentee_not_found(mentee_id)
        for kind, stmt in _queries(mentee_id):
            for when, item_id, title, extra in session.execute(stmt.limit(limit)):
                # Sessions and goals carry a moment: show the day on the user's wall clock.
                on = when.astimezone().date() if isinstance(when, datetime) else when
                entry = TimelineEntry(on, kind, _title(kind, title, extra), item_id)
                entries.append((on, -TIMELINE_KINDS.index(kind), entry))
    entries.sort(key=lambda item: (item[0], item[1], item[2].item_id), reverse=True)
    return [item[2] for item in entries[:limit]]
