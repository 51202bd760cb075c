"""What every part of the window shares: the program, an event bus and the selected mentee.

One :class:`AppContext` is built per window and handed to every tab. Tabs never talk to each other
directly: a change announces itself on :attr:`EventBus.data_changed`, a request to show something
elsewhere goes out as :attr:`EventBus.navigate_requested`, and the mentee in focus lives in the
:class:`MenteeSelector`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Signal

from mentor_desk.paths import DataPaths
from mentor_desk.services.types import Database

#: Kinds of item a navigation request can name. A tab lists the ones it opens in ``opens``.
ITEM_KINDS = (
    "mentee", "session", "feedback", "action_item", "goal", "evidence", "lmp_record",
)  # fmt: skip


class EventBus(QObject):
    """App-wide signals.

    Signals:
        data_changed(str): something was written; the argument names what ("mentee", "session",
            "all"...). Every tab listens and reloads what it shows.
        navigate_requested(str, int, int): show an item: (kind, item id, mentee id). The main
            window switches to the tab that opens that kind, selects the mentee and asks the tab
            to open the item.
        status_message(str): a short note for the status bar ("Saved Zoë Müller").
    """

    data_changed = Signal(str)
    navigate_requested = Signal(str, int, int)
    status_message = Signal(str)

    def changed(self, what: str = "all") -> None:
        self.data_changed.emit(what)

    def navigate(self, kind: str, item_id: int, mentee_id: int) -> None:
        self.navigate_requested.emit(kind, item_id, mentee_id)


Guard = Callable[[], bool]


class MenteeSelector(QObject):
    """The mentee the tabs are focused on, or None for "All mentees".

    Changing it goes through :meth:`choose`, which first asks every guard (a tab with unsaved
    edits asks the user to save, discard or cancel); any guard saying no cancels the change.

    Signals:
        changed(object): the new mentee id, or None.
    """

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: int | None = None
        self._guards: list[Guard] = []

    @property
    def current_id(self) -> int | None:
        return self._current

    def add_guard(self, guard: Guard) -> None:
        self._guards.append(guard)

    def choose(self, mentee_id: int | None) -> bool:
        """Focus on ``mentee_id`` (None: all mentees); False when a guard refused."""
        if mentee_id == self._current:
            return True
        if not all(guard() for guard in self._guards):
            return False
        self._current = mentee_id
        self.changed.emit(mentee_id)
        return True

    def forget(self, mentee_id: int) -> None:
        """The mentee is gone (deleted): fall back to "All mentees" without asking anyone."""
        if self._current == mentee_id:
            self._current = None
            self.changed.emit(None)


@dataclass(frozen=True, slots=True)
class AppContext:
    """The program and the shared objects, as every tab receives them."""

    db: Database
    paths: DataPaths
    bus: EventBus
    selector: MenteeSelector
    settings: QSettings
