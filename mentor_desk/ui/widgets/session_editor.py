"""The session editor: when, how long, what kind, who may see it, the goals it touched, the notes.

It is a view in the manner of :class:`~mentor_desk.ui.widgets.mentee_form.MenteeForm`: it shows a
:class:`SessionInput`, gives back what is typed as one, knows whether that differs from what it
loaded and shows a :class:`ValidationError` by its field. The action items and feedback of the
session sit below the notes; saving, asking and loading belong to the Sessions tab.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.actions import ActionItemInput
from mentor_desk.services.feedback import FeedbackRecord
from mentor_desk.services.goal_lists import GoalRow
from mentor_desk.services.sessions import SessionInput
from mentor_desk.services.templates import MAX_SESSION_MINUTES, SessionTypeInfo
from mentor_desk.services.types import Database, Visibility
from mentor_desk.ui.style import bold, named
from mentor_desk.ui.widgets.field_errors import FieldErrors
from mentor_desk.ui.widgets.session_actions import ActionItemsPanel
from mentor_desk.ui.widgets.session_markdown import MarkdownEditor

FIELD_LABELS = {
    "started_at": "Date and time",
    "duration_minutes": "Length",
    "session_type_id": "Type",
    "visibility": "Visible to",
    "title": "Title",
    "summary": "Shareable summary",
    "goal_ids": "Goals",
    "tags": "Tags",
    "notes": "Notes",
}
NO_TYPE = "No type"


def to_qdatetime(moment: datetime) -> QDateTime:
    """A stored (aware) moment as local wall-clock time, to the minute."""
    local = moment.astimezone()
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def feedback_line(record: FeedbackRecord) -> str:
    first = next((t for t in (record.observation, record.impact, record.request) if t), "")
    words = " ".join(first.split())
    quadrant = f" · {record.quadrant.label}" if record.quadrant is not None else ""
    return f"{record.given_on.isoformat()}{quadrant} · {words}"


class SessionEditor(QWidget):
    """The fields of one session, its action items and its feedback.

    Signals:
        edited(): a field changed (by the user or by :meth:`load`).
        type_chosen(object): the user picked a session type (its id, or None for no type).
        feedback_requested(): the user wants to record feedback in this session.
        feedback_opened(int): the user opened one feedback record of the list.
    """

    edited = Signal()
    type_chosen = Signal(object)
    feedback_requested = Signal()
    feedback_opened = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._baseline: tuple[SessionInput, tuple[ActionItemInput, ...]] | None = None
        self._restored = False  # holds a restored draft: unsaved even though just loaded
        self._mentee_id = 0
        self.started_at = named(QDateTimeEdit(), "Date and time")
        self.started_at.setCalendarPopup(True)
        self.started_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.duration = named(QSpinBox(), "Length in minutes")
        self.duration.setRange(1, MAX_SESSION_MINUTES)
        self.duration.setSuffix(" min")
        self.duration.setSingleStep(15)
        self.session_type = named(QComboBox(), "Session type")
        self.visibility = named(QComboBox(), "Visible to", "Who may see the notes")
        for level in Visibility:
            self.visibility.addItem(level.label, level.value)
        self.title = named(QLineEdit(), "Title")
        self.title.setPlaceholderText("optional, e.g. Preparing the design review")
        self.summary = named(QLineEdit(), "Shareable summary", "One line fit for the mentee")
        self.summary.setPlaceholderText("one line you could share with the mentee")
        self.goals = named(QListWidget(), "Goals touched", "Tick the goals this session touched")
        self.goals.setFixedHeight(QFontMetrics(self.goals.font()).lineSpacing() * 4 + 16)
        self.tags = named(QLineEdit(), "Tags", "Separate tags with commas")
        self.tags.setPlaceholderText("comma-separated")
        self.notes = MarkdownEditor("Notes")
        self.notes.setMinimumHeight(QFontMetrics(self.font()).lineSpacing() * 16)
        self.actions = ActionItemsPanel(db)
        self.feedback_list = named(QListWidget(), "Feedback given in this session")
        self.feedback_list.setFixedHeight(QFontMetrics(self.font()).lineSpacing() * 3 + 16)
        self.feedback_button = named(QPushButton("&Feedback…"), "Record feedback")
        self.feedback_button.setToolTip("Record observe / impact / request feedback")
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self.banner = self.errors.banner
        self._build()
        self._order_tabs()
        self._connect()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        when = QHBoxLayout()
        when.addWidget(self.started_at, 1)
        length = QLabel("&Length")
        length.setBuddy(self.duration)
        when.addWidget(length)
        when.addWidget(self.duration)
        kind = QHBoxLayout()
        kind.addWidget(self.session_type, 1)
        visible = QLabel("&Visible to")
        visible.setBuddy(self.visibility)
        kind.addWidget(visible)
        kind.addWidget(self.visibility, 1)
        rows: list[tuple[tuple[str, ...], str, QWidget | QHBoxLayout]] = [
            (("started_at", "duration_minutes"), "&When", when),
            (("session_type_id", "visibility"), "T&ype", kind),
            (("title",), "&Title", self.title),
            (("summary",), "Su&mmary", self.summary),
            (("goal_ids",), "&Goals", self.goals),
            (("tags",), "Ta&gs", self.tags),
        ]
        for fields, label, widget in rows:
            self.errors.add_row(form, label, widget, *fields)
        actions_title = QLabel("Action items")
        actions_title.setFont(bold(actions_title.font()))
        feedback_bar = QHBoxLayout()
        feedback_title = QLabel("Feedback in this session")
        feedback_title.setFont(bold(feedback_title.font()))
        feedback_bar.addWidget(feedback_title)
        feedback_bar.addStretch(1)
        feedback_bar.addWidget(self.feedback_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(form)
        outer.addWidget(self.notes, 1)
        outer.addWidget(self.errors.label("notes"))
        outer.addSpacing(6)
        outer.addWidget(actions_title)
        outer.addWidget(self.actions)
        outer.addSpacing(6)
        outer.addLayout(feedback_bar)
        outer.addWidget(self.feedback_list)

    def _order_tabs(self) -> None:
        """Tab follows the reading order (the action item rows fit in after the anchor)."""
        actions = self.actions
        chain: list[QWidget] = [
            self.started_at,
            self.duration,
            self.session_type,
            self.visibility,
            self.title,
            self.summary,
            self.goals,
            self.tags,
            *self.notes.buttons.buttons(),
            self.notes.editor,
            actions.tab_anchor,
            actions.new_text,
            actions.new_owner,
            actions.new_due.known,
            actions.new_due.date,
            actions.add_button,
            self.feedback_button,
            self.feedback_list,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        for line in (self.title, self.summary, self.tags):
            line.textChanged.connect(self._changed)
        self.notes.text_changed.connect(self._changed)
        self.started_at.dateTimeChanged.connect(self._changed)
        self.duration.valueChanged.connect(self._changed)
        self.visibility.currentIndexChanged.connect(self._changed)
        self.session_type.currentIndexChanged.connect(self._changed)
        self.session_type.activated.connect(
            lambda i: self.type_chosen.emit(self.session_type.itemData(i))
        )
        self.goals.itemChanged.connect(self._changed)
        self.actions.pending_changed.connect(self._changed)
        self.feedback_button.clicked.connect(self.feedback_requested)
        self.feedback_list.itemActivated.connect(self._feedback_activated)

    def _feedback_activated(self, item: QListWidgetItem) -> None:
        feedback_id = item.data(Qt.ItemDataRole.UserRole)
        if feedback_id is not None:  # not the "None yet" line
            self.feedback_opened.emit(int(feedback_id))

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    # --- choices ----------------------------------------------------------------------------

    def set_types(self, types: list[SessionTypeInfo]) -> None:
        """Fill the type list (keeping the choice shown, which may be a type now deleted)."""
        current = self.session_type.currentData()
        self._loading = True
        try:
            self.session_type.clear()
            self.session_type.addItem(NO_TYPE, None)
            for kind in types:
                self.session_type.addItem(kind.name, kind.id)
            self._set_combo(self.session_type, current)
        finally:
            self._loading = False

    def set_goals(self, goals: list[GoalRow]) -> None:
        """The mentee's goals to tick (keeping the ticks of those still listed)."""
        ticked = set(self._goal_ids())
        self._loading = True
        try:
            self.goals.clear()
            for goal in goals:
                closed = f" ({goal.status.label.lower()})" if goal.is_closed else ""
                item = QListWidgetItem(f"{goal.title}{closed}")
                item.setData(Qt.ItemDataRole.UserRole, goal.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                ticked_now = goal.id in ticked
                item.setCheckState(Qt.CheckState.Checked if ticked_now else Qt.CheckState.Unchecked)
                self.goals.addItem(item)
            if not goals:
                self.goals.addItem(QListWidgetItem("No goals yet for this mentee."))
        finally:
            self._loading = False

    def set_feedback(self, records: list[FeedbackRecord], *, can_add: bool) -> None:
        self.feedback_list.clear()
        for record in records:
            item = QListWidgetItem(feedback_line(record))
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setToolTip(
                "\n\n".join(t for t in (record.observation, record.impact, record.request) if t)
            )
            self.feedback_list.addItem(item)
        if not records:
            hint = "None yet." if can_add else "Save the session first to record feedback in it."
            self.feedback_list.addItem(QListWidgetItem(hint))
        self.feedback_button.setEnabled(can_add)

    # --- data -------------------------------------------------------------------------------

    def load(self, data: SessionInput, *, restored: bool = False) -> None:
        """Show ``data``; the editor is clean afterwards unless it holds a ``restored`` draft."""
        self._loading = True
        try:
            self._mentee_id = data.mentee_id
            moment = data.started_at
            if isinstance(moment, str):
                moment = datetime.fromisoformat(moment)
            self.started_at.setDateTime(to_qdatetime(moment))
            self.duration.setValue(data.duration_minutes)
            self._set_combo(self.session_type, data.session_type_id)
            self._set_combo(self.visibility, str(data.visibility))
            for line, text in (
                (self.title, data.title),
                (self.summary, data.summary),
                (self.tags, ", ".join(data.tags)),
            ):
                if line.text() != text:  # a reload of the same text keeps the cursor
                    line.setText(text)
                    line.setCursorPosition(0)  # the start of a long line, not its end
            wanted = set(data.goal_ids)
            for number in range(self.goals.count()):
                item = self.goals.item(number)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    linked = item.data(Qt.ItemDataRole.UserRole) in wanted
                    item.setCheckState(Qt.CheckState.Checked if linked else Qt.CheckState.Unchecked)
            self.notes.set_text(data.notes)
        finally:
            self._loading = False
        self.clear_errors()
        self.mark_clean()
        self._restored = restored
        self.edited.emit()

    def mark_clean(self) -> None:
        """What the widgets hold now counts as saved."""
        self._restored = False
        self._baseline = (self.value(), self.actions.pending())

    def baseline(self) -> tuple[SessionInput, tuple[ActionItemInput, ...]]:
        """What the editor held when last loaded or saved, with the pending items then."""
        if self._baseline is None:
            return self.value(), self.actions.pending()
        return self._baseline

    @property
    def mentee_id(self) -> int:
        """The mentee of the session shown (0 before any is loaded)."""
        return self._mentee_id

    def baseline_notes(self) -> str:
        return self.baseline()[0].notes

    def value(self) -> SessionInput:
        """What the editor holds now, unchecked; the service validates it."""
        started = self.started_at.dateTime().toPython()
        return SessionInput(
            mentee_id=self._mentee_id,
            started_at=started.astimezone() if isinstance(started, datetime) else started,
            duration_minutes=self.duration.value(),
            session_type_id=self.session_type.currentData(),
            title=self.title.text(),
            summary=self.summary.text(),
            notes=self.notes.text(),
            visibility=Visibility(self.visibility.currentData() or Visibility.PRIVATE.value),
            goal_ids=tuple(self._goal_ids()),
            tags=tuple(tag.strip() for tag in self.tags.text().split(",") if tag.strip()),
        )

    def is_dirty(self) -> bool:
        if self._baseline is None:
            return False
        return self._restored or (self.value(), self.actions.pending()) != self._baseline

    def _goal_ids(self) -> list[int]:
        ids = []
        for number in range(self.goals.count()):
            item = self.goals.item(number)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    @staticmethod
    def _set_combo(combo: QComboBox, value: object) -> None:
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    # --- errors -----------------------------------------------------------------------------

    def show_error(self, error: ValidationError) -> None:
        self.errors.show(error)

    def clear_errors(self) -> None:
        self.errors.clear()

    def visible_errors(self) -> dict[str, str]:
        return self.errors.visible()

    def widget_for(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "started_at": self.started_at,
            "duration_minutes": self.duration,
            "session_type_id": self.session_type,
            "visibility": self.visibility,
            "title": self.title,
            "summary": self.summary,
            "goal_ids": self.goals,
            "tags": self.tags,
            "notes": self.notes.editor,
        }
        return widgets.get(field)
