"""Running slow work (loading the demo, exports, imports) off the GUI thread.

:func:`run_in_background` runs a plain function on Qt's global thread pool and reports back on
the GUI thread through the signals of the returned :class:`Task`. The function must not touch
widgets; services are fine (each unit of work opens its own connection on the worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

# Tasks still running, so Python does not collect them (and their signals) before they report.
_RUNNING: set[Task] = set()


class Task(QObject):
    """One piece of background work.

    Signals:
        finished(object): the function's return value.
        failed(object): the exception it raised, traceback attached. A :class:`UserError` is
            the user's to fix; anything else is a bug (see
            :func:`mentor_desk.ui.dialogs.prompts.show_failure`).
    """

    finished = Signal(object)
    failed = Signal(object)
    # Emitted on the worker thread. The Task lives on the GUI thread, so the connection to
    # _deliver is queued there, and the public signals and callbacks fire on the GUI thread
    # whatever kind of callable is connected to them.
    _outcome = Signal(bool, object)

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self._function = function
        self.running = True
        self._outcome.connect(self._deliver)

    def run(self) -> None:
        """The worker thread's part."""
        try:
            result = self._function()
        except Exception as exc:
            self._outcome.emit(False, exc)
        else:
            self._outcome.emit(True, result)

    def _deliver(self, ok: bool, value: object) -> None:
        self.running = False
        _RUNNING.discard(self)
        (self.finished if ok else self.failed).emit(value)


def run_in_background(
    function: Callable[[], Any],
    *,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
) -> Task:
    """Start ``function()`` on the thread pool; the callbacks run on the GUI thread."""
    task = Task(function)
    if on_finished is not None:
        task.finished.connect(on_finished)
    if on_failed is not None:
        task.failed.connect(on_failed)
    _RUNNING.add(task)
    QThreadPool.globalInstance().start(QRunnable.create(task.run))
    return task


def wait_for_background_work() -> None:
    """Block until every task has finished (before the program closes under them)."""
    QThreadPool.globalInstance().waitForDone()
