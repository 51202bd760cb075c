"""Starting the window: the composition root of the GUI.

:func:`run_app` makes the QApplication, registers the bundled fonts, sets up the log and the
crash dialog, takes the data folder's lock, opens (and migrates) the program and shows the
:class:`MainWindow`. :func:`create_main_window` is the part tests and the screenshot script use.
Nothing happens at import time.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    QThreadPool,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from mentor_desk import APP_ID, APP_NAME, __version__
from mentor_desk.errors import DatabaseLockedError, UserError
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import (
    DataPaths,
    data_paths,
    make_private_dir,
    make_private_file,
    resource_path,
)
from mentor_desk.services.program import (
    DamagedDatabaseError,
    close_program,
    install_backup,
    open_program,
    program_is_encrypted,
)
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.passphrase import ask_passphrase
from mentor_desk.ui.dialogs.prompts import show_crash, show_error
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.settings import open_ui_settings

LOG_FILE = "mentor-desk.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
# The reverse-DNS id of packaging/linux/*.desktop and the AppStream metainfo.
DESKTOP_ID = "io.github.mentordesk.MentorDesk"
# Set to a number of milliseconds: the window closes itself that long after it is shown.
SMOKE_EXIT_ENV = "MENTOR_DESK_SMOKE_EXIT"
log = logging.getLogger("mentor_desk")

# Families registered from resources/fonts, once per process (None: not yet).
_font_families: list[str] | None = None


def run_app(data_dir: str | None) -> int:
    """Open the window on the program in ``data_dir`` (default folder if None); exit code."""
    # What is imported by now (SQLAlchemy, Qt, the models: ~85,000 objects) lives as long as the
    # process. Freezing it keeps the cycle collector from walking it again in every full pass
    # while the window is built and filled (~0.1 s a pass; the Overview alone set off one).
    gc.freeze()
    # argparse has read the command line already; Qt gets only the program name.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    # Wayland and the Linux docks match the window to the installed .desktop file by this id.
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    register_fonts()
    paths = data_paths(data_dir)
    try:
        paths.ensure()
    except OSError as exc:
        show_error(None, UserError(f"The data folder {paths.root} cannot be created ({exc})."))
        return 1
    log_file = setup_logging(paths)
    install_excepthook(log_file)
    previous_handler = qInstallMessageHandler(_qt_message)
    log.info("%s %s starting on %s", APP_NAME, __version__, paths.root)
    try:
        return _run_locked(app, paths)
    finally:
        qInstallMessageHandler(previous_handler)


def _run_locked(app: QApplication, paths: DataPaths) -> int:
    """Take the data folder's lock, open the program and run the window."""
    lock = DataFolderLock(paths, "the window")
    try:
        lock.acquire()
    except DatabaseLockedError as exc:
        show_error(None, exc, "Already open")
        return 1
    try:
        db = _open_or_recover(paths)
        if db is None:
            return 1
        clean = False
        try:
            window = create_main_window(db, paths)
            gc.freeze()  # the window's widgets and wrappers too: they live until it closes
            start_automatic_backups(window, db)
            window.show()
            smoke_exit = os.environ.get(SMOKE_EXIT_ENV, "")
            if smoke_exit:
                # packaging/smoke_test.sh: show the window, then close it as a user would.
                QTimer.singleShot(int(smoke_exit) if smoke_exit.isdigit() else 1500, window.close)
            code = app.exec()
            clean = True  # a normal end: the next start may skip the full damage check
            return code
        finally:
            close_program(db, clean=clean)
    finally:
        lock.release()


def _open_or_recover(paths: DataPaths) -> Database | None:
    """Open the program; after a damaged file was moved aside, let the user choose what next."""
    typed: dict[str, str] = {}

    def unlock(phrase: str) -> Database | DamagedDatabaseError:
        typed["passphrase"] = phrase  # a restored encrypted backup opens with it too
        try:
            return open_program(paths, passphrase=phrase)
        except DamagedDatabaseError as damaged:
            return damaged  # not a wrong passphrase: close the dialog and ask what to do

    try:
        if program_is_encrypted(paths):  # Cancel in the passphrase dialog quits
            opened = ask_passphrase(unlock)
            if isinstance(opened, DamagedDatabaseError):
                raise opened
            return opened
        return open_program(paths)
    except DamagedDatabaseError as exc:
        log.warning("Damaged database moved aside: %s", exc)
        choice = _ask_about_damage(exc)
        if choice is None:
            return None
        try:
            passphrase = typed.get("passphrase")
            if choice == RESTORE_NEWEST and exc.newest_backup is not None:
                install_backup(paths, exc.newest_backup, passphrase)
            return _open_after_damage(paths, passphrase)
        except UserError as again:
            log.warning("Could not open the program after the damage: %s", again)
            show_error(None, again, "Could not open your program")
            return None
    except UserError as exc:
        log.warning("Could not open the program: %s", exc)
        show_error(None, exc, "Could not open your program")
        return None


def _open_after_damage(paths: DataPaths, passphrase: str | None) -> Database | None:
    """The restored backup (or a new empty program); an encrypted backup made under another
    passphrase than the one typed is asked for (None: the user cancelled)."""
    if not program_is_encrypted(paths):
        return open_program(paths)
    if passphrase is not None:
        with contextlib.suppress(UserError):
            return open_program(paths, passphrase=passphrase)
    message = (
        "The backup was encrypted with another passphrase. Enter that one."
        if passphrase is not None
        else "The backup you restored is encrypted. Enter its passphrase."
    )
    return ask_passphrase(lambda phrase: open_program(paths, passphrase=phrase), message=message)


RESTORE_NEWEST = "Restore newest backup"
START_EMPTY = "Start with an empty database"


def _ask_about_damage(error: DamagedDatabaseError) -> str | None:
    """Restore the newest good backup, start empty, or quit (None)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Your database is damaged", "")
    box.setText(
        f"The database file was damaged ({error.reason}). It was moved aside, unchanged, to "
        f"{error.moved_to}."
    )
    if error.newest_backup is not None:
        box.setInformativeText(
            f"You can restore the newest good backup, {error.newest_backup.name}, start with an "
            "empty database, or quit."
        )
        restore = box.addButton(RESTORE_NEWEST, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
    else:
        box.setInformativeText("There is no good backup. Start with an empty database, or quit.")
    box.addButton(START_EMPTY, QMessageBox.ButtonRole.DestructiveRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is None or clicked is quit_button:
        return None
    return clicked.text()


BACKUP_INTERVAL_SETTING = "backup_interval_minutes"
DEFAULT_BACKUP_MINUTES = 30
BACKUP_QUIT_WAIT_SECONDS = 300
STARTUP_BACKUP_DELAY_MS = 2000


def start_automatic_backups(window: MainWindow, db: Database) -> QTimer:
    """Back up once the window is up (skipped when identical to the newest backup), then every
    N minutes.

    The start-up backup waits :data:`STARTUP_BACKUP_DELAY_MS`, so a copy of a big program does
    not compete with the first paint; quitting before then makes it at once, so every session
    still begins with its state backed up. N is the program setting ``backup_interval_minutes``
    (default 30; 0 turns the timer off).
    A tick that finds nothing changed since the newest backup writes nothing. Each backup runs
    on a worker thread (a big program would freeze the window for seconds), one at a time, on
    connections that thread opens itself; it writes a temporary file renamed only when complete,
    and quitting waits for it. A failed backup is logged and shown in the status bar; it never
    stops the user's work.
    """
    from shiboken6 import isValid

    from mentor_desk.services.backups import backup_before
    from mentor_desk.services.settings import get_setting
    from mentor_desk.ui.tasks import run_in_background

    idle = threading.Event()  # set while no backup runs
    idle.set()

    def work(reason: str) -> None:
        try:
            backup_before(db, reason)
        finally:
            idle.set()

    def failed(reason: str, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            log.warning("Automatic backup (%s) failed: %s", reason, exc)
        else:
            log.error("Automatic backup (%s) failed", reason, exc_info=exc)
        if isValid(window):  # the window may have closed while the backup ran
            window.statusBar().showMessage(f"Automatic backup failed: {exc}", 15_000)

    def tick(reason: str) -> None:
        if not idle.is_set():
            return  # the backup still running will hold the newest state
        idle.clear()
        run_in_background(lambda: work(reason), on_failed=lambda exc: failed(reason, exc))

    startup = QTimer(window)
    startup.setObjectName("startup_backup")
    startup.setSingleShot(True)
    startup.timeout.connect(lambda: tick("startup"))
    startup.start(STARTUP_BACKUP_DELAY_MS)

    def startup_before_quitting() -> None:
        if not isValid(startup) or not startup.isActive():
            return  # made already (or the window is gone with its timer)
        startup.stop()
        try:  # the event loop has ended: no worker to report back, so here and now
            backup_before(db, "startup")
        except Exception as exc:  # logged: quitting must go on
            log.error("Automatic backup (startup) failed", exc_info=exc)

    try:
        minutes = int(get_setting(db, BACKUP_INTERVAL_SETTING, str(DEFAULT_BACKUP_MINUTES)))
    except ValueError:
        minutes = DEFAULT_BACKUP_MINUTES
    timer = QTimer(window)
    timer.setObjectName("automatic_backups")
    timer.timeout.connect(lambda: tick("timer"))
    if minutes > 0:
        timer.start(minutes * 60_000)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(startup_before_quitting)
        # The program closes (and the lock goes) only once the running backup is complete.
        # Waiting for the pool, not for ``idle``: the worker still emits its result after the
        # backup, and that emit racing the application's teardown crashed the process.
        app.aboutToQuit.connect(
            lambda: QThreadPool.globalInstance().waitForDone(BACKUP_QUIT_WAIT_SECONDS * 1000)
        )
    return timer


def create_main_window(
    db: Database,
    paths: DataPaths,
    *,
    settings: QSettings | None = None,
    welcome: bool | None = None,
) -> MainWindow:
    """The main window over an open program (a QApplication must exist).

    Args:
        settings: where the window keeps its state; by default the user's window settings.
        welcome: show the welcome panel first; None shows it when the program is empty.
    """
    register_fonts()
    return MainWindow(db, paths, settings or open_ui_settings(), welcome=welcome)


def register_fonts() -> list[str]:
    """Make the bundled fonts available to Qt (DroidSansFallback covers Chinese); once."""
    global _font_families
    if _font_families is None:
        families: list[str] = []
        for font in sorted(resource_path("fonts").glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(font))
            if font_id < 0:
                log.warning("Could not load the bundled font %s", font.name)
                continue
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
        _font_families = sorted(set(families))
    return list(_font_families)


def app_icon() -> QIcon:
    """The application icon: every bundled PNG size, so each place picks a sharp one."""
    icon = QIcon()
    for png in sorted(resource_path("icons").glob("mentor-desk-*.png")):
        icon.addFile(str(png))
    return icon


def setup_logging(paths: DataPaths) -> Path:
    """Log to ``logs/mentor-desk.log`` in the data folder (rotated); returns the file."""
    make_private_dir(paths.logs)
    log_file = paths.logs / LOG_FILE
    already = any(
        isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == log_file
        for h in log.handlers
    )
    if not already:
        handler = RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        make_private_file(log_file)
    return log_file


def install_excepthook(log_file: Path) -> None:
    """Log every uncaught exception with its traceback and tell the user where the log is.

    A :class:`UserError` that escaped a handler is shown as the plain message it is.
    """
    showing = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        if isinstance(error, UserError):
            log.warning("Unhandled user error: %s", error)
        else:
            log.error("Unexpected error", exc_info=(kind, error, trace))
        # No second dialog while one is open, and none without an application.
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            if isinstance(error, UserError):
                show_error(QApplication.activeWindow(), error)
            else:
                show_crash(QApplication.activeWindow(), error, log_file)
        finally:
            showing = False

    sys.excepthook = hook


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log instead of a terminal the user never sees."""
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(kind, logging.ERROR)
    logging.getLogger("mentor_desk.qt").log(level, "%s", message)
