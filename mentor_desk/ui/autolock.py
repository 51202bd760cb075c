"""Auto-lock: after N idle minutes an encrypted program hides everything until the passphrase.

:class:`IdleWatcher` is an application-wide event filter that notes the time of the last key or
mouse activity; one single-shot timer wakes up when the idle time could have run out and checks.
:class:`AutoLock` does the locking for the main window: it writes every tab's draft, closes open
dialogs, covers the window with a :class:`LockPanel`, hides the toolbar (the mentee picker shows a
name) and the status bar (counts, messages), disables every action and takes the mentee out of
the title. Unlocking checks the passphrase against the database and puts back exactly what was
there: the tabs were only covered, never rebuilt, so the selected mentee, scroll positions and
unsaved edits are as they were.

The minutes are a program setting (``auto_lock_minutes``, 0 = off) stored with the data, like the
backup interval: they belong to the program, whichever computer opens it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError, ValidationError
from mentor_desk.services.program import check_passphrase
from mentor_desk.services.settings import get_setting, set_setting
from mentor_desk.services.types import Database
from mentor_desk.ui.widgets.lock_panel import LockPanel

if TYPE_CHECKING:
    from mentor_desk.ui.main_window import MainWindow

AUTO_LOCK_SETTING = "auto_lock_minutes"
MAX_AUTO_LOCK_MINUTES = 24 * 60
#: What counts as the user being there.
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def auto_lock_minutes(db: Database) -> int:
    """The idle minutes before the window locks; 0 when auto-lock is off (or the value is junk)."""
    try:
        minutes = int(get_setting(db, AUTO_LOCK_SETTING, "0"))
    except ValueError:
        return 0
    return minutes if 0 <= minutes <= MAX_AUTO_LOCK_MINUTES else 0


def set_auto_lock_minutes(db: Database, minutes: int) -> None:
    """Store the idle minutes (0 turns auto-lock off)."""
    if not 0 <= minutes <= MAX_AUTO_LOCK_MINUTES:
        raise ValidationError(
            f"must be between 0 (off) and {MAX_AUTO_LOCK_MINUTES} minutes", "auto-lock"
        )
    set_setting(db, AUTO_LOCK_SETTING, str(minutes))


class IdleWatcher(QObject):
    """Emits :attr:`idle` once no key or mouse activity has been seen for ``timeout_ms``.

    Signals:
        idle(): the idle time ran out (emitted once; :meth:`resume` starts watching again).
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_ms = 0
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self._filtering = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_timeout_ms(self, milliseconds: int) -> None:
        """Lock after this much idle time; 0 stops watching."""
        self.timeout_ms = max(0, milliseconds)
        self.resume()

    def pause(self) -> None:
        self._timer.stop()
        self._filter(False)

    def resume(self) -> None:
        """Start the idle time again from now (when a timeout is set)."""
        self._last = time.monotonic()
        # The filter sees every event of the application: installed only while it is needed.
        self._filter(self.timeout_ms > 0)
        if self.timeout_ms > 0:
            self._timer.start(self.timeout_ms)
        else:
            self._timer.stop()

    def _filter(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._filtering:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._filtering = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only a time stamp per event, to keep the cost of watching every event small.
        if event.type() in ACTIVITY:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        left = self.timeout_ms - int((time.monotonic() - self._last) * 1000)
        if left > 0:
            self._timer.start(left)
        else:
            self.idle.emit()


class AutoLock(QObject):
    """Locks and unlocks ``window`` (only while its program is encrypted)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = LockPanel()
        window.stack.addWidget(self.panel)
        self.panel.unlock_requested.connect(self.try_unlock)
        self.watcher = IdleWatcher(self)
        self.watcher.idle.connect(self.lock)
        self.locked = False
        self._covered: QWidget | None = None
        self._focus: QWidget | None = None
        self._title = ""
        self._disabled: list[QAction] = []
        self._hidden_bars: list[QToolBar] = []
        self._status_bar_shown = False
        window.installEventFilter(self)
        self.refresh()

    @property
    def available(self) -> bool:
        return self.window.ctx.db.encrypted

    def refresh(self) -> None:
        """Follow the program: encrypted or not, and the auto-lock minutes."""
        minutes = auto_lock_minutes(self.window.ctx.db) if self.available else 0
        self.watcher.set_timeout_ms(minutes * 60_000)
        action = getattr(self.window, "lock_action", None)
        if isinstance(action, QAction):
            action.setVisible(self.available)
            action.setEnabled(self.available and not self.locked)

    def lock(self) -> None:
        """Write the drafts, close dialogs and cover the window (nothing when not encrypted)."""
        if self.locked or not self.available:
            return
        window = self.window
        for page in window.pages.values():
            flush = getattr(page, "flush_draft", None)
            if callable(flush):
                flush()
        self._close_other_windows()
        self.locked = True
        self.watcher.pause()
        self._focus = QApplication.focusWidget()
        self._covered = window.stack.currentWidget()
        self._title = window.windowTitle()
        # "[*]" stays: Qt warns about setWindowModified on a title without it.
        window.setWindowTitle(f"{APP_NAME} (locked)[*]")
        # The counts, the data folder and any message (also ones sent while locked: "Saved
        # Zoë Müller") would show through: the whole status bar goes.
        status = window.statusBar()
        status.clearMessage()
        self._status_bar_shown = not status.isHidden()
        status.hide()
        self._hidden_bars = [bar for bar in window.findChildren(QToolBar) if bar.isVisible()]
        for bar in self._hidden_bars:
            bar.hide()
        self._disabled = [
            action
            for action in window.findChildren(QAction)
            if action.isEnabled() and action.parent() is not self.panel
        ]
        for action in self._disabled:
            action.setEnabled(False)
        self.panel.reset()
        window.stack.setCurrentWidget(self.panel)
        self.panel.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self, passphrase: str) -> bool:
        """Unlock when ``passphrase`` opens the database; say why not otherwise."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # scrypt takes a moment
        try:
            check_passphrase(self.window.ctx.paths, passphrase)
        except UserError as exc:
            self.panel.show_problem(str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.unlock()
        return True

    def unlock(self) -> None:
        """Put the window back exactly as it was locked."""
        if not self.locked:
            return
        window = self.window
        self.panel.reset()
        for action in self._disabled:
            action.setEnabled(True)
        for bar in self._hidden_bars:
            bar.show()
        if self._status_bar_shown:
            window.statusBar().show()
        window.stack.setCurrentWidget(self._covered or window.tabs)
        window.setWindowTitle(self._title)
        self.locked = False
        self._disabled, self._hidden_bars, self._covered = [], [], None
        if self._focus is not None and self._focus.isVisible():
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        self.watcher.resume()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Closing would ask about unsaved edits, naming what they are: unlock first.
        if watched is self.window and event.type() == QEvent.Type.Close and self.locked:
            event.ignore()
            self.panel.show_problem("Unlock first to close; your unsaved edits need a decision.")
            return True
        return False

    def _close_other_windows(self) -> None:
        """Close dialogs, menus and popups: they may show a mentee's details."""
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible():
                continue
            widget.close()  # a message box closes on its escape button (Cancel)
            if widget.isVisible():
                widget.hide()
