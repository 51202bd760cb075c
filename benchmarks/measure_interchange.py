"""JSON export of the whole program, and its import into a new, empty program.

Each run happens in a fresh process (spawned), so its peak RSS is that of the operation alone.
The import goes into a new data folder in the scratch area, through the same services the
``mentor-desk export``/``import`` commands use.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.measure_common import Measurement, in_fresh_process, peak_rss_mb


def interchange_child(operation: str, program: str, path: str) -> tuple[float, float, int]:
    """In a fresh process: ``export`` ``program`` to the JSON file ``path``, or ``import`` that
    file into a new program in ``program``. Seconds, peak MB, and rows written or created."""
    from mentor_desk.services.interchange import export_json, import_json
    from mentor_desk.services.program import open_program

    db = open_program(program)
    try:
        started = time.perf_counter()
        if operation == "export":
            rows = export_json(db, path).total
        else:
            rows = import_json(db, path).created
        return time.perf_counter() - started, peak_rss_mb(), rows
    finally:
        db.dispose()


def measure_interchange(program: Path, scratch: Path, runs: int) -> list[Measurement]:
    """Export and import ``runs`` times each, every run in a fresh process."""
    target = scratch / "export.json"
    exports: list[tuple[float, float, int]] = []
    imports: list[tuple[float, float, int]] = []
    for run in range(runs):
        exports.append(in_fresh_process(interchange_child, "export", str(program), str(target)))
        fresh = str(scratch / f"import-{run}")
        imports.append(in_fresh_process(interchange_child, "import", fresh, str(target)))
    size_mb = target.stat().st_size / 1e6
    return [
        Measurement(
            "interchange.export",
            "JSON export, whole program",
            tuple(s for s, _, _ in exports),
            "s",
            f"{exports[0][2]:,} rows, {size_mb:,.0f} MB",
        ),
        Measurement("interchange.export_rss", "  peak RSS", tuple(m for _, m, _ in exports), "MB"),
        Measurement(
            "interchange.import",
            "JSON import into an empty program",
            tuple(s for s, _, _ in imports),
            "s",
            f"{imports[0][2]:,} rows created",
        ),
        Measurement("interchange.import_rss", "  peak RSS", tuple(m for _, m, _ in imports), "MB"),
    ]
