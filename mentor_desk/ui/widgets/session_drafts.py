"""Crash-safe drafts of the session editor, and the question that offers one back.

While the editor holds unsaved changes, :class:`DraftKeeper` writes them to the data folder's
drafts (:mod:`mentor_desk.services.drafts`) a few seconds after the last keystroke. Saving or
discarding removes the draft. A draft still there when the tab next opens means the app stopped
with the edit in hand; the tab offers it back with :func:`ask_restore`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from mentor_desk.errors import NotFoundError
from mentor_desk.services.actions import ActionItemInput
from mentor_desk.services.drafts import Draft, DraftStore
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.sessions import SessionInput, get_session
from mentor_desk.services.types import Database, ItemOwner, Visibility
from mentor_desk.ui.widgets.draft_autosave import Autosave, Restore
from mentor_desk.ui.widgets.draft_autosave import ask_restore as ask_draft

PREFIX = "session-"


def draft_key(session_id: int | None) -> str:
    return f"{PREFIX}{session_id if session_id is not None else 'new'}"


@dataclass(frozen=True, slots=True)
class EditorState:
    """What the editor holds: the session (None: not saved yet), its fields and pending items."""

    session_id: int | None
    data: SessionInput
    pending: tuple[ActionItemInput, ...] = ()


def to_json(state: EditorState) -> dict[str, Any]:
    data = state.data
    started = data.started_at
    return {
        "session_id": state.session_id,
        "mentee_id": data.mentee_id,
        "started_at": started.isoformat() if isinstance(started, datetime) else str(started),
        "duration_minutes": data.duration_minutes,
        "session_type_id": data.session_type_id,
        "title": data.title,
        "summary": data.summary,
        "notes": data.notes,
        "visibility": str(data.visibility),
        "goal_ids": list(data.goal_ids),
        "tags": list(data.tags),
        "pending": [
            {
                "text": item.text,
                "owner": str(item.owner),
                "due_on": item.due_on.isoformat() if isinstance(item.due_on, date) else None,
                "done": item.done,
            }
            for item in state.pending
        ],
    }


def from_json(content: dict[str, Any]) -> EditorState:
    """The editor state a draft holds; ValueError (or KeyError/TypeError) when it is not one."""
    session_id = content.get("session_id")
    data = SessionInput(
        mentee_id=int(content["mentee_id"]),
        started_at=datetime.fromisoformat(str(content["started_at"])),
        duration_minutes=int(content["duration_minutes"]),
        session_type_id=_optional_int(content.get("session_type_id")),
        title=str(content.get("title", "")),
        summary=str(content.get("summary", "")),
        notes=str(content.get("notes", "")),
        visibility=Visibility(content.get("visibility", Visibility.PRIVATE.value)),
        goal_ids=tuple(int(goal) for goal in content.get("goal_ids", [])),
        tags=tuple(str(tag) for tag in content.get("tags", [])),
    )
    pending = tuple(
        ActionItemInput(
            text=str(item["text"]),
            owner=ItemOwner(item.get("owner", ItemOwner.MENTEE.value)),
            due_on=date.fromisoformat(item["due_on"]) if item.get("due_on") else None,
            done=bool(item.get("done", False)),
        )
        for item in content.get("pending", [])
    )
    return EditorState(_optional_int(session_id), data, pending)


def _optional_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def is_newer(draft: Draft, saved_at: datetime) -> bool:
    """Whether ``draft`` was written after the session was last saved."""
    if saved_at.tzinfo is None:
        saved_at = saved_at.replace(tzinfo=UTC)
    return draft.saved_at > saved_at


class DraftKeeper(Autosave):
    """The session editor's :class:`Autosave`; ``snapshot`` gives None when nothing is unsaved."""

    def __init__(
        self, store: DraftStore, snapshot: Callable[[], EditorState | None], parent: QObject
    ) -> None:
        self._state = snapshot
        super().__init__(store, self._draft, parent)

    def _draft(self) -> tuple[str, dict[str, Any]] | None:
        state = self._state()
        return None if state is None else (draft_key(state.session_id), to_json(state))

    def offer(
        self,
        parent: QWidget,
        db: Database,
        restore: Callable[[Offer], None],
        key: str | None = None,
    ) -> None:
        """Offer back what an earlier run left (only the draft ``key`` when given).

        Newest first: a draft discarded makes way for the next; one restored (``restore`` puts it
        in the editor, which then owns it) or put off ends the questions.
        """
        if key is None:
            found = offers(db, self.store)
        else:
            draft = self.store.load(key)
            offer = offer_for(db, draft) if draft is not None else None
            found = [offer] if offer is not None else []
        for offer in found:
            answer = ask_restore(parent, offer.what, offer.draft.saved_at)
            if answer is Restore.DISCARD:
                self.store.discard(offer.draft.key)
                continue
            if answer is Restore.RESTORE:
                restore(offer)
                self.adopt(offer.draft.key)
            return


@dataclass(frozen=True, slots=True)
class Offer:
    """A draft worth offering back: its state, and what it is in words."""

    draft: Draft
    state: EditorState
    what: str


def describe(db: Database, state: EditorState) -> str | None:
    """``state`` in words, or None when it no longer fits (its session or mentee is gone)."""
    try:
        if state.session_id is None:
            return f"a new session with {get_mentee(db, state.data.mentee_id).name}"
        detail = get_session(db, state.session_id)
    except NotFoundError:
        return None
    return f"the session of {detail.started_at.astimezone():%Y-%m-%d} with {detail.mentee_name}"


def offer_for(db: Database, draft: Draft) -> Offer | None:
    """The offer a draft makes, or None when it is junk or older than what was saved since."""
    try:
        state = from_json(draft.data)
    except (ValueError, KeyError, TypeError):
        return None
    what = describe(db, state)
    if what is None:
        return None
    saved = get_session(db, state.session_id) if state.session_id is not None else None
    if saved is not None and not is_newer(draft, saved.updated_at):
        return None
    return Offer(draft, state, what)


def offers(db: Database, store: DraftStore) -> list[Offer]:
    """The drafts worth offering, newest first; the others (stale, junk) are removed."""
    found = []
    for draft in store.all(PREFIX):
        offer = offer_for(db, draft)
        if offer is None:
            store.discard(draft.key)
        else:
            found.append(offer)
    return found


def ask_restore(parent: QWidget | None, what: str, when: datetime) -> Restore:
    """Offer back an unsaved draft of the session ``what`` written at ``when``."""
    return ask_draft(parent, what, when, title="Unsaved session notes")
