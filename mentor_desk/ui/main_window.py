"""The main window: tabs, menus, the toolbar (mentee picker and search), the status bar.

The window owns the :class:`AppContext` its tabs share, routes navigation requests to the tab that
opens each kind of item, keeps the menus in step with the current tab, and remembers its geometry
and each tab's state in :class:`QSettings`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QWidget,
)

from mentor_desk import APP_NAME, __version__
from mentor_desk.paths import DataPaths
from mentor_desk.services.demo import DemoSummary, is_empty, load_demo
from mentor_desk.services.mentees import count_mentees
from mentor_desk.services.sessions import count_sessions
from mentor_desk.services.types import Database
from mentor_desk.ui.autolock import AutoLock
from mentor_desk.ui.context import AppContext, EventBus, MenteeSelector
from mentor_desk.ui.dialogs.export_actions import ExportActions
from mentor_desk.ui.dialogs.prompts import show_failure, show_info
from mentor_desk.ui.dialogs.trash import TrashActions
from mentor_desk.ui.draft_recovery import DraftRecovery
from mentor_desk.ui.style import named
from mentor_desk.ui.tabs import TAB_CLASSES, Command, TabPage
from mentor_desk.ui.tasks import Task, run_in_background, wait_for_background_work
from mentor_desk.ui.widgets.mentee_picker import MenteePicker
from mentor_desk.ui.widgets.search_box import GlobalSearchBox
from mentor_desk.ui.widgets.welcome import WelcomePanel

STATUS_MESSAGE_MS = 6000
LAST_TAB = "window/last_tab"
GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"


class MainWindow(QMainWindow):
    """The Mentor Desk window over one program.

    Args:
        db: the open program.
        paths: its data folder (shown in the status bar and the About box).
        settings: where the window keeps its state.
        welcome: show the welcome panel first; None shows it when the program is empty.
    """

    def __init__(
        self,
        db: Database,
        paths: DataPaths,
        settings: QSettings,
        *,
        welcome: bool | None = None,
    ) -> None:
        super().__init__()
        self.ctx = AppContext(db, paths, EventBus(self), MenteeSelector(self), settings)
        self.setWindowTitle(f"{APP_NAME}[*]")
        named(self, APP_NAME)
        self.demo_task: Task | None = None
        self._switching = False
        # Built top to bottom (toolbar, tabs, status bar): creation order is the Tab order.
        self._build_toolbar()
        self.tabs = QTabWidget()
        named(self.tabs, "Sections")
        self.pages: dict[str, TabPage] = {}
        for tab_class in TAB_CLASSES:
            page = tab_class(self.ctx)
            self.pages[page.key] = page
            self.tabs.addTab(page, page.title)
            page.commands_changed.connect(self._update_actions)
        self.welcome = WelcomePanel(paths.root)
        self.welcome.add_first_mentee.connect(self._start_with_mentee)
        self.welcome.load_demo.connect(self.load_demo)
        self.welcome.skip.connect(lambda: self.show_tabs("overview"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self._build_status_bar()
        self.autolock = AutoLock(self)  # after the menus: it shows "Lock now" when encrypted
        self.ctx.bus.navigate_requested.connect(self.navigate)
        self.ctx.bus.status_message.connect(self._show_message)
        self.ctx.bus.data_changed.connect(lambda _what: self._counts_timer.start())
        self.restore_settings()
        self._current_index = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)
        if welcome is None:
            welcome = is_empty(db)
        self.stack.setCurrentWidget(self.welcome if welcome else self.tabs)
        self._update_actions()
        self._update_counts()
        # Unsaved drafts of every tab are offered in one question once the window is up.
        self.draft_recovery = DraftRecovery(self)

    # --- building ---------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        named(bar, "Main toolbar")
        self.addToolBar(bar)
        label = QLabel("&Mentee: ")
        self.picker = MenteePicker(self.ctx)
        label.setBuddy(self.picker)
        bar.addWidget(label)
        bar.addWidget(self.picker)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.search_box = GlobalSearchBox(self.ctx.db, self)
        self.search_box.result_chosen.connect(self.navigate)
        bar.addWidget(self.search_box)

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self.new_action = self._action("&New", lambda: self._run(Command.NEW), "Ctrl+N")
        self.save_action = self._action("&Save", lambda: self._run(Command.SAVE), "Ctrl+S")
        self.revert_action = self._action("Re&vert changes", lambda: self._run(Command.REVERT))
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addActions([self.new_action, self.save_action, self.revert_action])
        file_menu.addSeparator()
        self.export_actions = ExportActions(self, self.ctx)
        file_menu.addActions(self.export_actions.actions)
        self.export_actions.watch(file_menu)
        file_menu.addSeparator()
        self.backups_action = self._action("&Backups…", self.show_backups)
        file_menu.addAction(self.backups_action)
        self.import_action = self._action("&Import…", self.show_import)
        self.encryption_action = self._action("En&cryption…", self.show_encryption)
        self.lock_action = self._action("&Lock now", lambda: self.autolock.lock(), "Ctrl+L")
        file_menu.addActions([self.import_action, self.encryption_action, self.lock_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = menus.addMenu("&Edit")
        self.trash_actions = TrashActions(self, self.ctx)
        edit_menu.addActions(self.trash_actions.actions)
        edit_menu.addSeparator()
        self.delete_action = self._action("&Delete…", lambda: self._run(Command.DELETE))
        self.find_action = self._action("&Find…", self.focus_search, "Ctrl+F")
        self.templates_action = self._action("Session &types and templates…", self._edit_templates)
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.templates_action)

        view_menu = menus.addMenu("&View")
        self.tab_actions: list[QAction] = []
        for number, page in enumerate(self.pages.values(), start=1):
            action = self._action(
                page.title, lambda key=page.key: self.show_tab(key), f"Ctrl+{number}"
            )
            view_menu.addAction(action)
            self.tab_actions.append(action)
        view_menu.addSeparator()
        self.refresh_action = self._action("&Refresh", lambda: self.ctx.bus.changed("all"), "F5")
        view_menu.addAction(self.refresh_action)

        help_menu = menus.addMenu("&Help")
        self.guide_action = self._action("&User Guide", self.show_guide, "F1")
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addActions([self.guide_action, self.about_action])

    def show_guide(self) -> None:
        """Help > User Guide (F1): the guide shipped with the app, offline, beside the window."""
        from mentor_desk.ui.dialogs.guide import show_guide

        show_guide(self)

    def show_backups(self) -> None:
        """File > Backups…: list, back up now, restore (every tab reloads after a restore)."""
        from mentor_desk.ui.dialogs.backups import BackupsDialog

        def can_leave() -> bool:
            return all(page.confirm_leave() for page in self.pages.values())

        dialog = BackupsDialog(self, self.ctx, can_leave=can_leave)
        dialog.exec()
        dialog.deleteLater()

    def show_import(self) -> None:
        """File > Import…: a JSON export merged in (tabs reload afterwards)."""
        from mentor_desk.ui.dialogs.import_file import import_into

        import_into(self, self.ctx, lambda: all(p.confirm_leave() for p in self.pages.values()))

    def show_encryption(self) -> None:
        """File > Encryption…: encrypt, change the passphrase or decrypt; auto-lock minutes."""
        from mentor_desk.ui.dialogs.encryption import edit_encryption

        edit_encryption(self, self.ctx, self.autolock.refresh)

    def _edit_templates(self) -> None:
        sessions = self.page("sessions")
        editor = getattr(sessions, "edit_templates", None)
        if editor is not None:
            editor()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.folder_label = named(QLabel(), "Data folder")
        self.folder_label.setText(f"Data: {self.ctx.paths.root}")
        self.folder_label.setToolTip(str(self.ctx.paths.database))
        self.counts_label = named(QLabel(), "Item counts")
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.folder_label)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self._counts_timer.timeout.connect(self._update_counts)

    # --- tabs and navigation ----------------------------------------------------------------

    def page(self, key: str) -> TabPage:
        return self.pages[key]

    def current_page(self) -> TabPage:
        page = self.tabs.currentWidget()
        assert isinstance(page, TabPage)
        return page

    def show_tabs(self, key: str | None = None) -> None:
        """Leave the welcome panel for the tabs (``key``: the one to show)."""
        self.stack.setCurrentWidget(self.tabs)
        if key is not None:
            self.show_tab(key)

    def show_tab(self, key: str) -> bool:
        """Switch to a tab; False when the current one kept the user (unsaved edits)."""
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(self.pages[key])
        self._update_actions()
        return self.current_page() is self.pages[key]

    def _tab_changed(self, index: int) -> None:
        if self._switching:
            return
        previous = self.tabs.widget(self._current_index)
        if isinstance(previous, TabPage) and not previous.confirm_leave():
            self._switching = True
            self.tabs.setCurrentIndex(self._current_index)
            self._switching = False
            return
        self._current_index = index
        self._update_actions()

    def navigate(self, kind: str, item_id: int, mentee_id: int) -> None:
        """Show an item: switch to the tab that opens ``kind``, focus the mentee, open it."""
        page = next((p for p in self.pages.values() if kind in p.opens), None)
        if page is None or not self.show_tab(page.key):
            return
        if not self.ctx.selector.choose(mentee_id):
            return
        page.open_item(kind, item_id)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- commands ---------------------------------------------------------------------------

    def _run(self, command: Command) -> None:
        if self.stack.currentWidget() is self.welcome and command is Command.NEW:
            self._start_with_mentee()
            return
        page = self.current_page()
        if page.supports(command):
            page.run_command(command)

    def _update_actions(self) -> None:
        page = self.current_page()
        on_tabs = self.stack.currentWidget() is self.tabs
        self.new_action.setText(page.new_label)
        self.new_action.setEnabled(page.supports(Command.NEW) or not on_tabs)
        self.save_action.setEnabled(page.supports(Command.SAVE))
        self.revert_action.setEnabled(page.supports(Command.REVERT))
        self.delete_action.setEnabled(page.supports(Command.DELETE))
        self.setWindowModified(any(p.is_dirty() for p in self.pages.values()))

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def _update_counts(self) -> None:
        mentees = count_mentees(self.ctx.db, status="all")
        sessions = count_sessions(self.ctx.db)
        self.counts_label.setText(
            f"{mentees} mentee{'s' * (mentees != 1)} · {sessions} session{'s' * (sessions != 1)}"
        )

    # --- the welcome panel ------------------------------------------------------------------

    def _start_with_mentee(self) -> None:
        if self.show_tab("mentees"):
            self.current_page().run_command(Command.NEW)

    def load_demo(self) -> None:
        """Fill the (empty) program with the demo, off the GUI thread."""
        db = self.ctx.db
        self.welcome.set_busy(True, "Loading the demo program…")
        self.demo_task = run_in_background(
            lambda: load_demo(db), on_finished=self._demo_loaded, on_failed=self._demo_failed
        )

    def _demo_loaded(self, summary: DemoSummary) -> None:
        self.welcome.set_busy(False)
        self.ctx.bus.changed("all")
        self.show_tabs("overview")
        self._show_message(
            f"Loaded the demo program: {summary.mentees} mentees, {summary.sessions} sessions, "
            f"{summary.goals} goals."
        )

    def _demo_failed(self, error: BaseException) -> None:
        self.welcome.set_busy(False)
        show_failure(self, error, "Could not load the demo program")

    # --- about, settings, closing -----------------------------------------------------------

    def show_about(self) -> None:
        from mentor_desk.cli import version_text  # the same lines as `mentor-desk --version`

        show_info(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\nPrivate, offline notes for mentors and LMP sponsors.",
            f"{version_text(self.ctx.paths.root)}\n"
            f"Database: {self.ctx.paths.database.name}\n"
            f"Logs: {self.ctx.paths.logs}",
        )

    def restore_settings(self) -> None:
        settings = self.ctx.settings
        geometry = settings.value(GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = settings.value(WINDOW_STATE)
        if state is not None:
            self.restoreState(state)
        for key, page in self.pages.items():
            settings.beginGroup(f"tab_{key}")
            page.restore_state(settings)
            settings.endGroup()
        last = settings.value(LAST_TAB)
        if isinstance(last, str) and last in self.pages:
            self.tabs.setCurrentWidget(self.pages[last])

    def save_settings(self) -> None:
        settings = self.ctx.settings
        settings.setValue(GEOMETRY, self.saveGeometry())
        settings.setValue(WINDOW_STATE, self.saveState())
        settings.setValue(LAST_TAB, self.current_page().key)
        for key, page in self.pages.items():
            settings.beginGroup(f"tab_{key}")
            page.save_state(settings)
            settings.endGroup()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        current = self.current_page()
        others = [page for page in self.pages.values() if page is not current]
        if not all(page.confirm_leave() for page in (current, *others)):
            event.ignore()
            return
        if self.demo_task is not None and self.demo_task.running:
            wait_for_background_work()  # the program closes right after the window
        self.save_settings()
        event.accept()
