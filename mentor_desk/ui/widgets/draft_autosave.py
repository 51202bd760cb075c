"""Crash-safe drafts for every editor, and the question that offers one back.

While an editor holds unsaved changes, :class:`Autosave` writes them to the data folder's drafts
(:mod:`mentor_desk.services.drafts`) at most a few seconds after a change, even while typing goes
on. Saving or discarding
removes the draft. A draft still there when the editor next opens means the app stopped with the
edit in hand (a crash, a kill, a power cut): :class:`FormDrafts` offers it back with
:func:`ask_restore`.

:class:`FormDrafts` serves the editors whose whole state is one input dataclass of a service
(``MenteeInput``, ``GoalInput``, ...) plus the id of the record edited (None: a new one); the
session editor, which also holds pending action items, builds on :class:`Autosave` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from mentor_desk import APP_NAME
from mentor_desk.services.drafts import Draft, DraftStore

#: Write the draft at most this long after a change.
AUTOSAVE_MS = 3000
T = TypeVar("T")


class Autosave(QObject):
    """Writes an editor's state a little after each change.

    ``snapshot`` gives the draft to keep as ``(key, data)``, or None when nothing is unsaved.
    """

    def __init__(
        self,
        store: DraftStore,
        snapshot: Callable[[], tuple[str, dict[str, Any]] | None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._snapshot = snapshot
        self._written: str | None = None  # the key of the draft this editor last wrote
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)

    def changed(self) -> None:
        """The editor changed: write the draft within :data:`AUTOSAVE_MS`.

        The timer is not restarted by every keystroke: someone typing without a pause still has
        a draft at most a few seconds old when the process is killed.
        """
        if not self.timer.isActive():
            self.timer.start()

    def flush(self) -> None:
        """Write the draft now (or remove it when nothing is unsaved)."""
        self.timer.stop()
        state = self._snapshot()
        if state is None:
            self.forget()
            return
        key, data = state
        if self._written is not None and self._written != key:
            self.store.discard(self._written)
        try:
            self.store.save(key, data)
        except OSError:
            return  # a full disk must not interrupt typing; the next pause tries again
        self._written = key

    def adopt(self, key: str) -> None:
        """Treat the draft ``key`` (restored into the editor) as this editor's own."""
        self._written = key

    def forget(self, key: str | None = None) -> None:
        """Remove the draft this editor wrote (and ``key``, when given)."""
        self.timer.stop()
        for name in {self._written, key} - {None}:
            self.store.discard(name)  # type: ignore[arg-type]
        self._written = None

    def edited(self, dirty: bool) -> None:
        """The editor changed (``dirty``: it now differs from what was saved)."""
        if dirty:
            self.changed()
        else:
            self.forget()


@dataclass(frozen=True, slots=True)
class PendingDraft:
    """An unsaved draft an earlier run left, as the start-up question lists it.

    Attributes:
        what: the draft in words ("Zoë Müller’s details").
        tab: the key of the tab whose editor takes it back.
        slot: the editor (one draft per editor can be restored at a time).
        focus: the mentee the toolbar shows while it is restored; ``strict``: exactly that one
            (the Mentees tab), else "All mentees" does as well.
        restore: puts the draft in its editor, unsaved; False when that would leave an edit in
            hand (the draft then stays for the next start).
    """

    key: str
    what: str
    saved_at: datetime
    tab: str
    slot: str
    focus: int | None
    strict: bool
    restore: Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Found:
    """A draft of a :class:`FormDrafts` that still fits: its record, input and owner in words."""

    draft: Draft
    record_id: int | None
    data: dict[str, Any]
    owner: int | None
    what: str


class FormDrafts(Autosave):
    """The drafts of one form-based editor, keyed ``<prefix>-<id>`` (``<prefix>-new``).

    Args:
        current: the record edited (None: a new one) and what the form holds, or None when the
            form holds nothing unsaved.
        owner: the record the edited one belongs to (an evidence entry's LMP record), kept with
            the draft so a new item comes back where it was started; its callbacks then get it
            as the keyword ``owner``.
    """

    def __init__(
        self,
        store: DraftStore,
        prefix: str,
        current: Callable[[], tuple[int | None, Any] | None],
        parent: QObject,
        *,
        owner: Callable[[], int | None] | None = None,
    ) -> None:
        self.prefix = prefix
        self._current = current
        self._owner = owner
        super().__init__(store, self._draft, parent)

    def key(self, record_id: int | None) -> str:
        return f"{self.prefix}-{record_id if record_id is not None else 'new'}"

    def _draft(self) -> tuple[str, dict[str, Any]] | None:
        state = self._current()
        if state is None:
            return None
        record_id, value = state
        data = {"id": record_id, "input": encode_input(value)}
        if self._owner is not None:
            data["owner"] = self._owner()
        return self.key(record_id), data

    def _call(
        self, callback: Callable[..., T], record_id: int | None, data: dict[str, Any], owner: Any
    ) -> T:
        if self._owner is None:
            return callback(record_id, data)
        return callback(record_id, data, owner=owner)

    def found(self, describe: Callable[..., str | None]) -> list[Found]:
        """The drafts an earlier run left that still fit, newest first.

        ``describe(record_id, input)`` names the draft ("Zoë Müller’s details"), or gives None
        when it no longer fits (its record is gone): such drafts, and unreadable ones, are
        removed.
        """
        kept = []
        for draft in self.store.all(f"{self.prefix}-"):
            parsed = _parse(draft)
            what = self._call(describe, *parsed) if parsed is not None else None
            if parsed is None or what is None:
                self.store.discard(draft.key)
                continue
            kept.append(Found(draft, *parsed, what))
        return kept

    def restore(self, found: Found, restore: Callable[..., object]) -> None:
        """Put ``found`` in the form with ``restore(record_id, input)``; the form owns it then."""
        self._call(restore, found.record_id, found.data, found.owner)
        self.adopt(found.draft.key)

    def offer(
        self,
        parent: QWidget,
        describe: Callable[..., str | None],
        restore: Callable[..., None],
        *,
        title: str = "Unsaved changes",
    ) -> None:
        """Offer back what an earlier run left (see :meth:`found`), one question each.

        A draft discarded makes way for the next; one restored (``restore`` puts it in the form,
        which then owns it) or put off ends the questions.
        """
        for found in self.found(describe):
            answer = ask_restore(parent, found.what, found.draft.saved_at, title=title)
            if answer is Restore.DISCARD:
                self.store.discard(found.draft.key)
                continue
            if answer is Restore.RESTORE:
                self.restore(found, restore)
            return


class DraftedEditor:
    """Mixin for a tab with one form editor whose unsaved state goes to ``self.drafts``.

    The tab provides ``drafts`` (a :class:`FormDrafts`), ``is_dirty()``, and the two callbacks
    of :meth:`FormDrafts.offer`: ``_describe_draft`` and ``_restore_draft``.
    """

    drafts: FormDrafts

    def flush_draft(self) -> None:
        """Write the crash-safe draft now rather than after the pause."""
        self.drafts.flush()

    def offer_drafts(self) -> None:
        """Offer back the unsaved edit an earlier run left behind.

        Never over an edit in hand: the draft is then offered again at the next start.
        """
        tab: Any = self
        if not tab.is_dirty():
            self.drafts.offer(tab, tab._describe_draft, tab._restore_draft)

    def pending_drafts(self) -> list[PendingDraft]:
        """The drafts to list in the start-up question (:mod:`mentor_desk.ui.draft_recovery`)."""
        tab: Any = self
        return [
            PendingDraft(
                found.draft.key,
                found.what,
                found.draft.saved_at,
                tab.key,
                self.drafts.prefix,
                *self._draft_focus(found.record_id, found.data),
                restore=partial(self._take_back, found),
            )
            for found in self.drafts.found(tab._describe_draft)
        ]

    def _draft_focus(self, record_id: int | None, data: dict[str, Any]) -> tuple[int | None, bool]:
        if self.drafts.prefix == "mentee":  # the Mentees tab edits exactly the mentee in focus
            return record_id, True
        mentee = data.get("mentee_id")
        return (mentee if isinstance(mentee, int) else None), False

    def _take_back(self, found: Found) -> bool:
        tab: Any = self
        if tab.is_dirty():
            return False
        self.drafts.restore(found, tab._restore_draft)
        return True


def _parse(draft: Draft) -> tuple[int | None, dict[str, Any], int | None] | None:
    record_id, data, owner = (draft.data.get(name) for name in ("id", "input", "owner"))
    if not isinstance(data, dict) or not all(
        value is None or isinstance(value, int) for value in (record_id, owner)
    ):
        return None
    return record_id, data, owner


def encode_input(value: Any) -> dict[str, Any]:
    """A service input dataclass as JSON-ready data (enums by value, dates in ISO form)."""
    assert is_dataclass(value)
    return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def decode_input(cls: type[T], data: dict[str, Any], *, dates: tuple[str, ...] = ()) -> T:
    """The ``cls`` instance :func:`encode_input` gave ``data`` for.

    Unknown keys are ignored (a draft from another version); lists become tuples and the fields
    named in ``dates`` become dates again. Raises ValueError/TypeError on data that does not fit.
    """
    names = {field.name for field in fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in names:
            continue
        if isinstance(value, list):
            value = tuple(value)
        elif name in dates and isinstance(value, str):
            value = date.fromisoformat(value)
        values[name] = value
    return cls(**values)


class Restore(Enum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"


def ask_restore(
    parent: QWidget | None, what: str, when: datetime, *, title: str = "Unsaved changes"
) -> Restore:
    """Offer back an unsaved draft of ``what`` written at ``when``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"{title} — {APP_NAME}")
    box.setAccessibleName(title)
    box.setText(f"{APP_NAME} closed before your changes to {what} were saved.")
    box.setInformativeText(
        f"A draft from {when.astimezone():%Y-%m-%d %H:%M} was kept. Restore it to go on "
        "editing, discard it, or decide later (it is offered again)."
    )
    buttons = {
        box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole): Restore.RESTORE,
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole): Restore.DISCARD,
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole): Restore.LATER,
    }
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton(), Restore.LATER)
