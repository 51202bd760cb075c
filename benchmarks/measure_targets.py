"""The targets of issue 6 (set for the large program on a 2-core machine), as checks.

Interactive steps are judged on their p95 ("under 100 ms each" means nearly every time, not
half the time); search on its median and p95; the long jobs on their median. A relative target
compares medians with the baseline measured in the same run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.measure_common import Measurement

INTERACTIVE_MS = 100.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """One target: the line it judges, what it asks, whether it was met and by what figures."""

    key: str
    target: str
    passed: bool
    detail: str


def judge(measurements: Sequence[Measurement]) -> list[Verdict]:
    """A verdict for every measurement that has a target (its baseline measured alongside)."""
    by_key = {m.key: m for m in measurements}
    verdicts: list[Verdict] = []

    def ratio(key: str, base: str) -> float | None:
        if key in by_key and base in by_key and by_key[base].median > 0:
            return by_key[key].median / by_key[base].median
        return None

    for m in measurements:
        key = m.key
        if key == "startup.cold":
            times = ratio(key, "startup.bare")
            ok = m.median < 1.5 and (times is None or times <= 2.0)
            verdicts.append(Verdict(key, "< 1.5 s, <= 2x bare", ok, _times(m.median, "s", times)))
        elif key.startswith(("window.tab_", "window.switch_", "window.open_")):
            ok = m.p95 < INTERACTIVE_MS
            verdicts.append(Verdict(key, "p95 < 100 ms", ok, f"p95 {m.p95:.0f} ms"))
        elif key == "window.scroll_worst":
            ok = m.worst < INTERACTIVE_MS
            verdicts.append(Verdict(key, "every step < 100 ms", ok, f"worst {m.worst:.0f} ms"))
        elif key == "window.peak_rss":
            verdicts.append(Verdict(key, "< 400 MB", m.worst < 400, f"{m.worst:.0f} MB"))
        elif key == "search.service":
            times = ratio(key, "search.raw")
            ranked = bool(m.facts.get("ranked_with_snippets", False))
            ok = m.median < 30 and m.p95 < 100 and (times is None or times <= 3.0) and ranked
            detail = _times(m.median, "ms", times) + ("" if ranked else "; NOT ranked/snippets")
            verdicts.append(Verdict(key, "med < 30, p95 < 100, <= 3x raw", ok, detail))
        elif key == "reports.dossier":
            verdicts.append(Verdict(key, "< 5 s", m.median < 5, f"{m.median:.1f} s"))
        elif key == "reports.dossier_per_page":
            times = ratio(key, "reports.dossier_plain_per_page")
            ok = times is None or times <= 1.5
            verdicts.append(Verdict(key, "<= 1.5x plain", ok, _times(m.median, "ms", times)))
        elif key == "reports.packets":
            verdicts.append(_packets(m))
        elif key == "interchange.export":
            verdicts.append(Verdict(key, "< 15 s", m.median < 15, f"{m.median:.1f} s"))
        elif key == "interchange.import":
            verdicts.append(Verdict(key, "< 30 s", m.median < 30, f"{m.median:.1f} s"))
    return verdicts


def _packets(m: Measurement) -> Verdict:
    """Under 90 s, with progress reported and a cancel that stops it."""
    cancel = m.facts.get("cancel_s")
    first = m.facts.get("first_progress_s")
    ok = m.median < 90 and cancel is not None and first is not None and first > 0
    detail = f"{m.median:.1f} s; first progress after {first} s; cancel took {cancel} s"
    return Verdict(m.key, "< 90 s, progress, cancel", ok, detail)


def _times(value: float, unit: str, times: float | None) -> str:
    shown = f"{value:.2f} {unit}" if unit == "s" else f"{value:.1f} {unit}"
    return shown if times is None else f"{shown} = {times:.2f}x baseline"
