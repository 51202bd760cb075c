"""One long job at a time (building, saving, printing a PDF) off the GUI thread, with progress and
a cancel flag the job polls.

The job gets two callables: ``progress(n)``, safe to call from the worker thread (the count
reaches the GUI thread through a queued signal), and ``cancel()``, true once the user pressed
Cancel. Results and errors come back on the GUI thread through
:func:`mentor_desk.ui.tasks.run_in_background`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from mentor_desk.ui.tasks import Task, run_in_background, wait_for_background_work

Work = Callable[[Callable[[int], None], Callable[[], bool]], Any]


class JobRunner(QObject):
    """Runs :data:`Work` in the background, one job at a time.

    Signals:
        started(str): a job began; what it does ("Building the preview").
        progressed(int): the job's count so far (pages laid out or printed).
        ended(): the job finished, failed or was cancelled (its callback runs right after).
    """

    started = Signal(str)
    progressed = Signal(int)
    ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._task: Task | None = None
        self.what = ""

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def start(
        self,
        what: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Start ``work(progress, cancel)``; ``on_done``/``on_failed`` run on the GUI thread."""
        if self.busy:
            raise RuntimeError("a job is already running")
        self._cancel = threading.Event()
        cancel = self._cancel.is_set
        self.what = what

        def finished(result: object) -> None:
            self.ended.emit()
            on_done(result)

        def failed(error: BaseException) -> None:
            self.ended.emit()
            on_failed(error)

        self._task = run_in_background(
            lambda: work(self.progressed.emit, cancel), on_finished=finished, on_failed=failed
        )
        self.started.emit(what)

    def cancel(self) -> None:
        """Ask the running job to stop at its next check."""
        self._cancel.set()

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def settle(self) -> None:
        """Cancel the running job and wait until it has reported (before closing)."""
        if not self.busy:
            return
        self.cancel()
        wait_for_background_work()
        while self.busy:  # its outcome is queued to this thread: let it arrive
            QCoreApplication.processEvents()
