"""Where the window keeps its own state: geometry, last tab, splitters and column widths.

Program data lives in the database; this file holds only how the window looks. It is an INI file
in platformdirs' config folder, given to :class:`QSettings` by path. Qt's own default location is
worked out once per process and then cached, so a test (or ``XDG_CONFIG_HOME`` set later) would
not move it; by path, each call follows the environment of the moment.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QByteArray, QSettings

from mentor_desk.paths import config_dir, make_private_dir

SETTINGS_FILE = "window.ini"


def open_ui_settings() -> QSettings:
    """The window settings for this user (the folder is created if missing)."""
    folder = config_dir()
    make_private_dir(folder)
    return QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)


class _HasState(Protocol):
    def saveState(self) -> QByteArray: ...
    def restoreState(self, state: QByteArray | bytes) -> bool: ...


def remember_state(settings: QSettings, key: str, widget: _HasState) -> None:
    """Store a splitter's or header's state (sizes, column widths, sort order) under ``key``."""
    settings.setValue(key, widget.saveState())


def restore_state(settings: QSettings, key: str, widget: _HasState) -> bool:
    """Put back what :func:`remember_state` stored; False when there was nothing (or junk)."""
    state = settings.value(key)
    if isinstance(state, QByteArray) and not state.isEmpty():
        return bool(widget.restoreState(state))
    return False
