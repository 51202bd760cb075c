"""The demo's Lead Mentorship Program: records, a presentation, evidence and SCPA updates.

The candidacies and their evidence come from :mod:`.demo_content`; the weekly SCPA updates are
composed from its pools, in the candidate's voice.
"""

from __future__ import annotations

from datetime import timedelta

from mentor_desk.db.base import Decision, LmpState, RecordedBy, Visibility
from mentor_desk.db.models import (
    Evidence,
    LmpArea,
    LmpPresentation,
    LmpRecord,
    ScpaUpdate,
    evidence_areas,
)
from mentor_desk.services import demo_content as text
from mentor_desk.services.demo_content import LmpSpec
from mentor_desk.services.demo_writer import DemoPerson, DemoWriter
from mentor_desk.services.validation import clean_text, require_text


class LmpWriter(DemoWriter):
    """Writes the LMP records of the candidates, with their evidence and SCPA updates."""

    def lmp_record(self, spec: LmpSpec, person: DemoPerson) -> LmpPresentation | None:
        """The record and its presentation, if any (whose targeted actions become goals)."""
        enrolled = self.days_ago(spec.enrolled)
        person.lmp_since = enrolled
        latest = min(int(b.words[1]) for b in text.evidence_blocks() if b.words[0] == spec.mentee)
        record = LmpRecord(
            mentee_id=person.row.id,
            sponsor_name=require_text(spec.sponsor, "sponsor_name", max_length=200),
            state=LmpState.GATHERING_EVIDENCE,
            enrolled_on=enrolled,
            recommendation=clean_text(spec.recommendation, "recommendation"),
            visibility=Visibility.LEADERSHIP,
        )
        self.records[spec.mentee] = self.add(
            record, self.at(enrolled, 10), self.at(self.days_ago(latest), 18)
        )
        if spec.presented is None:
            return None
        self.session.flush()
        presented = self.days_ago(spec.presented)
        decided = self.days_ago(spec.decided or spec.presented)
        presentation = LmpPresentation(
            record_id=record.id,
            presented_on=presented,
            reviewers=clean_text(spec.reviewers, "reviewers"),
            decision=Decision.FURTHER_ACTIONS,
            decided_on=decided,
            decision_notes=clean_text(spec.decision_notes, "decision_notes"),
        )
        self.add(presentation, self.at(presented - timedelta(days=10), 11), self.at(decided, 17))
        self.session.flush()
        return presentation

    def evidence(self, mentee: str, record: LmpRecord) -> None:
        made: list[tuple[Evidence, list[LmpArea]]] = []
        for block in text.evidence_blocks():
            key, ago, recorded_by, *codes = block.words
            if key != mentee:
                continue
            day = self.days_ago(ago)
            row = Evidence(
                record_id=record.id,
                occurred_on=day,
                title=require_text(block.title, "title"),
                narrative=clean_text(" ".join(block.all("text")), "narrative"),
                source=clean_text(block.one("src"), "source"),
                recorded_by=RecordedBy(recorded_by),
                visibility=Visibility.LEADERSHIP,
            )
            self.add(row, self.at(day + timedelta(days=self.rng.randint(0, 2)), 17, 30))
            made.append((row, [self.areas[code] for code in codes if code in self.areas]))
        self.session.flush()
        pairs = [
            ({"evidence_id": r.id, "area_id": a.id}, r.created_at)
            for r, areas in made
            for a in areas
        ]
        self.link(evidence_areas, pairs)

    def scpa(self, spec: LmpSpec, record: LmpRecord, person: DemoPerson) -> None:
        """Weekly updates from the week of enrolment, missing a holiday and a few busy weeks."""
        pools = text.pools()
        week = record.enrolled_on - timedelta(days=record.enrolled_on.weekday())
        presented = self.days_ago(spec.presented) if spec.presented else None
        holiday = week + timedelta(weeks=self.rng.randint(3, max(3, spec.enrolled // 7 - 4)))
        number = 0
        while week + timedelta(days=4) <= self.today:
            number += 1
            winter = (week.month, week.day) >= (12, 20) or (week.month, week.day) <= (1, 2)
            away = winter or 0 <= (week - holiday).days < 14
            if not away and self.rng.random() < 0.92:
                fmt = {
                    **person.fmt,
                    "peer": self.rng.choice(spec.people),
                    "n": self.rng.randint(6, 14),
                }
                fmt["sprint"] = 20 + number // 2
                success = self.pick(pools["scpa_success"], 1, fmt)[0]
                if presented and week <= presented < week + timedelta(days=7):
                    success = text.presented_success()
                row = ScpaUpdate(
                    record_id=record.id,
                    week_of=week,
                    success=clean_text(success, "success"),
                    challenges=clean_text(
                        self.pick(pools["scpa_challenge"], 1, fmt)[0], "challenges"
                    ),
                    priorities=clean_text(
                        self.pick(pools["scpa_priority"], 1, fmt)[0], "priorities"
                    ),
                    appreciation=clean_text(
                        self.pick(pools["scpa_thanks"], 1, fmt)[0], "appreciation"
                    ),
                    visibility=Visibility.LEADERSHIP,
                )
                self.add(row, self.at(week + timedelta(days=4), 16))
            week += timedelta(days=7)
