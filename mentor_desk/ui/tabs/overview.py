"""The Overview tab: what needs the mentor today, grouped, each line one click from its item."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.attention import (
    Attention,
    DueMentee,
    GoalAtRisk,
    LmpAttention,
    OverdueAction,
    attention,
)
from mentor_desk.services.mentees import MenteeRow
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.style import OVERDUE_TINT, STALLED_TINT, bold, heading, named
from mentor_desk.ui.tabs.base import TabPage

#: Where a line leads: (kind, item id, mentee id).
TARGET_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a section."""

    what: str
    mentee: str
    details: str
    kind: str
    item_id: int
    mentee_id: int
    tint: QColor | None = None


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def due_line(item: DueMentee) -> Line:
    row = item.mentee
    if item.days_overdue > 0:
        what, details = "Session overdue", f"{_days(item.days_overdue)} overdue (due {item.due_on})"
    elif item.days_overdue == 0:
        what, details = "Session due today", f"{row.cadence.label.lower()} cadence"
    else:
        what, details = "Session due soon", f"in {_days(-item.days_overdue)} ({item.due_on})"
    tint = OVERDUE_TINT if item.days_overdue > 0 else None
    return Line(what, row.name, details, "mentee", row.id, row.id, tint)


def stalled_line(row: MenteeRow) -> Line:
    since = f"last session {row.last_contact_on}" if row.last_contact_on else "no session yet"
    details = f"{since}; meets {row.cadence.label.lower()}"
    return Line("Mentorship stalled", row.name, details, "mentee", row.id, row.id, STALLED_TINT)


def action_line(item: OverdueAction) -> Line:
    details = f"{_days(item.days_overdue)} overdue (due {item.due_on}); owner: {item.owner.label}"
    return Line(item.text, item.mentee_name, details, "action_item", item.id, item.mentee_id)


def goal_line(item: GoalAtRisk) -> Line:
    target = f"; target {item.target_date}" if item.target_date else ""
    past = " (passed)" if item.past_target else ""
    details = f"{item.status.label}, {item.progress} %{target}{past}"
    return Line(item.title, item.mentee_name, details, "goal", item.id, item.mentee_id)


def lmp_line(item: LmpAttention) -> Line:
    what = "Ready for review" if item.ready_for_review else "Evidence gaps"
    details = f"no evidence yet for {', '.join(item.gaps)}" if item.gaps else item.state.label
    return Line(what, item.mentee_name, details, "lmp_record", item.record_id, item.mentee_id)


def sections(found: Attention) -> list[tuple[str, list[Line]]]:
    """The Overview's sections in order, each with its lines."""
    return [
        ("Sessions due or overdue", [due_line(item) for item in found.due_or_overdue]),
        ("Stalled mentorships", [stalled_line(row) for row in found.stalled]),
        ("Overdue action items", [action_line(item) for item in found.overdue_action_items]),
        ("Goals at risk", [goal_line(item) for item in found.goals_at_risk]),
        ("LMP candidates: gaps or ready for review", [lmp_line(i) for i in found.lmp_attention]),
    ]


class OverviewTab(TabPage):
    key = "overview"
    title = "Overview"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.heading = heading("Needs your attention")
        self.summary = named(QLabel(), "Attention summary")
        refresh = named(QPushButton("&Refresh"), "Refresh the overview")
        refresh.clicked.connect(self.reload_now)
        self.tree = named(QTreeWidget(), "Things that need attention")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["What", "Mentee", "Details"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 420)
        self.tree.setColumnWidth(1, 200)
        self.tree.itemClicked.connect(self._open)
        self.tree.itemActivated.connect(self._open)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        hint = QLabel("Click a line, or select it and press Enter, to open it.")
        layout.addWidget(named(hint, "How to open a line"))

    def refresh(self) -> None:
        found = attention(self.ctx.db)
        self.show_attention(found)

    def show_attention(self, found: Attention) -> None:
        self.tree.clear()
        for title, lines in sections(found):
            section = QTreeWidgetItem([f"{title} ({len(lines)})", "", "" if lines else "all clear"])
            section.setFont(0, bold(section.font(0)))
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(section)
            section.addChildren(list(self._items(lines)))
            section.setExpanded(True)
        self.summary.setText(self._summary(found.count, found.today))

    def _items(self, lines: Iterable[Line]) -> Iterable[QTreeWidgetItem]:
        for line in lines:
            item = QTreeWidgetItem([line.what, line.mentee, line.details])
            item.setData(0, TARGET_ROLE, (line.kind, line.item_id, line.mentee_id))
            item.setToolTip(0, line.what)
            if line.tint is not None:
                for column in range(3):
                    item.setBackground(column, line.tint)
            yield item

    @staticmethod
    def _summary(count: int, today: date) -> str:
        if count == 0:
            return f"Nothing needs you today ({today})."
        noun = "thing needs" if count == 1 else "things need"
        return f"{count} {noun} you today ({today})."

    def _open(self, item: QTreeWidgetItem) -> None:
        target = item.data(0, TARGET_ROLE)
        if target:
            kind, item_id, mentee_id = target
            self.ctx.bus.navigate(kind, item_id, mentee_id)

    def lines(self) -> list[QTreeWidgetItem]:
        """Every line under the sections (what a reader sees, for tests and summaries)."""
        root = self.tree.invisibleRootItem()
        return [
            root.child(s).child(i)
            for s in range(root.childCount())
            for i in range(root.child(s).childCount())
        ]

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "columns", self.tree.header())

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "columns", self.tree.header())
