"""The child process of the cold-start benchmark: start, wait until painted and idle, report.

``python measure_startup_child.py app DIR`` starts Mentor Desk exactly as ``mentor-desk
--data-dir DIR`` does (through :func:`mentor_desk.cli.main`); ``python measure_startup_child.py
bare`` shows a bare QMainWindow with a QTabWidget, the baseline. Either prints ``READY <wall
clock>`` once the main window has painted and the event loop is about to wait for input, then
quits. The parent takes the time from before it spawned this process to that moment, so the
interpreter's start and every import count.

Only the standard library is imported at the top: the baseline must not pay for anything else.
"""

from __future__ import annotations

import sys
import time
from typing import Any


def _watch(window: Any) -> None:
    """Print READY when ``window`` has painted and the event loop is next idle, then quit."""
    from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class Watcher(QObject):
        def __init__(self) -> None:
            super().__init__(window)
            self.painted = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if not self.painted and event.type() == QEvent.Type.UpdateRequest:
                # The backing store is being painted and flushed: from here on the window is
                # on screen. Idle is the next time the loop is about to block.
                self.painted = True
                dispatcher = QAbstractEventDispatcher.instance()
                assert dispatcher is not None
                dispatcher.aboutToBlock.connect(self.idle)
            return False

        def idle(self) -> None:
            if self.painted:
                self.painted = False  # report once
                print(f"READY {time.time():.6f}", flush=True)
                QApplication.quit()

    watcher = Watcher()
    window.installEventFilter(watcher)


def run_app(data_dir: str) -> int:
    import mentor_desk.app as app_module

    original = app_module.create_main_window

    def create_and_watch(*args: Any, **kwargs: Any) -> Any:
        window = original(*args, **kwargs)
        _watch(window)
        return window

    # run_app looks the function up at call time, so the real start-up path is otherwise intact.
    app_module.create_main_window = create_and_watch
    from mentor_desk.cli import main

    return main(["--data-dir", data_dir])


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    for name in ("Overview", "Mentees", "Sessions", "Goals", "Evidence"):
        tabs.addTab(QLabel(name), name)
    window.setCentralWidget(tabs)
    window.resize(1200, 800)
    _watch(window)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app(sys.argv[2]) if sys.argv[1] == "app" else run_bare())
