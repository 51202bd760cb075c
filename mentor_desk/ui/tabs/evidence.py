"""The LMP Evidence tab (a placeholder until its real implementation replaces this module)."""

from __future__ import annotations

from mentor_desk.ui.tabs.placeholder import ComingSoonTab


class EvidenceTab(ComingSoonTab):
    key = "evidence"
    title = "LMP Evidence"
    opens = frozenset({"evidence", "lmp_record"})
    new_label = "New &evidence entry"
    blurb = (
        "The LMP record of each candidate: evidence entries by area, the coverage matrix with"
        " its gaps, SCPA updates, presentations and decisions."
    )
