"""The Sessions tab (a placeholder until its real implementation replaces this module)."""

from __future__ import annotations

from mentor_desk.ui.tabs.placeholder import ComingSoonTab


class SessionsTab(ComingSoonTab):
    key = "sessions"
    title = "Sessions"
    opens = frozenset({"session", "feedback", "action_item"})
    new_label = "New &session"
    blurb = (
        "Session notes for each mentee: date, type, notes in Markdown from the templates, the"
        " goals they touched, and action items that carry forward until done."
    )
