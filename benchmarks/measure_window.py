"""The window in use, in this process with ``QT_QPA_PLATFORM=offscreen``.

Every timing includes processing events until the window is idle again (paints and the zero-time
timers the tabs use to reload), so it is what a person waits for. Measured: building and showing
the window, each tab's first open (a fresh window per run) and re-open, switching the mentee in
focus to the one with the most sessions, scrolling that mentee's sessions end to end one page at a
time (the worst single step is what "never blocks" is judged on), and opening one session. The
peak memory of a window that has visited every tab is taken in a fresh process, so nothing this
process did before counts.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure_common import (
    Measurement,
    Subjects,
    in_fresh_process,
    peak_rss_mb,
    timed,
)

#: The tab the window opens on (its first open is part of showing the window).
START_TAB = "overview"
MAX_SCROLL_STEPS = 5000


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def settle() -> None:
    """Process events until two passes in a row find (almost) nothing to do."""
    app = _app()
    quiet = 0
    for _ in range(200):
        started = time.perf_counter()
        app.sendPostedEvents()
        app.processEvents()
        quiet = quiet + 1 if time.perf_counter() - started < 0.0005 else 0
        if quiet == 2:
            return


def settled_ms(action: Any) -> float:
    """Milliseconds ``action`` and the event processing it causes take."""
    return timed(lambda: (action(), settle()))[0] * 1000


class _Window:
    """A main window over the program, shown offscreen, with its own settings file."""

    def __init__(self, program: Path, scratch: Path) -> None:
        from PySide6.QtCore import QSettings

        from mentor_desk.app import create_main_window
        from mentor_desk.paths import data_paths
        from mentor_desk.services.program import open_program

        _app()
        self.paths = data_paths(program)
        self.db = open_program(self.paths)
        self.settings = QSettings(str(scratch / "window.ini"), QSettings.Format.IniFormat)
        self.settings.clear()  # no remembered tab, geometry or sort order
        self.create = lambda: create_main_window(
            self.db, self.paths, settings=self.settings, welcome=False
        )
        self.window: Any = None

    def show(self) -> float:
        """Build and show a new window; the milliseconds until it is idle."""

        def build() -> None:
            self.window = self.create()
            self.window.resize(1280, 800)
            self.window.show()

        return settled_ms(build)

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
            settle()
            self.settings.clear()

    def dispose(self) -> None:
        self.close()
        self.db.dispose()


def measure_window(
    program: Path, scratch: Path, subjects: Subjects, runs: int, reopens: int
) -> list[Measurement]:
    """Window timings on ``program`` (a scratch copy); see the module docstring."""
    bench = _Window(program, scratch)
    try:
        return _measure(bench, subjects, runs, reopens)
    finally:
        bench.dispose()


def _measure(bench: _Window, subjects: Subjects, runs: int, reopens: int) -> list[Measurement]:
    shows: list[float] = []
    first: dict[str, list[float]] = {}
    for _ in range(runs):
        shows.append(bench.show())
        for key in bench.window.pages:
            if key != START_TAB:
                first.setdefault(key, []).append(settled_ms(lambda k=key: bench.window.show_tab(k)))
        bench.close()
    bench.show()
    window = bench.window
    again: dict[str, list[float]] = {key: [] for key in window.pages}
    for _ in range(reopens):
        for key in window.pages:
            again[key].append(settled_ms(lambda k=key: window.show_tab(k)))
    results = [Measurement("window.show", "Build and show the window", tuple(shows), "ms")]
    results += [
        Measurement(f"window.tab_first.{key}", f"Open tab {key} (first time)", tuple(s), "ms")
        for key, s in first.items()
    ]
    results += [
        Measurement(f"window.tab_again.{key}", f"Open tab {key} (again)", tuple(s), "ms")
        for key, s in again.items()
    ]
    window.show_tab("sessions")
    settle()
    results.append(_switch_mentee(window, subjects, reopens))
    results.extend(_scroll(window, subjects))
    results.append(_open_session(window, reopens))
    return results


def _switch_mentee(window: Any, subjects: Subjects, runs: int) -> Measurement:
    """On the Sessions tab, from everyone's sessions to the busiest mentee's."""
    selector = window.ctx.selector
    samples = []
    for _ in range(runs):
        selector.choose(None)
        settle()
        samples.append(settled_ms(lambda: selector.choose(subjects.mentee_id)))
    return Measurement(
        "window.switch_mentee",
        "Switch mentee (Sessions tab)",
        tuple(samples),
        "ms",
        note=f"{subjects.mentee_sessions} sessions",
    )


def _scroll(window: Any, subjects: Subjects) -> list[Measurement]:
    """Scroll the busiest mentee's sessions from top to bottom, one page per step."""
    table = window.page("sessions").table
    model = window.page("sessions").model
    bar = table.verticalScrollBar()
    bar.setValue(0)
    settle()
    steps: list[float] = []
    while len(steps) < MAX_SCROLL_STEPS:
        if bar.value() >= bar.maximum() and not model.canFetchMore(model.index(-1, -1)):
            break
        steps.append(settled_ms(lambda: bar.setValue(bar.value() + bar.pageStep())))
    loaded = model.rowCount()
    facts = {"steps": len(steps), "rows_loaded": loaded, "sessions": subjects.mentee_sessions}
    note = f"{len(steps)} steps, {loaded} of {subjects.mentee_sessions} rows"
    return [
        Measurement("window.scroll_step", "Scroll sessions, one page", tuple(steps), "ms", note),
        Measurement(
            "window.scroll_worst",
            "  worst single scroll step",
            (max(steps, default=0.0),),
            "ms",
            facts=facts,
        ),
    ]


def _open_session(window: Any, runs: int) -> Measurement:
    """Choose rows of the loaded sessions list one after another (each opens in the editor)."""
    table = window.page("sessions").table
    count = table.model().rowCount()
    samples = []
    for run in range(runs):
        row = (run * 37) % max(count, 1)
        table.clearSelection()
        settle()
        samples.append(settled_ms(lambda r=row: table.selectRow(r)))
    return Measurement("window.open_session", "Open one session", tuple(samples), "ms")


# --- peak memory --------------------------------------------------------------------------------


def peak_rss_child(program: str, scratch: str, mentee_id: int) -> float:
    """In a fresh process: open the window, visit every tab for everyone and for the busiest
    mentee, scroll the sessions to the end; the process's peak RSS in MB."""
    bench = _Window(Path(program), Path(scratch))
    bench.show()
    window = bench.window
    for mentee in (None, mentee_id):
        window.ctx.selector.choose(mentee)
        for key in window.pages:
            window.show_tab(key)
            settle()
    window.show_tab("sessions")
    _scroll(window, _NO_SUBJECT)
    bench.dispose()
    return peak_rss_mb()


_NO_SUBJECT = Subjects(0, "", 0, None, "", 0, "", {})


def measure_peak_rss(program: Path, scratch: Path, subjects: Subjects) -> Measurement:
    """Peak RSS of a fresh window process that visited every tab (one run)."""
    mb = in_fresh_process(peak_rss_child, str(program), str(scratch), subjects.mentee_id)
    return Measurement("window.peak_rss", "Peak RSS, window after every tab", (mb,), "MB")
