"""What every tab of the main window is: a :class:`TabPage`.

A tab declares its ``key`` (settings, routing), its ``title``, and the kinds of item it ``opens``
(the main window routes search hits and Overview lines by that). It reloads itself after any
change on the event bus: at once when it is on screen, otherwise when it is next shown, so hidden
tabs cost nothing. The File and Edit menus act on the current tab through :meth:`supports` and
:meth:`run_command`; unsaved edits are guarded by :meth:`confirm_leave`.

To add a tab: subclass :class:`TabPage`, implement :meth:`refresh` (and :meth:`open_item` if it
opens items), list its commands in :meth:`command_actions` (or override :meth:`supports` and
:meth:`run_command` when they depend on more than unsaved edits), and list the class in
:data:`mentor_desk.ui.tabs.TAB_CLASSES`. Save/Discard/Cancel questions go through
:func:`mentor_desk.ui.dialogs.prompts.resolve_unsaved`, saving a form through
:func:`~mentor_desk.ui.dialogs.prompts.attempt_save`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import ClassVar

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from mentor_desk.ui.context import AppContext


class Command(StrEnum):
    """What the File and Edit menus can ask of the current tab."""

    NEW = "new"
    SAVE = "save"
    REVERT = "revert"
    DELETE = "delete"


class TabPage(QWidget):
    """Base class of the tabs.

    Signals:
        commands_changed(): what :meth:`supports` or :meth:`is_dirty` answers may have changed.
    """

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: Item kinds (see :data:`mentor_desk.ui.context.ITEM_KINDS`) this tab can open.
    opens: ClassVar[frozenset[str]] = frozenset()
    #: What File > New says on this tab.
    new_label: ClassVar[str] = "&New"

    commands_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.title)
        self._stale = True
        # A child timer coalesces a burst of changes into one reload, after the change's own
        # handler has returned, and dies with the tab.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._reload_if_shown)
        ctx.bus.data_changed.connect(self._data_changed)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload what the tab shows from the services. Subclasses implement it."""

    def reload_now(self) -> None:
        self._stale = False
        self.refresh()

    def reload_when_shown(self) -> None:
        """Reload soon if on screen (once the current handler is done), else when next shown."""
        self._stale = True
        self._reload_timer.start()

    def _data_changed(self, _what: str) -> None:
        self.reload_when_shown()

    def _reload_if_shown(self) -> None:
        if self._stale and self.isVisible():
            self.reload_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload_now()

    # --- commands ---------------------------------------------------------------------------

    def command_actions(self) -> Mapping[Command, Callable[[], object]]:
        """What each menu command does on this tab; a command left out is never enabled.

        The default :meth:`supports` and :meth:`run_command` work from it, so a tab with one
        editor only lists its methods and says when Delete applies (:meth:`can_delete`).
        """
        return {}

    def can_delete(self) -> bool:
        """Whether Edit > Delete applies now (when :meth:`command_actions` offers it)."""
        return False

    def supports(self, command: Command) -> bool:
        """Whether the menu command applies here now (the menu item is enabled).

        By default: a command of :meth:`command_actions`; Save and Revert only with unsaved
        edits, Delete only when :meth:`can_delete` says so.
        """
        if command not in self.command_actions():
            return False
        if command in (Command.SAVE, Command.REVERT):
            return self.is_dirty()
        return command is not Command.DELETE or self.can_delete()

    def run_command(self, command: Command) -> None:
        """Carry out a menu command; only called when :meth:`supports` says yes."""
        self.command_actions()[command]()

    def is_dirty(self) -> bool:
        """Whether the tab holds edits that are not saved."""
        return False

    def confirm_leave(self) -> bool:
        """Called before the tab is left, the mentee changes or the window closes.

        A tab with unsaved edits asks to save, discard or cancel; False keeps the user here.
        """
        return True

    # --- navigation and state ---------------------------------------------------------------

    def open_item(self, kind: str, item_id: int) -> bool:
        """Show one item of a kind in :attr:`opens` (the mentee is already selected)."""
        return False

    def save_state(self, settings: QSettings) -> None:
        """Remember splitters, column widths...; ``settings`` is already in this tab's group."""

    def restore_state(self, settings: QSettings) -> None:
        """Put back what :meth:`save_state` remembered."""
