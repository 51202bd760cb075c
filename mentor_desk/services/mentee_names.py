"""Finding mentees by what a person types: an id, a uid or (part of) a name, in any script.

Part of the mentee service; import it from :mod:`mentor_desk.services.mentees`, which wraps these
session-level helpers into units of work.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentor_desk.db.base import MenteeStatus
from mentor_desk.db.models import Mentee
from mentor_desk.errors import AmbiguousError, NotFoundError, ValidationError

#: How many candidates an error message lists.
SHOWN = 8


@dataclass(frozen=True, slots=True)
class MenteeRef:
    """Just enough to show a mentee in a picker or a "did you mean" message."""

    id: int
    uid: str
    name: str
    role: str
    status: MenteeStatus

    @property
    def display(self) -> str:
        role = f", {self.role}" if self.role else ""
        return f"{self.name} (id {self.id}{role})"


def fold(text: str) -> str:
    """Text for matching: case-folded with accents removed, so "zoe" matches "Zoë"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def mentee_not_found(mentee_id: int) -> NotFoundError:
    return NotFoundError(f"There is no mentee with id {mentee_id}; it may have been deleted.")


def _same_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _refs(session: Session) -> list[MenteeRef]:
    m = Mentee
    stmt = select(m.id, m.uid, m.name, m.role, m.status)
    return [MenteeRef(*row) for row in session.execute(stmt)]


def _ranked(refs: list[MenteeRef], query: str) -> list[MenteeRef]:
    needle = fold(" ".join(query.split()))
    scored = []
    for ref in refs:
        name = fold(ref.name)
        if needle in name:
            rank = 0 if name == needle else 1 if name.startswith(needle) else 2
            scored.append((rank, name, ref.id, ref))
    return [item[-1] for item in sorted(scored)]


def find_refs(session: Session, query: str) -> list[MenteeRef]:
    """Mentees whose name contains ``query`` (ignoring case and accents); best matches first.

    Exact names come first, then names starting with ``query``; archived mentees are included.
    """
    return _ranked(_refs(session), query)


def _close_matches(refs: list[MenteeRef], query: str) -> list[MenteeRef]:
    """Names like ``query``, whole or by any one word of them ("Zoey" finds "Zoë Martin")."""
    candidates: dict[str, list[MenteeRef]] = {}
    for ref in refs:
        for key in {fold(ref.name), *fold(ref.name).split()}:
            candidates.setdefault(key, []).append(ref)
    found: dict[int, MenteeRef] = {}
    for key in difflib.get_close_matches(fold(query), list(candidates), n=SHOWN, cutoff=0.6):
        for ref in candidates[key]:
            found.setdefault(ref.id, ref)
    return list(found.values())[:5]


def match_mentee_id(session: Session, name_or_id: str) -> int:
    """The id of the one mentee meant by an id, a uid or a name.

    Tries the id (digits), the uid, the exact name (ignoring case), then a unique partial name
    (ignoring case and accents).

    Raises:
        AmbiguousError: several mentees match; the message lists them.
        NotFoundError: nobody matches; the message suggests close names.
    """
    query = " ".join(unicodedata.normalize("NFC", str(name_or_id)).split())
    if not query:
        raise ValidationError("must not be empty", "mentee")
    if query.isdigit() and session.get(Mentee, int(query)) is not None:
        return int(query)
    by_uid = session.scalar(select(Mentee.id).where(Mentee.uid == query.lower()))
    if by_uid is not None:
        return by_uid
    refs = _refs(session)
    matches = [ref for ref in refs if _same_name(ref.name) == _same_name(query)]
    matches = matches or _ranked(refs, query)
    if len(matches) == 1:
        return matches[0].id
    if matches:
        shown = "; ".join(ref.display for ref in matches[:SHOWN])
        more = f" and {len(matches) - SHOWN} more" if len(matches) > SHOWN else ""
        raise AmbiguousError(
            f'"{query}" matches {len(matches)} mentees: {shown}{more}. Use the full name or the id.'
        )
    close = _close_matches(refs, query)
    hint = (
        f" Did you mean: {'; '.join(ref.display for ref in close)}?"
        if close
        else " Check the spelling, or use the mentee's id."
    )
    raise NotFoundError(f'No mentee is called "{query}".{hint}')
