"""The rows of the global search popup: kind, title, mentee and a highlighted snippet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from mentor_desk.services.search import KINDS, SearchHit, mark
from mentor_desk.ui.models.table import Column, RowTableModel
from mentor_desk.ui.widgets.rich_text import highlighted_html

#: The snippet as escaped HTML with the matched words in bold (for :class:`RichTextDelegate`).
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

KIND_LABELS = {
    "mentee": "Mentee",
    "session": "Session",
    "feedback": "Feedback",
    "goal": "Goal",
    "evidence": "LMP evidence",
}


def plain_snippet(hit: SearchHit) -> str:
    return " ".join(mark(hit.snippet, "", "").split())


SEARCH_COLUMNS: tuple[Column[SearchHit], ...] = (
    Column("Kind", lambda h: KIND_LABELS.get(h.kind, h.kind), lambda h: KINDS.index(h.kind)),
    Column("Title", lambda h: h.title, lambda h: h.title.casefold()),
    Column("Mentee", lambda h: h.mentee_name, lambda h: h.mentee_name.casefold()),
    Column("Found in", plain_snippet, plain_snippet, tooltip=plain_snippet),
)


class SearchResultsModel(RowTableModel[SearchHit]):
    KIND, TITLE, MENTEE, SNIPPET = range(4)

    def __init__(self, parent: Any = None) -> None:
        # A hit's item id is only unique within its kind; the popup never looks rows up by id.
        super().__init__(SEARCH_COLUMNS, parent, id_of=lambda hit: hit.item_id)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == HTML_ROLE and index.isValid() and index.column() == self.SNIPPET:
            return highlighted_html(self.row_at(index.row()).snippet)
        return super().data(index, role)
