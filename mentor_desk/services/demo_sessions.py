"""The demo's sessions: when each mentee met, what they talked about, and the notes taken.

Sessions follow each mentee's cadence, with holidays and the odd skipped week; each draws a theme
from the mentee's profile and fills the headings of its session type's template with lines from
:mod:`.demo_content`, the way a mentor would have typed them. Action items, feedback, goal links
and session tags are written alongside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mentor_desk.db.base import CandorQuadrant, GoalStatus, ItemOwner, Track, Visibility
from mentor_desk.db.models import (
    ActionItem,
    Feedback,
    MentoringSession,
    session_goals,
    session_tags,
)
from mentor_desk.services import demo_content as text
from mentor_desk.services.demo_content import Block
from mentor_desk.services.demo_writer import DemoGoal, DemoPerson, DemoWriter, weekday
from mentor_desk.services.validation import check_range, clean_text, optional_line, require_text

# The seeded session types the demo writes, by name.
ONE_ON_ONE = "One-on-one coaching"
TECH_REVIEW = "Technical review"
CAREER = "Career planning"
INTERVIEW = "Practice interview"
LMP_CHECKIN = "LMP check-in"
QUARTERLY = "Quarterly development review"
_LMP_THEMES = ("lmp_evidence", "lmp_ops")
_TECH_THEMES = ("design_review", "code_review", "testing", "tech_debt", "incident")
_CAREER_THEMES = ("promo_packet", "career_map", "visibility")
# (private, shared with mentee, leadership) weights by session type.
_VISIBILITY_WEIGHTS = {QUARTERLY: (20, 60, 20), LMP_CHECKIN: (40, 20, 40)}
_DEFAULT_VISIBILITY = (68, 30, 2)
_VISIBILITIES = (Visibility.PRIVATE, Visibility.SHARED_WITH_MENTEE, Visibility.LEADERSHIP)
# Which section of the notes a template heading asks for, by words in the heading.
_KIND_RULES = (
    ("now", ("progress", "on your mind", "scenario")),
    ("what_else", ("what else",)),
    ("next", ("next", "action")),
    ("dig", ("skill", "gap", "exploration", "challenge", "sharpen")),
    ("try", ("practice", "help", "opportunit", "went well")),
    ("goal", ("goal",)),
    ("wellbeing", ("well-being", "wellbeing", "opening")),
    ("support", ("support",)),
    ("vision", ("vision",)),
    ("yes_no", ("saying",)),
    ("useful", ("useful",)),
    ("want", ("want",)),
)
# Headings (and whether the section is a list) for types without a template.
_DEFAULT_HEADINGS = (
    ("Progress review and challenges", True), ("Skill-development focus", True),
    ("Next steps and goals", True),
)  # fmt: skip
_INTERVIEW_HEADINGS = (
    ("Scenario", True), ("What went well", True), ("What to sharpen", True),
    ("Next practice", True),
)  # fmt: skip


def _done_by(done: date | None, day: date) -> bool:
    return done is not None and done <= day


def _kind(heading: str) -> str:
    """Which part of a conversation a template heading asks for ("dig" when unsure)."""
    lower = heading.lower()
    return next((kind for kind, words in _KIND_RULES if any(w in lower for w in words)), "dig")


@dataclass(slots=True)
class _Visit:
    """One session being composed."""

    person: DemoPerson
    day: date
    kind: str
    theme: Block
    fmt: dict[str, Any]
    focus: list[DemoGoal]
    items: list[tuple[ItemOwner, str, date, date | None]]  # owner, text, due, done
    carried: list[str]
    actions_shown: bool = False


class SessionWriter(DemoWriter):
    """Writes every mentee's sessions, with their notes, action items, feedback and links."""

    def sessions(self, people: list[DemoPerson]) -> None:
        goal_links: list[tuple[dict[str, int], datetime]] = []
        tagged: dict[str, list[MentoringSession]] = {name: [] for name in text.SESSION_TAGS}
        for person in people:
            made = [(visit, self.session_row(visit)) for visit in self.visits(person)]
            self.session.flush()
            for visit, row in made:
                self.session_children(visit, row)
                for goal in visit.focus:
                    goal_links.append(
                        ({"session_id": row.id, "goal_id": goal.row.id}, row.created_at)
                    )
                for name, themes in text.SESSION_TAGS.items():
                    if visit.theme.words[0] in themes:
                        tagged[name].append(row)
        self.link(session_goals, goal_links)
        for name, rows in tagged.items():
            self.tag(name, rows, session_tags, "session_id")

    def session_days(self, person: DemoPerson) -> list[date]:
        """Meetings at the mentee's cadence, back from their latest, minus holidays and skips.

        A weekly or fortnightly meeting that falls in a holiday is dropped; a monthly one is
        moved a week earlier instead, as people do.
        """
        step = person.profile.cadence.days
        monthly = step >= 28
        jitter, skip = (3, 0.03) if monthly else (1, 0.07)
        summers = [
            date(year, 7, 1) + timedelta(days=self.rng.randint(0, 45))
            for year in range(person.started.year, person.last.year + 1)
        ]
        days: list[date] = []
        day = person.last
        while day >= person.started:
            winter = (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 2)
            away = winter or any(0 <= (day - summer).days < 14 for summer in summers)
            if away and monthly and days:
                day = weekday(day - timedelta(days=7))
                continue
            if not days or (not away and self.rng.random() > skip):
                days.append(day)
            day = weekday(day - timedelta(days=step + self.rng.randint(-jitter, jitter)))
        # The mentorship began with a kickoff on its first day.
        if len(days) > 1 and (days[-1] - person.started).days < step // 2:
            days[-1] = person.started
        elif days[-1] != person.started:
            days.append(person.started)
        return days[::-1]

    def visits(self, person: DemoPerson) -> list[_Visit]:
        return [self.visit(person, day) for day in self.session_days(person)]

    def visit(self, person: DemoPerson, day: date) -> _Visit:
        """Choose the type, theme, goals and action items of one session."""
        kind, key = self.kind_and_theme(person, day)
        rng, theme = self.rng, text.themes()[key]
        fmt = {**person.fmt, "peer": rng.choice(text.PEERS), "n": rng.randint(2, 9)}
        active = [g for g in person.goals if g.start <= day <= g.end]
        active = [g for g in active if g.status != GoalStatus.NOT_STARTED]
        focus = rng.sample(active, min(len(active), rng.choice((1, 1, 2))))
        still_open = [
            t for t, made, done in person.open_items if made < day and not _done_by(done, day)
        ]
        items: list[tuple[ItemOwner, str, date, date | None]] = []
        if rng.random() < (0.7 if kind == QUARTERLY else 0.45):
            todos = theme.all("todo")
            for line in rng.sample(todos, min(len(todos), rng.choice((2, 2, 3)))):
                owner, _, item = (part.strip() for part in line.partition("|"))
                item = item.format_map(fmt)
                if item in still_open:
                    continue  # carried forward, not agreed again
                due = day + timedelta(days=rng.choice((7, 7, 10, 14, 21)))
                done = self.done_on(day, due)
                items.append((ItemOwner(owner), item, due, done))
                person.open_items.append((item, day, done))
        carried = list(dict.fromkeys(still_open))[-2:]
        return _Visit(person, day, kind, theme, fmt, focus, items, carried)

    def kind_and_theme(self, person: DemoPerson, day: date) -> tuple[str, str]:
        """A quarterly review every quarter, LMP check-ins during the LMP, career talks monthly."""
        p, rng = person.profile, self.rng
        kind, pool = ONE_ON_ONE, list(p.themes)
        if (day - person.last_quarterly).days >= 84:
            kind, person.last_quarterly = QUARTERLY, day
            pool = [t for t in p.themes if t != "interview"]
        elif person.lmp_since and day >= person.lmp_since and rng.random() < 0.55:
            kind, pool = LMP_CHECKIN, [t for t in _LMP_THEMES if t not in person.recent[:1]]
        elif (day - person.last_career).days >= 4 * p.cadence.days + 20:
            kind, person.last_career = CAREER, day
            pool = [t for t in p.themes if t in _CAREER_THEMES] or ["career_map"]
        key = rng.choice([t for t in pool if t not in person.recent] or pool)
        person.recent = [key, *person.recent][:2]
        if kind == ONE_ON_ONE and key == "interview":
            kind = INTERVIEW
        elif kind == ONE_ON_ONE and key in _TECH_THEMES and p.level.track == Track.IC:
            kind = TECH_REVIEW if rng.random() < 0.5 else kind
        return kind, key

    def done_on(self, made: date, due: date) -> date | None:
        """Items due over three months ago are all done (a real mentor closes or drops them);
        the last few weeks' are often still open, so a handful are overdue."""
        age = (self.today - due).days
        chance = (
            1.0
            if age >= 90
            else 0.9
            if age >= 30
            else 0.75
            if age >= 7
            else 0.5
            if age >= 0
            else 0.25
        )
        if self.rng.random() >= chance:
            return None
        done = due + timedelta(days=self.rng.randint(-6, 3))
        return min(self.today, max(made + timedelta(days=1), done))

    def session_row(self, visit: _Visit) -> MentoringSession:
        stype = self.types.get(visit.kind)
        minutes = max(
            30, (stype.default_minutes if stype else 60) + self.rng.choice((-15, 0, 0, 15))
        )
        start = self.at(visit.day, visit.person.profile.hour, self.rng.choice((0, 0, 30)))
        weights = _VISIBILITY_WEIGHTS.get(visit.kind, _DEFAULT_VISIBILITY)
        row = MentoringSession(
            mentee_id=visit.person.row.id,
            session_type_id=stype.id if stype else None,
            started_at=start,
            duration_minutes=check_range(minutes, "duration_minutes", 1, 24 * 60),
            title=optional_line(self.title(visit), "title"),
            summary=clean_text(self.summary(visit), "summary"),
            notes=clean_text(self.notes(visit), "notes"),
            visibility=self.weighted(_VISIBILITIES, weights),
        )
        end = start + timedelta(minutes=minutes)
        return self.add(row, end, end + timedelta(minutes=self.rng.randint(5, 90)))

    def session_children(self, visit: _Visit, row: MentoringSession) -> None:
        mentee_id = visit.person.row.id
        for position, (owner, item, due, done) in enumerate(visit.items):
            private = owner == ItemOwner.MENTOR and self.rng.random() < 0.5
            action = ActionItem(
                mentee_id=mentee_id,
                session_id=row.id,
                text=require_text(item, "text"),
                owner=owner,
                due_on=due,
                done=done is not None,
                done_on=done,
                position=position,
                visibility=Visibility.PRIVATE if private else Visibility.SHARED_WITH_MENTEE,
            )
            self.add(action, row.created_at, self.at(done, 18) if done else None)
        if self.rng.random() < (0.3 if visit.kind == LMP_CHECKIN else 0.15):
            block = self.rng.choice(text.feedback_blocks())
            quadrants = (None, *CandorQuadrant)
            feedback = Feedback(
                mentee_id=mentee_id,
                session_id=row.id,
                given_on=visit.day,
                observation=clean_text(block.one("obs").format_map(visit.fmt), "observation"),
                impact=clean_text(block.one("imp").format_map(visit.fmt), "impact"),
                request=clean_text(block.one("req").format_map(visit.fmt), "request"),
                quadrant=self.weighted(quadrants, (60, 28, 3, 7, 2)),
                visibility=self.weighted(_VISIBILITIES[:2], (7, 3)),
            )
            self.add(feedback, row.created_at)

    def title(self, visit: _Visit) -> str:
        name, day = visit.theme.title.format_map(visit.fmt), visit.day
        return {
            QUARTERLY: f"Q{(day.month - 1) // 3 + 1} {day.year} development review",
            LMP_CHECKIN: f"LMP check-in: {name}",
            CAREER: f"Career conversation: {name}",
            TECH_REVIEW: f"Technical review: {name}",
        }.get(visit.kind, name)

    def summary(self, visit: _Visit) -> str:
        if visit.kind == QUARTERLY:
            summary = "Quarterly review of goal progress, skill gaps and next quarter's chances."
        else:
            summary = self.pick(visit.theme.all("sum"), 1, visit.fmt)[0]
        if visit.focus:
            summary += f" Goal in focus: {visit.focus[0].row.title}."
        return summary

    # --- notes -------------------------------------------------------------------------------

    def notes(self, visit: _Visit) -> str:
        """Markdown under the headings of the session type's template, as the mentor typed it."""
        parts = []
        for heading, bullets in self.sections(visit.kind):
            lines = self.section(_kind(heading), visit)
            body = "\n".join(f"- {line}" for line in lines) if bullets else " ".join(lines)
            parts.append(f"## {heading}\n\n{body}\n")
        if not visit.actions_shown and (visit.items or visit.carried):
            lines = self.action_lines(visit)
            parts.append("## Agreed actions\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")
        return "\n".join(parts)

    def sections(self, kind: str) -> tuple[tuple[str, bool], ...]:
        """The headings of the type's template, and whether each section is a bullet list."""
        if kind not in self.headings:
            stype = self.types.get(kind)
            body = self.templates.get(stype.template_id, "") if stype and stype.template_id else ""
            found: list[list[Any]] = []
            for line in body.splitlines():
                if line.startswith("#") and line.lstrip("#").strip():
                    found.append([line.lstrip("#").strip(), False])
                elif found and line.lstrip().startswith("-"):
                    found[-1][1] = True
            fallback = _INTERVIEW_HEADINGS if kind == INTERVIEW else _DEFAULT_HEADINGS
            self.headings[kind] = tuple((h, b) for h, b in found) or fallback
        return self.headings[kind]

    def section(self, kind: str, visit: _Visit) -> list[str]:
        theme, fmt = visit.theme, visit.fmt
        if visit.kind == QUARTERLY and kind in ("now", "goal", "dig", "try"):
            return self.quarterly(kind, visit)
        if kind in ("now", "dig", "try", "next"):
            count = 1 if kind in ("now", "try") else self.rng.choice((1, 2))
            lines = self.pick(theme.all(kind), count, fmt)
            if kind == "now" and visit.focus:
                lines.append(self.goal_line(visit.focus[0], visit.day))
            if kind == "next":
                lines += self.action_lines(visit)
                visit.actions_shown = True
            return lines
        if kind == "goal":
            return [self.goal_line(g, visit.day) for g in visit.focus] or ["No change to goals."]
        lines = self.pick(text.pools().get(kind, ()), 1, fmt)
        if kind == "vision":
            lines.insert(0, visit.person.profile.aspiration)
        return lines or self.pick(theme.all("dig"), 1, fmt)

    def action_lines(self, visit: _Visit) -> list[str]:
        first = visit.person.profile.call
        agreed = [
            f"Agreed: {item} ({'me' if owner == ItemOwner.MENTOR else first}, by {due})"
            for owner, item, due, _ in visit.items
        ]
        return agreed + [f"Still open from before: {item}" for item in visit.carried]

    def goal_line(self, goal: DemoGoal, day: date) -> str:
        status, progress = goal.status_on(day), goal.progress_on(day)
        mood = "starting" if status == GoalStatus.ON_TRACK and progress == 0 else status.value
        phrase = self.rng.choice(text.pools()[mood])
        return f"Goal check, *{goal.row.title}*: {phrase}; {goal.progress_text(day)}."

    def quarterly(self, kind: str, visit: _Visit) -> list[str]:
        """The quarterly review looks at all the goals and at the latest skill assessment."""
        person, day = visit.person, visit.day
        if kind == "try":
            return self.pick(text.pools()["opportunity"], 1, visit.fmt)
        goals = [g for g in person.goals if g.start <= day and g.status != GoalStatus.NOT_STARTED]
        goals = [g for g in goals if g.end >= day - timedelta(days=90)]
        if kind == "now":
            lines = [
                f"*{g.row.title}*: {g.status_on(day).label.lower()}; {g.progress_text(day)}."
                for g in goals
            ]
            return lines or ["No active goals this quarter."]
        if kind == "goal":
            lagging = [
                g for g in goals if g.status_on(day) in (GoalStatus.AT_RISK, GoalStatus.OFF_TRACK)
            ]
            pool = text.pools()["adjust"]
            lines = [self.pick(pool, 1, {**visit.fmt, "goal": g.row.title})[0] for g in lagging]
            return lines or ["All goals are on track; no changes."]
        levels = next((lv for d, lv in reversed(person.skills) if d <= day), None)
        if not levels:
            return self.pick(visit.theme.all("dig"), 1, visit.fmt)
        low = sorted(levels.items(), key=lambda kv: (kv[1], kv[0]))[:2]
        lines = ["Lowest in my latest assessment: " + " and ".join(f"{n} ({v}/10)" for n, v in low)]
        gains = sorted((levels[n] - v, n) for n, v in person.skills[0][1].items())
        if gains and gains[-1][0] > 0:
            lines.append(
                f"Biggest gain since the first assessment: {gains[-1][1]} (+{gains[-1][0]})"
            )
        return [f"{line}." for line in lines]
