"""Quarterly review packets: one mentee and one period each, or a batch in one snapshot.

See :mod:`mentor_desk.services.exports_privacy` for what is included; the reading is shared with the
dossier in :mod:`mentor_desk.services.exports_gather`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import (
    Cadence,
    ItemOwner,
    MenteeStatus,
)
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    LmpRecord,
    Mentee,
    MentoringSession,
)
from mentor_desk.services.exports import (
    ActionEntry,
    FeedbackEntry,
    MenteeProfile,
    NextQuarterPlan,
    PacketData,
    PacketEvidence,
    PacketSummary,
    PlannedGoal,
    SessionHeld,
)
from mentor_desk.services.exports_gather import (
    GoalFacts,
    Window,
    area_codes,
    author_name,
    evidence_label,
    goal_facts,
    profiles,
    session_facts,
    skill_comparisons,
    texts_by_id,
)
from mentor_desk.services.exports_privacy import (
    DEFAULT_CHOICES,
    Audience,
    ExportChoices,
    ExportPreview,
    Gate,
    ItemKind,
)
from mentor_desk.services.goals import CLOSED_STATUSES
from mentor_desk.services.mentees import local_date, next_due
from mentor_desk.services.periods import Period, resolve_period

#: The preview's sections, in the packet's order.
SECTIONS = (
    "Mentee notes",
    "Sessions",
    "Goals",
    "Check-ins",
    "Skill assessments",
    "Action items",
    "Evidence",
    "Feedback",
)


def packet_batch(
    db: Database,
    period: Period | str | None = None,
    mentee_ids: Sequence[int] | None = None,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    today: date | None = None,
) -> list[PacketData]:
    """Packets for several mentees (default: every active one), ordered by name, one snapshot.

    Args:
        period: a :class:`Period`, quarter text like ``"2026-Q3"``, or None for the quarter
            containing ``today``.
        mentee_ids: whom to include; None means every active mentee.
        choices: what the user included beyond the default (applies to every packet).
        today: the day the packets are generated (default: today).
    """
    return [data for data, _gate in _gather(db, period, mentee_ids, choices, today)]


def packet_data(
    db: Database,
    mentee_id: int,
    period: Period | str | None = None,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    today: date | None = None,
) -> PacketData:
    """One mentee's packet (any status); ``period`` defaults to the quarter containing today."""
    return packet_batch(db, period, [mentee_id], choices, today=today)[0]


def packet_preview(
    db: Database,
    mentee_id: int,
    period: Period | str | None = None,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    today: date | None = None,
) -> ExportPreview:
    """What :func:`packet_data` includes with ``choices``, and what the user may still tick."""
    ((data, gate),) = _gather(db, period, [mentee_id], choices, today)
    return ExportPreview("packet", data.mentee.name, data.period, gate.sections(), gate.choosable())


def _gather(
    db: Database,
    period: Period | str | None,
    mentee_ids: Sequence[int] | None,
    choices: ExportChoices,
    today: date | None,
) -> list[tuple[PacketData, Gate]]:
    today = today or date.today()
    window = Window.of(resolve_period(period, today), today)
    with db.read() as session:
        if mentee_ids is None:
            query = select(Mentee.id).where(Mentee.status == MenteeStatus.ACTIVE)
            mentee_ids = list(session.scalars(query))
        ids = list(dict.fromkeys(mentee_ids))
        gates = {mentee_id: Gate(Audience.MENTEE, choices) for mentee_id in ids}
        for gate in gates.values():
            for name in SECTIONS:
                gate.section(name)
        people = profiles(session, gates, ids)
        parts = _Parts(session, gates, ids, window)
        author = author_name(session)
    ordered = sorted(ids, key=lambda i: (people[i].name.casefold(), i))
    return [(parts.packet(people[i], author), gates[i]) for i in ordered]


class _Parts:
    """The sections of every packet in a batch, each read once for all mentees."""

    def __init__(
        self, session: Session, gates: Mapping[int, Gate], ids: list[int], window: Window
    ) -> None:
        self.window = window
        self.gates = gates
        self.sessions = self._sessions(session, ids)
        self.goals: dict[int, list[GoalFacts]] = {i: [] for i in ids}
        for facts in goal_facts(session, gates, ids, window):
            self.goals[facts.mentee_id].append(facts)
        self.skills = skill_comparisons(session, gates, ids, window.period)
        self.actions = self._actions(session, ids)
        self.evidence = self._evidence(session, ids)
        self.feedback = self._feedback(session, ids)
        self.last_held = dict(
            session.execute(
                select(MentoringSession.mentee_id, func.max(MentoringSession.started_at))
                .where(
                    MentoringSession.mentee_id.in_(ids),
                    MentoringSession.started_at < window.held_before,
                )
                .group_by(MentoringSession.mentee_id)
            ).all()
        )

    def _sessions(self, session: Session, ids: list[int]) -> dict[int, list[SessionHeld]]:
        facts = session_facts(session, ids, self.window)
        admitted = {
            row.id
            for row in facts
            if self.gates[row.mentee_id].admit(
                "Sessions",
                ItemKind.SESSION,
                row.id,
                row.visibility,
                row.held_on,
                f"Session {row.held_on.isoformat()} · {row.session_type or 'no type'}",
            )
        }
        columns = (MentoringSession.title, MentoringSession.summary, MentoringSession.notes)
        texts = texts_by_id(session, MentoringSession.id, columns, admitted)
        result: dict[int, list[SessionHeld]] = {i: [] for i in ids}
        for sid, mentee_id, held_on, kind, minutes, _visibility in facts:
            text = texts.get(sid)
            shown = (text.title, text.summary, text.notes) if text else (None, None, None)
            result[mentee_id].append(SessionHeld(sid, held_on, kind, minutes, *shown))
        return result

    def _actions(
        self, session: Session, ids: list[int]
    ) -> dict[int, list[tuple[ActionEntry, Any]]]:
        period = self.window.period
        opened_at = func.coalesce(MentoringSession.started_at, ActionItem.created_at)
        closed_in = ActionItem.done_on.between(period.start, period.end)
        open_at_end = and_(
            opened_at < self.window.high,
            or_(ActionItem.done.is_(False), ActionItem.done_on > period.end),
        )
        rows = session.execute(
            select(
                ActionItem.id,
                ActionItem.mentee_id,
                opened_at.label("opened_at"),
                ActionItem.owner,
                ActionItem.due_on,
                ActionItem.done,
                ActionItem.done_on,
                ActionItem.visibility,
            )
            .outerjoin(MentoringSession, MentoringSession.id == ActionItem.session_id)
            .where(
                ActionItem.mentee_id.in_(ids),
                or_(
                    and_(opened_at >= self.window.low, opened_at < self.window.high),
                    closed_in,
                    open_at_end,
                ),
            )
            .order_by(opened_at, ActionItem.position, ActionItem.id)
        ).all()
        admitted = set()
        for row in rows:
            due = f" · due {row.due_on.isoformat()}" if row.due_on else ""
            label = f"Action item opened {local_date(row.opened_at).isoformat()}{due}"
            if self.gates[row.mentee_id].admit(
                "Action items",
                ItemKind.ACTION_ITEM,
                row.id,
                row.visibility,
                local_date(row.opened_at),
                label,
            ):
                admitted.add(row.id)
        texts = texts_by_id(session, ActionItem.id, (ActionItem.text,), admitted)
        result: dict[int, list[tuple[ActionEntry, Any]]] = {i: [] for i in ids}
        for row in rows:
            owner = ItemOwner(row.owner)
            text = texts[row.id].text if row.id in texts else None
            entry = ActionEntry(
                row.id,
                text,
                owner.value,
                owner.label,
                local_date(row.opened_at),
                row.due_on,
                row.done,
                row.done_on,
            )
            result[row.mentee_id].append((entry, row))
        return result

    def _evidence(self, session: Session, ids: list[int]) -> dict[int, list[PacketEvidence]]:
        period = self.window.period
        rows = session.execute(
            select(Evidence.id, LmpRecord.mentee_id, Evidence.occurred_on, Evidence.visibility)
            .join(LmpRecord, LmpRecord.id == Evidence.record_id)
            .where(
                LmpRecord.mentee_id.in_(ids),
                Evidence.occurred_on.between(period.start, period.end),
            )
            .order_by(Evidence.occurred_on, Evidence.id)
        ).all()
        codes = area_codes(session, [row.id for row in rows])
        admitted = {
            row.id
            for row in rows
            if self.gates[row.mentee_id].admit(
                "Evidence",
                ItemKind.EVIDENCE,
                row.id,
                row.visibility,
                row.occurred_on,
                evidence_label(row.occurred_on, codes.get(row.id, ())),
            )
        }
        columns = (Evidence.title, Evidence.narrative, Evidence.source)
        texts = texts_by_id(session, Evidence.id, columns, admitted)
        result: dict[int, list[PacketEvidence]] = {i: [] for i in ids}
        for row in rows:
            text = texts.get(row.id)
            shown = (text.title, text.narrative, text.source) if text else (None, None, None)
            entry = PacketEvidence(row.id, row.occurred_on, codes.get(row.id, ()), *shown)
            result[row.mentee_id].append(entry)
        return result

    def _feedback(self, session: Session, ids: list[int]) -> dict[int, list[FeedbackEntry]]:
        period = self.window.period
        rows = session.execute(
            select(Feedback.id, Feedback.mentee_id, Feedback.given_on, Feedback.visibility)
            .where(
                Feedback.mentee_id.in_(ids),
                Feedback.given_on.between(period.start, period.end),
            )
            .order_by(Feedback.given_on, Feedback.id)
        ).all()
        admitted = [
            row
            for row in rows
            if self.gates[row.mentee_id].admit(
                "Feedback",
                ItemKind.FEEDBACK,
                row.id,
                row.visibility,
                row.given_on,
                f"Feedback {row.given_on.isoformat()}",
            )
        ]
        columns = (Feedback.observation, Feedback.impact, Feedback.request)
        texts = texts_by_id(session, Feedback.id, columns, (row.id for row in admitted))
        result: dict[int, list[FeedbackEntry]] = {i: [] for i in ids}
        for row in admitted:
            text = texts[row.id]
            entry = FeedbackEntry(row.id, row.given_on, text.observation, text.impact, text.request)
            result[row.mentee_id].append(entry)
        return result

    def packet(self, mentee: MenteeProfile, author: str) -> PacketData:
        period = self.window.period
        actions = self.actions[mentee.id]
        opened = tuple(
            e for e, row in actions if self.window.low <= row.opened_at < self.window.high
        )
        closed = tuple(
            sorted(
                (e for e, _ in actions if e.done_on and period.contains(e.done_on)),
                key=lambda e: e.done_on or period.end,
            )
        )
        still_open = tuple(
            e for e, _ in actions if not e.done or (e.done_on or date.max) > period.end
        )
        goals = tuple(facts.goal for facts in self.goals[mentee.id])
        progressed = sum(
            1 for g in goals if g.points and (g.progress_at_end or 0) > (g.progress_at_start or 0)
        )
        sessions = tuple(self.sessions[mentee.id])
        evidence = tuple(self.evidence[mentee.id])
        last = self.last_held.get(mentee.id)
        due = None
        if mentee.status == MenteeStatus.ACTIVE:
            last_on = local_date(last) if last else None
            due = next_due(last_on, Cadence(mentee.cadence), mentee.started_on, self.window.today)
        plan = NextQuarterPlan(
            period=period.following_quarter(),
            open_goals=tuple(
                PlannedGoal(g.id, g.title, g.status, g.status_label, g.progress, g.target_date)
                for g in goals
                if g.status not in CLOSED_STATUSES
            ),
            open_actions=still_open,
            next_session_due=due,
        )
        return PacketData(
            mentee=mentee,
            period=period,
            generated_on=self.window.today,
            author=author,
            summary=PacketSummary(
                len(sessions), len(opened), len(closed), progressed, len(evidence)
            ),
            sessions=sessions,
            goals=goals,
            skills=self.skills[mentee.id],
            actions_opened=opened,
            actions_closed=closed,
            evidence=evidence,
            feedback=tuple(self.feedback[mentee.id]),
            plan=plan,
        )
