"""The privacy gate for documents: THE rule deciding what an export includes, and its preview.

Every export (the LMP dossier, quarterly review packets, and the preview the export dialog shows
before it writes) decides what is included through :func:`is_included`, and nowhere else; the
gatherers apply it through a :class:`Gate`, which also records what the preview shows. The plain
data the PDF builders receive is in :mod:`mentor_desk.services.exports`: anything not included
never reaches them, not even as a hidden field.

**The visibility rule.** An item is included when its visibility reaches the document's audience
(:data:`THRESHOLDS`: the dossier wants ``LEADERSHIP``; the packet, written for the mentee, wants
``SHARED_WITH_MENTEE`` or higher), or when the user includes it explicitly for this export through
:class:`ExportChoices` (everything with ``include_private``, or one ``(kind, id)`` at a time).

**Always shown.** The mentee's name, pronouns, role, team, level, status and cadence (they say who
the document is about), and an LMP record's sponsor, dates, states and reviewers.

**Facts versus text.** That a session took place, on which day, of which type and for how long is
not private: it counts for the one-on-one cadence and appears in "sessions held" whatever the
session's visibility. Its title, summary and notes are private and follow the session's
visibility. The same holds for action items (their dates and done state show; their text follows
their visibility) and, in the packet, for evidence (date and areas show; title, narrative and source
follow its visibility). Everything else is left out entirely unless included:
- goals follow their own visibility, and their milestones and description follow the goal;
- goal check-ins follow their own visibility (progress readings and comments alike);
- skill assessments follow their own visibility (an excluded assessment's level is not used);
- feedback follows its own visibility; its Radical Candor quadrant is the mentor's own reflection
  and is never exported;
- the mentee's career aspiration, learning style and notes follow the mentee's visibility;
- the LMP recommendation and decision notes follow the LMP record's visibility;
- in the dossier, evidence and SCPA updates not included are neither listed nor counted, so
  coverage claims only what leadership can read; SCPA texts themselves are never exported.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from mentor_desk.db.base import Visibility
from mentor_desk.services.periods import Period

# --- the gate -----------------------------------------------------------------------------------


class Audience(enum.StrEnum):
    """Who a document is for."""

    LEADERSHIP = "leadership"  # the LMP dossier
    MENTEE = "mentee"  # the quarterly review packet


#: The lowest visibility each audience sees without the user's explicit choice.
THRESHOLDS: dict[Audience, Visibility] = {
    Audience.LEADERSHIP: Visibility.LEADERSHIP,
    Audience.MENTEE: Visibility.SHARED_WITH_MENTEE,
}


class ItemKind(enum.StrEnum):
    """The kinds of item an export can hold back; the first half of an ``include_items`` key."""

    SESSION = "session"
    EVIDENCE = "evidence"
    FEEDBACK = "feedback"
    GOAL = "goal"  # also its milestones and description
    CHECKIN = "checkin"
    ASSESSMENT = "assessment"
    ACTION_ITEM = "action_item"
    MENTEE = "mentee"  # the mentee's aspiration, learning style and notes
    LMP_RECORD = "lmp_record"  # the recommendation narrative and decision notes
    SCPA = "scpa"


@dataclass(frozen=True, slots=True)
class ExportChoices:
    """What the user chose to include beyond the audience's default, for one export.

    Attributes:
        include_private: include every item, whatever its visibility.
        include_items: ``(kind, id)`` pairs included one by one (kind is an :class:`ItemKind`
            value such as ``"session"``).
    """

    include_private: bool = False
    include_items: frozenset[tuple[str, int]] = frozenset()

    def including(self, kind: ItemKind | str, item_id: int) -> ExportChoices:
        """These choices plus one more item."""
        key = (str(kind), item_id)
        return ExportChoices(self.include_private, self.include_items | {key})


DEFAULT_CHOICES = ExportChoices()


def is_included(
    audience: Audience,
    kind: ItemKind | str,
    item_id: int,
    visibility: Visibility | str,
    choices: ExportChoices,
) -> bool:
    """Whether one item goes into a document: THE rule for every export (see the module doc)."""
    if Visibility(visibility).rank >= THRESHOLDS[audience].rank:
        return True
    return choices.include_private or (str(kind), item_id) in choices.include_items


# --- the preview --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionCount:
    section: str  # "Sessions", "Evidence", ...
    included: int
    held_back: int  # items of this section left out (or shown without their text)


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """An item below the audience's threshold, which the user may tick to include.

    ``label`` never holds the item's own text: "Session 2026-03-02 · One-on-one coaching (private)".
    """

    kind: str  # an ItemKind value; with ``id`` it is the key for ExportChoices.include_items
    id: int
    on: date | None
    label: str
    visibility: str
    included: bool  # whether the current choices already include it


@dataclass(frozen=True, slots=True)
class ExportPreview:
    document: str  # "dossier" or "packet"
    subject: str  # the candidate's or mentee's name
    period: Period
    sections: tuple[SectionCount, ...]
    choosable: tuple[PreviewItem, ...] = field(default=())

    @property
    def held_back(self) -> tuple[PreviewItem, ...]:
        """The items the current choices leave out (or show without their text)."""
        return tuple(item for item in self.choosable if not item.included)


class Gate:
    """Applies :func:`is_included` for one document and remembers what it held back.

    Gatherers call :meth:`admit` for every item they meet; the preview is read off the gate
    afterwards, so the preview and the document can never disagree.
    """

    def __init__(self, audience: Audience, choices: ExportChoices) -> None:
        self.audience = audience
        self.choices = choices
        self._threshold = THRESHOLDS[audience].rank
        self._choosable: dict[tuple[str, int], PreviewItem] = {}
        self._counts: dict[str, list[int]] = {}

    def section(self, name: str) -> None:
        """Make sure ``name`` shows in the preview even when it holds nothing."""
        self._counts.setdefault(name, [0, 0])

    def admit(
        self,
        section: str,
        kind: ItemKind,
        item_id: int,
        visibility: Visibility | str,
        on: date | None,
        label: str,
    ) -> bool:
        """Whether the item is included; ``label`` must describe it without its own text."""
        included = is_included(self.audience, kind, item_id, visibility, self.choices)
        self._counts.setdefault(section, [0, 0])[0 if included else 1] += 1
        level = Visibility(visibility)
        if level.rank < self._threshold:
            text = f"{label} ({level.label.lower()})"
            item = PreviewItem(kind.value, item_id, on, text, level.value, included)
            self._choosable.setdefault((kind.value, item_id), item)
        return included

    def sections(self) -> tuple[SectionCount, ...]:
        return tuple(SectionCount(name, *counts) for name, counts in self._counts.items())

    def choosable(self) -> tuple[PreviewItem, ...]:
        """Held-back candidates, oldest first (undated ones last), then by kind and id."""
        return tuple(
            sorted(self._choosable.values(), key=lambda i: (i.on or date.max, i.kind, i.id))
        )
