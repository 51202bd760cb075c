"""Date fields: an ISO date edit with a calendar, and a date that may be left out.

:func:`date_edit` is a plain date (today by default). :class:`OptionalDate` is a tick box and the
date beside it: unticked, the value is None ("no due date", "any start") and the date is greyed
out; it still shows a sensible day (``default_days`` from today), so the calendar opens near
today when the box is ticked, never at a placeholder year. With ``pause_ms``, stepping the date
through its spin arrows reports one change once the stepping pauses (or the field is left), not
one per step.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from mentor_desk.ui.style import named


def date_edit(name: str) -> QDateEdit:
    """An ISO date edit with a calendar, on today."""
    edit = named(QDateEdit(), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate())
    return edit


def date_of(edit: QDateEdit) -> date:
    return edit.date().toPython()  # type: ignore[no-any-return]


def set_date(edit: QDateEdit, value: date | None) -> None:
    """Show ``value`` (None: today)."""
    edit.setDate(QDate(value) if value is not None else QDate.currentDate())


class OptionalDate(QWidget):
    """A tick box (``text``) and an ISO date edit.

    Args:
        text: the tick box's text ("Due", "&From").
        name: the accessible name of the date; the box is named "<name>: <what>".
        what: what ticking the box means, for its accessible name.
        default_days: the day shown while unticked, counted from today.
        pause_ms: wait this long after the last change of the date before reporting it (0: at
            once).

    Signals:
        changed(): the user ticked or unticked the box, or changed the date while it is ticked.
    """

    changed = Signal()

    def __init__(
        self,
        text: str,
        name: str,
        *,
        what: str = "set",
        default_days: int = 0,
        pause_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.default_days = default_days
        self.known = named(QCheckBox(text), f"{name}: {what}")
        self.date = date_edit(name)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(pause_ms)
        self.pause.timeout.connect(self.flush)
        self._pending = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.known)
        layout.addWidget(self.date)
        self.set_value(None)
        self.known.toggled.connect(self._toggled)
        self.date.dateChanged.connect(self._date_changed)
        self.date.editingFinished.connect(self.flush)

    def value(self) -> date | None:
        return self.date.date().toPython() if self.known.isChecked() else None  # type: ignore[no-any-return]

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None: unticked) without reporting it."""
        for widget in (self.known, self.date):
            widget.blockSignals(True)
        self.known.setChecked(value is not None)
        self.date.setEnabled(value is not None)
        fallback = date.today() + timedelta(days=self.default_days)
        self.date.setDate(QDate(value or fallback))
        for widget in (self.known, self.date):
            widget.blockSignals(False)
        self.pause.stop()
        self._pending = False

    def flush(self) -> None:
        """Report a date change that is still waiting for the pause, now."""
        self.pause.stop()
        if self._pending:
            self._pending = False
            self.changed.emit()

    def _date_changed(self) -> None:
        if not self.known.isChecked():
            return
        self._pending = True
        if self.pause.interval() > 0:
            self.pause.start()
        else:
            self.flush()

    def _toggled(self, known: bool) -> None:
        self.date.setEnabled(known)
        self.pause.stop()
        self._pending = False
        self.changed.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()  # going away (another item shown, the window closing): report it first
        super().hideEvent(event)
