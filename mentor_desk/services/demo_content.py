"""The text of the demo program: people, goals, conversation themes and LMP evidence.

Everyone here is fictional. The text lives in data files under ``resources/demo/``, written as
small "blocks" (see :func:`parse_blocks`) rather than Python literals, so the prose stays readable
and dense; this module parses them into typed values and :mod:`.demo` turns those into rows. The
files are read on first use, not at import. Placeholders in braces (``{first}``, ``{peer}``,
``{service}``, ``{team}``, ``{n}``) are filled per mentee and per session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mentor_desk.db.base import Cadence, Level, MenteeStatus
from mentor_desk.paths import resource_path

DEMO_MENTOR = "Alex Morgan"

# Colleagues who turn up in notes and feedback.
PEERS: tuple[str, ...] = (
    "Hannah Becker", "Rafael Ortiz", "Mei Chen", "Oluwaseun Bello", "Sofia Rossi",
    "Dmitri Volkov", "Amara Nwosu", "Jonas Weber", "Kenji Watanabe", "Ingrid Solberg",
    "Diego Fernández", "Noor Rahman", "Ananya Iyer", "Beatriz Santos",
)  # fmt: skip

# Tags for mentees (by profile key) and for sessions (by theme key).
MENTEE_TAGS: dict[str, tuple[str, ...]] = {
    "LMP": ("zoe", "chiamaka"),
    "promotion track": ("arjun", "layla", "jose"),
    "new manager": ("wei", "mariana"),
    "remote": ("layla", "priya", "mariana"),
}
SESSION_TAGS: dict[str, tuple[str, ...]] = {
    "incident": ("incident", "oncall"),
    "promotion": ("promo_packet",),
    "hiring": ("hiring",),
}

_KEYED = re.compile(r"^([a-z_]+): (.*)$")


@dataclass(frozen=True, slots=True)
class Block:
    """One ``== head`` block: its head split into ``words`` and ``title``, and keyed entries."""

    words: tuple[str, ...]
    title: str
    entries: tuple[tuple[str, str], ...]

    def all(self, key: str) -> tuple[str, ...]:
        return tuple(value for k, value in self.entries if k == key)

    def one(self, key: str, default: str = "") -> str:
        found = self.all(key)
        return found[0] if found else default

    def need(self, key: str) -> str:
        """The entry ``key``, which this block must have (the data files ship with the app)."""
        found = self.all(key)
        if not found:
            raise ValueError(f"demo block {' '.join(self.words)!r} has no {key!r} entry")
        return found[0]

    def number(self, key: str) -> int | None:
        """The entry ``key`` as a whole number, or None when the block leaves it out."""
        found = self.all(key)
        return int(found[0]) if found else None


def parse_blocks(text: str) -> list[Block]:
    """Parse ``== words | title`` blocks of ``key: value``, ``- item`` and plain ``text`` lines.

    A line indented by two spaces continues the previous entry; a line starting with ``#`` is a
    comment.
    """
    blocks: list[Block] = []
    head: str | None = None
    entries: list[list[str]] = []

    def close() -> None:
        if head is not None:
            words, _, title = head.partition(" | ")
            pairs = tuple((key, value) for key, value in entries)
            blocks.append(Block(tuple(words.split()), title.strip(), pairs))

    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            close()
            head, entries = line[3:].strip(), []
        elif line.startswith("  ") and entries:
            entries[-1][1] += " " + line.strip()
        elif line.startswith("  ") and head is not None:
            head += " " + line.strip()
        elif line.startswith("- "):
            entries.append(["item", line[2:].strip()])
        elif match := _KEYED.match(line):
            entries.append([match.group(1), match.group(2).strip()])
        else:
            entries.append(["text", line.strip()])
    close()
    return blocks


def read_text(name: str) -> str:
    """The bundled demo file ``name`` (UTF-8)."""
    return resource_path("demo", name).read_text(encoding="utf-8")


@cache
def blocks(name: str) -> tuple[Block, ...]:
    """The blocks of the bundled demo file ``name``, parsed once."""
    return tuple(parse_blocks(read_text(name)))


@dataclass(frozen=True, slots=True)
class Profile:
    """A fictional mentee. Day counts are relative to the demo's ``today``."""

    key: str
    name: str
    call: str  # how the notes refer to them
    pronouns: str
    role: str
    team: str
    level: Level
    email: str
    cadence: Cadence
    status: MenteeStatus
    started: int  # days ago
    last: int | None  # days since the last session, when it is not simply "recently"
    hour: int  # their usual slot
    service: str
    themes: tuple[str, ...]
    focus: tuple[str, ...]  # skill areas they work on most
    aspiration: str
    style: str
    notes: str


@dataclass(frozen=True, slots=True)
class LmpSpec:
    """A fictional LMP candidacy; day counts are relative to today."""

    mentee: str
    sponsor: str
    enrolled: int
    people: tuple[str, ...]  # whom the candidate leads (they appear in SCPA updates)
    recommendation: str
    presented: int | None = None
    decided: int | None = None
    reviewers: str = ""
    decision_notes: str = ""


@cache
def profiles() -> tuple[Profile, ...]:
    """The fictional mentees, from ``profiles.txt``, in file order."""
    return tuple(
        Profile(
            key=block.words[0],
            name=block.title,
            call=block.need("call"),
            pronouns=block.need("pronouns"),
            role=block.need("role"),
            team=block.need("team"),
            level=Level(block.need("level")),
            email=block.need("email"),
            cadence=Cadence(block.need("cadence")),
            status=MenteeStatus(block.need("status")),
            started=int(block.need("started")),
            last=block.number("last"),
            hour=int(block.need("hour")),
            service=block.need("service"),
            themes=tuple(block.need("themes").split()),
            focus=block.all("focus"),
            aspiration=block.need("aspiration"),
            style=block.need("style"),
            notes=block.need("notes"),
        )
        for block in blocks("profiles.txt")
    )


@cache
def lmp_specs() -> tuple[LmpSpec, ...]:
    """The LMP candidacies, from ``lmp.txt``; each recommendation is a Markdown file, verbatim."""
    return tuple(
        LmpSpec(
            mentee=block.words[0],
            sponsor=block.title,
            enrolled=int(block.need("enrolled")),
            people=block.all("leads"),
            recommendation=read_text(block.need("recommendation")),
            presented=block.number("presented"),
            decided=block.number("decided"),
            reviewers=block.one("reviewers"),
            decision_notes=block.one("decision_notes"),
        )
        for block in blocks("lmp.txt")
    )


@cache
def themes() -> dict[str, Block]:
    """Conversation themes by key: situations, insights, practice, next steps, summaries, to-dos."""
    return {block.words[0]: block for block in blocks("themes.txt")}


@cache
def pools() -> dict[str, tuple[str, ...]]:
    """Loose sentences by kind: well-being, coaching answers, check-in comments..."""
    return {block.words[0]: block.all("text") for block in blocks("pools.txt")}


def goal_blocks() -> tuple[Block, ...]:
    return blocks("goals.txt")


def evidence_blocks() -> tuple[Block, ...]:
    return blocks("evidence.txt")


def feedback_blocks() -> tuple[Block, ...]:
    return blocks("feedback.txt")


def presented_success() -> str:
    """The SCPA success line for the week the candidate presented to the leadership group."""
    return pools()["scpa_presented"][0]
