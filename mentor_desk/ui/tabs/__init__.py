"""The tabs of the main window, one module each, in the order they appear."""

from __future__ import annotations

from mentor_desk.ui.tabs.base import Command, TabPage
from mentor_desk.ui.tabs.evidence import EvidenceTab
from mentor_desk.ui.tabs.goals import GoalsTab
from mentor_desk.ui.tabs.mentees import MenteesTab
from mentor_desk.ui.tabs.overview import OverviewTab
from mentor_desk.ui.tabs.sessions import SessionsTab

#: The tabs in order; View > (Ctrl+1...) follows it. Replace a placeholder class here or in its
#: module when its real tab arrives.
TAB_CLASSES: tuple[type[TabPage], ...] = (
    OverviewTab,
    MenteesTab,
    SessionsTab,
    GoalsTab,
    EvidenceTab,
)

__all__ = ["TAB_CLASSES", "Command", "TabPage"]
