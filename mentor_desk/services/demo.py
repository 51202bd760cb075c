"""The demo program: a year in the life of a fictional mentor, for trying Mentor Desk out.

:func:`load_demo` writes it in one unit of work, straight through the ORM models (the text comes
from :mod:`.demo_content`). Every choice, uid and timestamp comes from ``random.Random(seed)`` and
from dates relative to ``today``, so the same seed and day give the same database, row for row.
Times of day are the user's wall clock, as a mentor would have typed them.

This module writes the mentees, their goals and skill assessments, and runs the parts in order:
sessions and their notes are in :mod:`.demo_sessions`, the Lead Mentorship Program in
:mod:`.demo_lmp`, and what they share in :mod:`.demo_writer`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import Assessor, GoalCategory, GoalStatus, Level, ProgressMode, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    LmpPresentation,
    LmpRecord,
    Mentee,
    MentoringSession,
    Milestone,
    ScpaUpdate,
    Setting,
    SkillArea,
    SkillAssessment,
    Tag,
    mentee_tags,
)
from mentor_desk.errors import ConfirmationRequiredError
from mentor_desk.services import demo_content as text
from mentor_desk.services.demo_content import Block, Profile
from mentor_desk.services.demo_lmp import LmpWriter
from mentor_desk.services.demo_sessions import SessionWriter
from mentor_desk.services.demo_writer import DemoGoal, DemoPerson, weekday
from mentor_desk.services.settings import MENTOR_NAME
from mentor_desk.services.validation import (
    check_email,
    check_range,
    clean_text,
    optional_line,
    require_text,
)

# Everything a user writes hangs off a mentee (deleting one cascades), except tags.
_USER_MODELS = (
    Mentee, MentoringSession, Goal, Evidence, ActionItem, Feedback, SkillAssessment, LmpRecord,
    ScpaUpdate, Tag,
)  # fmt: skip

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_TROUBLE = (GoalStatus.AT_RISK, GoalStatus.OFF_TRACK, GoalStatus.DROPPED)
_BASE_LEVEL = {
    Level.JUNIOR: 3, Level.MID: 4, Level.SENIOR: 5, Level.STAFF: 6, Level.PRINCIPAL: 7,
    Level.TEAM_LEAD: 5, Level.ENGINEERING_MANAGER: 5, Level.SENIOR_LEADER: 6,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many records of each kind the demo program holds."""

    mentees: int
    sessions: int
    action_items: int
    feedback: int
    goals: int
    milestones: int
    goal_checkins: int
    skill_assessments: int
    lmp_records: int
    presentations: int
    evidence: int
    scpa_updates: int
    tags: int

    def counts(self) -> dict[str, int]:
        """The counts by kind, in a stable order (for printing)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def is_empty(db: Database) -> bool:
    """True when the program holds no user data (the seeded reference data does not count)."""
    with db.read() as session:
        return not _has_user_data(session)


def load_demo(
    db: Database, *, replace: bool = False, today: date | None = None, seed: int = 2026
) -> DemoSummary:
    """Fill the program with the fictional demo program, in one unit of work.

    Args:
        db: the program to fill.
        replace: delete the user's mentees (and everything of theirs) and tags first. The
            reference data (LMP framework, session types, templates, skill areas) is kept.
        today: the day the demo's dates are anchored to (default: today).
        seed: the seed of the only random generator used; the same seed and ``today`` give the
            same database.

    Raises:
        ConfirmationRequiredError: the program already holds data and ``replace`` is false.
    """
    today = today or date.today()
    with db.write() as session:
        if _has_user_data(session):
            if not replace:
                raise ConfirmationRequiredError(_refusal(session))
            session.execute(delete(Mentee))
            session.execute(delete(Tag))
        return _Builder(session, random.Random(seed), today).run()


def _has_user_data(session: Session) -> bool:
    return any(session.scalar(select(exists().select_from(model))) for model in _USER_MODELS)


def _refusal(session: Session) -> str:
    count = session.scalar(select(func.count()).select_from(Mentee)) or 0
    held = f"{count} mentee{'' if count == 1 else 's'}" if count else "records of your own"
    return (
        f"This data folder already holds {held}; use --replace to overwrite them with the "
        "demo program."
    )


class _Builder(SessionWriter, LmpWriter):
    """Writes the whole demo program; each part draws from the one generator in a fixed order."""

    # --- the program -------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.mentor_name()
        people = {p.key: self.mentee(p) for p in text.profiles()}
        self.session.flush()
        actions = {
            spec.mentee: self.lmp_record(spec, people[spec.mentee]) for spec in text.lmp_specs()
        }
        for block in text.goal_blocks():
            person = people[block.words[0]]
            person.goals.append(self.goal(block, person, actions.get(block.words[0])))
        self.session.flush()
        for person in people.values():
            self.goal_details(person)
            self.assessments(person)
        self.sessions(list(people.values()))
        for spec in text.lmp_specs():
            self.evidence(spec.mentee, self.records[spec.mentee])
            self.scpa(spec, self.records[spec.mentee], people[spec.mentee])
        for name, keys in text.MENTEE_TAGS.items():
            self.tag(name, [people[key].row for key in keys], mentee_tags, "mentee_id")
        c = self.counts
        return DemoSummary(
            c[Mentee], c[MentoringSession], c[ActionItem], c[Feedback], c[Goal], c[Milestone],
            c[GoalCheckin], c[SkillAssessment], c[LmpRecord], c[LmpPresentation], c[Evidence],
            c[ScpaUpdate], c[Tag],
        )  # fmt: skip

    def mentor_name(self) -> None:
        row = self.session.get(Setting, MENTOR_NAME)
        if row is None:
            self.session.add(
                Setting(
                    key=MENTOR_NAME,
                    value=text.DEMO_MENTOR,
                    created_at=self.now,
                    updated_at=self.now,
                )
            )
        elif not row.value.strip():
            row.value, row.updated_at = text.DEMO_MENTOR, self.now

    def mentee(self, p: Profile) -> DemoPerson:
        started = weekday(self.days_ago(p.started))
        gap = p.last or self.rng.randint(1, {7: 4, 14: 9, 30: 20}[p.cadence.days])
        last = weekday(self.days_ago(gap))
        lmp = next((spec for spec in text.lmp_specs() if spec.mentee == p.key), None)
        presented = self.days_ago(lmp.presented) if lmp and lmp.presented else self.today
        back = self.today + timedelta(days=45)
        dates = {  # month names spelled out: strftime would follow the user's locale
            "presented": f"{presented.day} {_MONTHS[presented.month - 1]} {presented.year}",
            "back": f"{_MONTHS[back.month - 1]} {back.year}",
        }
        row = Mentee(
            name=require_text(p.name, "name", max_length=200),
            pronouns=optional_line(p.pronouns, "pronouns", max_length=40),
            role=optional_line(p.role, "role", max_length=200),
            team=optional_line(p.team, "team", max_length=200),
            level=p.level,
            track=p.level.track,
            email=check_email(f"{p.email}@example.org"),
            started_on=started,
            status=p.status,
            in_general=True,
            in_lmp=lmp is not None,
            career_aspiration=clean_text(p.aspiration, "career_aspiration"),
            learning_style=clean_text(p.style, "learning_style"),
            notes=clean_text(p.notes.format_map(dates), "notes"),
            visibility=Visibility.PRIVATE,
            cadence=p.cadence,
        )
        self.add(row, self.at(started, 9), self.at(last, 18))
        until = self.today if p.last is None else last
        fmt = {"first": p.call, "service": p.service, "team": p.team}
        return DemoPerson(p, row, started, last, until, fmt, None, started, started)

    # --- goals and skills --------------------------------------------------------------------

    def goal(
        self, block: Block, person: DemoPerson, presentation: LmpPresentation | None
    ) -> DemoGoal:
        _, category, status_name, start_ago, target_in, final, *flags = block.words
        status = GoalStatus(status_name)
        start = max(person.started + timedelta(days=7), self.days_ago(start_ago))
        target = self.today + timedelta(days=int(target_in))
        end = min(target, person.until) if status == GoalStatus.DROPPED else person.until
        if status == GoalStatus.DONE:
            done = target - timedelta(days=self.rng.randint(0, 14))
            end = max(start + timedelta(days=21), min(done, person.until))
        readings = self.readings(start, end, status, check_range(int(final), "progress", 0, 100))
        titles = block.all("item")
        plan = self.milestones(titles, start, target, readings)
        mode = ProgressMode.MANUAL
        if len(titles) >= 3 and readings and self.rng.random() < 0.4:
            mode = ProgressMode.MILESTONES
            readings = [
                (day, round(100 * sum(1 for *_, d in plan if d and d <= day) / len(plan)))
                for day, _ in readings
            ]
        visibility = next((Visibility(f) for f in flags if f in Visibility.values()), None)
        row = Goal(
            mentee_id=person.row.id,
            title=require_text(block.title, "title"),
            description=clean_text(" ".join(block.all("text")), "description"),
            category=GoalCategory(category),
            target_date=target,
            status=status,
            progress_mode=mode,
            progress=readings[-1][1] if readings else int(final),
            presentation_id=presentation.id if presentation and "action" in flags else None,
            # A sponsor marks an LMP candidate's goals for the dossier; others stay with the mentee.
            visibility=visibility or self.shared_level(person),
        )
        last = readings[-1][0] if readings else start
        self.add(row, self.at(start, 9, 30), self.at(last, 17))
        return DemoGoal(row, start, end, status, readings, plan)

    def readings(
        self, start: date, end: date, status: GoalStatus, final: int
    ) -> list[tuple[date, int]]:
        """Monthly progress readings from ``start`` to ``end``, rising to ``final``."""
        if status == GoalStatus.NOT_STARTED:
            return []
        days: list[date] = []
        day = start + timedelta(days=self.rng.randint(12, 20))
        while day <= end:
            days.append(day)
            day += timedelta(days=self.rng.randint(26, 34))
        if status == GoalStatus.DONE:
            days = [d for d in days if d < end] + [end]
        span = max(1, (days[-1] - start).days) if days else 1
        values: list[int] = []
        level = 0
        for day in days:
            frac = (day - start).days / span
            shape = {
                GoalStatus.AT_RISK: frac**1.5,
                GoalStatus.OFF_TRACK: min(1.0, frac / 0.55),
                GoalStatus.DROPPED: min(1.0, frac / 0.5),
            }.get(status, frac**0.85)
            level = max(level, min(final, round(final * shape) + self.rng.randint(-3, 3)))
            values.append(max(0, level))
        if values:
            values[-1] = final if status != GoalStatus.DONE else 100
        return list(zip(days, values, strict=True))

    def milestones(
        self, titles: tuple[str, ...], start: date, target: date, readings: list[tuple[date, int]]
    ) -> list[tuple[str, date, date | None]]:
        """Evenly spaced milestones, each done once the progress curve passes its share."""
        plan: list[tuple[str, date, date | None]] = []
        span = max(0, (target - start).days)
        for k, title in enumerate(titles, 1):
            due = start + timedelta(days=round(span * k / len(titles)))
            hit = next((d for d, p in readings if p >= 100 * k / len(titles)), None)
            done = max(start, hit - timedelta(days=self.rng.randint(0, 4))) if hit else None
            plan.append((title, due, done))
        return plan

    def goal_details(self, person: DemoPerson) -> None:
        """Milestones and check-ins, once the goals have their ids."""
        pools = text.pools()
        for goal in person.goals:
            created = goal.row.created_at
            for position, (title, due, done) in enumerate(goal.milestones):
                row = Milestone(
                    goal_id=goal.row.id,
                    title=require_text(title, "title"),
                    due_on=due,
                    done=done is not None,
                    done_on=done,
                    position=position,
                )
                self.add(row, created, self.at(done, 17) if done else None)
            before, previous = goal.start, 0
            for day, progress in goal.readings:
                reached = [t for t, _, d in goal.milestones if d and before < d <= day]
                stuck = progress - previous <= 2 and goal.status in _TROUBLE
                mood = "slow" if stuck else "mid"
                mood = "done" if progress == 100 else "start" if before == goal.start else mood
                comment = self.pick(pools[f"checkin_{mood}"], 1, person.fmt)[0]
                if reached:
                    comment = f"Milestone reached: {reached[-1]}. {comment}"
                row = GoalCheckin(
                    goal_id=goal.row.id,
                    checked_on=day,
                    progress=check_range(progress, "progress", 0, 100),
                    comment=clean_text(comment, "comment"),
                    visibility=goal.row.visibility,
                )
                self.add(row, self.at(day, 17))
                before, previous = day, progress

    def assessments(self, person: DemoPerson) -> None:
        """Mentor and self assessments a year ago, half a year ago and lately, rising."""
        p, rng = person.profile, self.rng
        first = weekday(max(person.started + timedelta(days=10), self.days_ago(362)))
        last = weekday(person.until - timedelta(days=rng.randint(3, 12)))
        modest = (-1, -1, 0, 0, 1) if p.level in (Level.JUNIOR, Level.MID) else (-1, 0, 0, 1)
        levels = {
            area.name: _BASE_LEVEL[p.level] + rng.choice((-1, 0, 0, 1)) - (area.name in p.focus)
            for area in self.skill_areas
        }
        for step, day in enumerate((first, weekday(first + (last - first) / 2), last)):
            for name in levels:
                grow = rng.choice((0, 1, 1, 2)) + (name in p.focus) if step else 0
                levels[name] = max(0, min(10, levels[name] + grow))
            person.skills.append((day, dict(levels)))
            for area in self.skill_areas:
                level = levels[area.name]
                focus = area.name in p.focus
                note = rng.choice(text.pools()["skill_note"]) if step == 2 and focus else ""
                self.assessment(person, area, day, level, Assessor.MENTOR, note)
                self.assessment(person, area, day, level + rng.choice(modest), Assessor.SELF)
                if person.lmp_since and step and area.name in ("Coaching others", "Communication"):
                    self.assessment(
                        person, area, day, level + rng.choice((-1, 0, 1)), Assessor.PEER
                    )

    @staticmethod
    def shared_level(person: DemoPerson) -> Visibility:
        """How far a shareable item goes: to leadership for LMP candidates, else the mentee."""
        return Visibility.LEADERSHIP if person.row.in_lmp else Visibility.SHARED_WITH_MENTEE

    def assessment(
        self,
        person: DemoPerson,
        area: SkillArea,
        day: date,
        level: int,
        assessor: Assessor,
        note: str = "",
    ) -> None:
        row = SkillAssessment(
            mentee_id=person.row.id,
            skill_area_id=area.id,
            level=check_range(max(0, min(10, level)), "level", 0, 10),
            assessed_on=day,
            assessor=assessor,
            note=clean_text(note, "note"),
            visibility=self.shared_level(person)
            if assessor is Assessor.MENTOR
            else Visibility.SHARED_WITH_MENTEE,
        )
        self.add(row, self.at(day, 16))
