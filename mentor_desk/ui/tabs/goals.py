"""The Goals tab (a placeholder until its real implementation replaces this module)."""

from __future__ import annotations

from mentor_desk.ui.tabs.placeholder import ComingSoonTab


class GoalsTab(ComingSoonTab):
    key = "goals"
    title = "Goals"
    opens = frozenset({"goal"})
    new_label = "New &goal"
    blurb = (
        "Goals with milestones and check-ins, progress over time as a chart, and skill "
        "assessments compared before and after."
    )
