"""The Lead Mentorship Program of a synthetic program: candidacies, evidence and SCPA updates."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from benchmarks.synth_db import BulkWriter, day, stamp
from benchmarks.synth_rows import _LINK, _RECORD, SynthMentee, allocate, at
from benchmarks.synth_text import NoteWriter
from mentor_desk.services import demo_content as demo

# State by weight; the later states have been presented to the leadership group.
_STATES = (
    ("enrolled", 10), ("gathering_evidence", 50), ("ready_for_review", 15), ("presented", 10),
    ("accepted", 10), ("further_actions", 5),
)  # fmt: skip
_PRESENTED = {"presented", "accepted", "further_actions"}
_VIS = ("leadership", "shared_with_mentee", "private")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A written candidacy: the record's id, its mentee and how much evidence it has."""

    record_id: int
    mentee: SynthMentee
    evidence: int


class LmpBuilder:
    """Writes LMP records, presentations, evidence (with areas) and weekly SCPA updates."""

    def __init__(self, out: BulkWriter, text: NoteWriter, end: date) -> None:
        self.out = out
        self.rng = out.rng
        self.text = text
        self.end = end
        # Evidence is filed under the framework's leaves (B1, not B), optional ones now and then.
        rows = self.out.query(
            "SELECT a.id, a.optional FROM lmp_areas a WHERE NOT EXISTS "
            "(SELECT 1 FROM lmp_areas c WHERE c.parent_id = a.id) ORDER BY a.code"
        )
        self.areas = [area for area, _ in rows]
        self.area_weights = [1 if optional else 12 for _, optional in rows]
        blocks = demo.evidence_blocks()
        self.titles = [block.title for block in blocks]
        self.narratives = [block.one("text") for block in blocks]
        self.sources = [block.one("src") for block in blocks if block.one("src")]

    def run(
        self, mentees: list[SynthMentee], evidence: int, scpa: int, featured: SynthMentee
    ) -> list[Candidate]:
        """Candidacies for the LMP mentees; ``featured`` gets the most evidence."""
        rng = self.rng
        people = [m for m in mentees if m.in_lmp]
        weights = [3.0 if m is featured else 0.3 + rng.random() for m in people]
        evidence_shares = allocate(rng, evidence, weights)
        weeks = allocate(rng, scpa, [1.0] * len(people))
        candidates = []
        records = []
        for record_id, (mentee, share, week_count) in enumerate(
            zip(people, evidence_shares, weeks, strict=True), 1
        ):
            state = "ready_for_review" if mentee is featured else self.state()
            # Enrolled early enough for one SCPA update a week and its evidence.
            enrolled = self.end - timedelta(days=7 * week_count + rng.randint(7, 60))
            enrolled = max(enrolled, mentee.started)
            records.append((record_id, mentee, state, enrolled, week_count))
            candidates.append(Candidate(record_id, mentee, share))
        self.records(records)
        self.presentations(records)
        self.evidence(records, evidence_shares)
        self.scpa(records)
        return candidates

    def state(self) -> str:
        names, weights = zip(*_STATES, strict=True)
        return str(self.rng.choices(names, weights)[0])

    def records(self, records: list[tuple[int, SynthMentee, str, date, int]]) -> None:
        rows = []
        for record_id, mentee, state, enrolled, _ in records:
            recommendation = ""
            if state not in ("enrolled", "gathering_evidence"):
                recommendation = self.recommendation(mentee)
            rows.append((
                record_id, self.out.uid(), stamp(at(enrolled, 9)), stamp(at(self.end, 9)),
                mentee.id, self.rng.choice(demo.PEERS), state, day(enrolled), recommendation,
                "leadership",
            ))  # fmt: skip
        self.out.insert(
            "lmp_records",
            (*_RECORD, "mentee_id", "sponsor_name", "state", "enrolled_on", "recommendation",
             "visibility"),
            rows,
        )  # fmt: skip

    def recommendation(self, mentee: SynthMentee) -> str:
        person = mentee.person
        parts = [
            f"**Recommendation.** {self.text.paragraph(person, 'sum', 2)}",
            f"**Trust and context.** {self.text.paragraph(person, 'dig', 3)}",
            f"**Running the team.** {self.text.paragraph(person, 'try', 3)}",
            f"**Open items.** {self.text.paragraph(person, 'next', 2)}",
        ]
        return "\n\n".join(parts) + "\n"

    def presentations(self, records: list[tuple[int, SynthMentee, str, date, int]]) -> None:
        rows = []
        for record_id, _mentee, state, enrolled, _ in records:
            if state not in _PRESENTED:
                continue
            presented = self.end - timedelta(days=self.rng.randint(7, 40))
            presented = max(presented, enrolled + timedelta(days=7))
            decision = None if state == "presented" else state
            decided = presented + timedelta(days=2) if decision else None
            rows.append((
                None, self.out.uid(), stamp(at(presented, 15)), stamp(at(decided or presented, 15)),
                record_id, day(presented), ", ".join(self.rng.sample(demo.PEERS, 3)), decision,
                day(decided) if decided else None,
                self.text.paragraph(_mentee.person, "next", 2) if decision else "",
            ))  # fmt: skip
        self.out.insert(
            "lmp_presentations",
            (*_RECORD, "record_id", "presented_on", "reviewers", "decision", "decided_on",
             "decision_notes"),
            rows,
        )  # fmt: skip

    def evidence(
        self, records: list[tuple[int, SynthMentee, str, date, int]], shares: list[int]
    ) -> None:
        rng, text = self.rng, self.text
        ids = itertools.count(1)
        rows: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        for (record_id, mentee, _state, enrolled, _), share in zip(records, shares, strict=True):
            span = max(1, (self.end - enrolled).days)
            for _ in range(share):
                evidence_id = next(ids)
                when = enrolled + timedelta(days=rng.randrange(span))
                made = stamp(at(when, rng.randint(9, 18)))
                title = (
                    rng.choice(self.titles)
                    if rng.random() < 0.5
                    else text.mixture(4, 9, plain=True)
                )
                narrative = rng.choice(self.narratives) if rng.random() < 0.3 else ""
                narrative = f"{narrative} {text.paragraph(mentee.person, 'dig', rng.randint(2, 4))}"
                source = rng.choice(self.sources) if rng.random() < 0.6 else ""
                rows.append((
                    evidence_id, self.out.uid(), made, made, record_id, day(when),
                    title.rstrip(".?")[:300], narrative.strip(), source,
                    rng.choices(("sponsor", "candidate", "peer"), (50, 40, 10))[0],
                    rng.choices(_VIS, (85, 10, 5))[0],
                ))  # fmt: skip
                count = rng.choices((1, 2, 3), (60, 30, 10))[0]
                chosen = {*rng.choices(self.areas, self.area_weights, k=count)}
                links.extend((evidence_id, area, made, made) for area in sorted(chosen))
        self.out.insert(
            "evidence",
            (*_RECORD, "record_id", "occurred_on", "title", "narrative", "source", "recorded_by",
             "visibility"),
            rows,
        )  # fmt: skip
        self.out.insert("evidence_areas", ("evidence_id", "area_id", *_LINK), links)

    def scpa(self, records: list[tuple[int, SynthMentee, str, date, int]]) -> None:
        pools = demo.pools()
        rows = []
        for record_id, mentee, _state, enrolled, count in records:
            week = enrolled - timedelta(days=enrolled.weekday())
            for number in range(count):
                line = {
                    key: self.text.fill(
                        self.rng.choice(pools[key]), mentee.person, sprint=20 + number // 2
                    )
                    for key in _SCPA_POOLS
                }
                made = stamp(at(week + timedelta(days=4), 16))
                rows.append((
                    None, self.out.uid(), made, made, record_id, day(week),
                    line["scpa_success"], line["scpa_challenge"], line["scpa_priority"],
                    line["scpa_thanks"], "leadership",
                ))  # fmt: skip
                week += timedelta(days=7)
        self.out.insert(
            "scpa_updates",
            (*_RECORD, "record_id", "week_of", "success", "challenges", "priorities",
             "appreciation", "visibility"),
            rows,
        )  # fmt: skip


_SCPA_POOLS = ("scpa_success", "scpa_challenge", "scpa_priority", "scpa_thanks")
