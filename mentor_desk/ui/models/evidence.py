"""The models of the LMP Evidence tab: the evidence log, the SCPA updates and the coverage grid.

The log and the SCPA list are :class:`RowTableModel` tables over the services' row DTOs (the log
carries narrative excerpts only). The coverage grid is a two-level tree (areas, then their
sub-areas) over :class:`AreaCoverage`; a gap is tinted *and* says "gap" in words, so it is seen
in light and dark palettes and heard by a screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from mentor_desk.services.evidence import SCPA_AREA_CODE, AreaCoverage, EvidenceRow
from mentor_desk.services.mentees import fold
from mentor_desk.services.scpa import ScpaUpdateInfo
from mentor_desk.services.types import RecordedBy, Visibility
from mentor_desk.ui.models.table import SORT_ROLE, Column, RowTableModel, date_key

Index = QModelIndex | QPersistentModelIndex

#: Behind an area with no evidence: the translucent red of the stalled tint, readable in both
#: palettes because the palette's own text colour stays on top of it.
GAP_TINT = QColor(220, 50, 47, 70)
#: The area code of a coverage row (the same in every column).
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
#: Whether a coverage row is a gap.
GAP_ROLE = Qt.ItemDataRole.UserRole + 3

# The roles as plain ints, for CoverageModel.data (called from C++ on every layout pass).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CODE = int(CODE_ROLE)
_GAP = int(GAP_ROLE)
_SORT = int(SORT_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

_RECORDERS = list(RecordedBy)
_VISIBILITIES = list(Visibility)


def first_line(text: str, limit: int = 90) -> str:
    """The start of a text on one line, with "…" when there is more."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- the evidence log ---------------------------------------------------------------------------


def _source_tooltip(row: EvidenceRow) -> str:
    return f"{row.title}\nSource: {row.source}" if row.source else row.title


EVIDENCE_COLUMNS: tuple[Column[EvidenceRow], ...] = (
    Column(
        "Date",
        lambda r: r.occurred_on.isoformat(),
        lambda r: r.occurred_on.toordinal() * 1_000_000 + r.id,
    ),
    Column("Areas", lambda r: ", ".join(r.area_codes), lambda r: " ".join(r.area_codes)),
    Column("Title", lambda r: r.title, lambda r: fold(r.title), tooltip=_source_tooltip),
    Column("Recorded by", lambda r: r.recorded_by.label, lambda r: _RECORDERS.index(r.recorded_by)),
    Column(
        "Visibility",
        lambda r: r.visibility.label,
        lambda r: _VISIBILITIES.index(r.visibility),
    ),
    Column("Excerpt", lambda r: r.excerpt, lambda r: fold(r.excerpt), tooltip=lambda r: r.excerpt),
)


class EvidenceTableModel(RowTableModel[EvidenceRow]):
    """The evidence log of one candidate. Use the column constants, never bare numbers."""

    DATE, AREAS, TITLE, RECORDED_BY, VISIBILITY, EXCERPT = range(6)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(EVIDENCE_COLUMNS, parent)


# --- SCPA updates -------------------------------------------------------------------------------


def _scpa_column(title: str, field: str) -> Column[ScpaUpdateInfo]:
    return Column(
        title,
        lambda r: first_line(getattr(r, field), 60),
        lambda r: fold(getattr(r, field)),
        tooltip=lambda r: getattr(r, field),
    )


SCPA_COLUMNS: tuple[Column[ScpaUpdateInfo], ...] = (
    Column("Week of", lambda r: r.week_of.isoformat(), lambda r: date_key(r.week_of)),
    _scpa_column("Success", "success"),
    _scpa_column("Challenges", "challenges"),
    _scpa_column("Priorities", "priorities"),
    _scpa_column("Appreciation", "appreciation"),
)


class ScpaTableModel(RowTableModel[ScpaUpdateInfo]):
    """A candidate's weekly SCPA updates."""

    WEEK, SUCCESS, CHALLENGES, PRIORITIES, APPRECIATION = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(SCPA_COLUMNS, parent)


# --- the coverage grid --------------------------------------------------------------------------


def count_text(area: AreaCoverage) -> str:
    """What the Entries column says: the count, or "gap", "optional".

    Only the number, so the column stays narrow and the area titles keep the room; the share of
    SCPA updates is in the tooltip and in :func:`scpa_footnote`.
    """
    if area.gap:
        return "gap"
    if area.count == 0:
        return "optional"
    return str(area.count)


def scpa_footnote(rows: Sequence[AreaCoverage]) -> str:
    """The line under the grid on what the SCPA area's count includes ("" when nothing)."""
    area = next((row for row in rows if row.code == SCPA_AREA_CODE and row.scpa_updates), None)
    if area is None:
        return ""
    weeks = "weekly SCPA update" if area.scpa_updates == 1 else "weekly SCPA updates"
    entries = "entry" if area.count == 1 else "entries"
    return f"{area.code} counts {area.scpa_updates} {weeks} among its {area.count} {entries}."


def coverage_tooltip(area: AreaCoverage) -> str:
    lines = [f"{area.code}: {area.title}"]
    if area.gap:
        lines.append("Gap: no evidence yet. Click to see this area's log.")
    elif area.count == 0:
        lines.append("Optional area: no evidence needed.")
    else:
        noun = "entry" if area.count == 1 else "entries"
        lines.append(f"{area.count} {noun}, the latest on {area.latest}.")
    if area.scpa_updates:
        weeks = "week" if area.scpa_updates == 1 else "weeks"
        lines.append(f"Includes {area.scpa_updates} {weeks} of SCPA updates.")
    if area.optional and area.count:
        lines.append("Optional area.")
    return "\n".join(lines)


class CoverageModel(QAbstractItemModel):
    """Areas with their sub-areas as children: code and title, entries, latest date.

    A child index's internal id is its parent's row + 1; a top-level index's is 0. Plain numbers
    rather than Python objects, so nothing can be collected while Qt holds an index.
    """

    AREA, ENTRIES, LATEST = range(3)
    HEADERS = ("Area", "Entries", "Latest")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tops: list[AreaCoverage] = []
        self._children: list[list[AreaCoverage]] = []
        # (internal id, row) -> each column's {role: value}; see data().
        self._cells: dict[tuple[int, int], tuple[dict[int, Any], ...]] = {}

    def set_coverage(self, rows: Sequence[AreaCoverage]) -> None:
        self.beginResetModel()
        self._tops, self._children = [], []
        position: dict[str, int] = {}
        for area in rows:
            if area.parent_code is not None and area.parent_code in position:
                self._children[position[area.parent_code]].append(area)
            else:
                position[area.code] = len(self._tops)
                self._tops.append(area)
                self._children.append([])
        columns = range(len(self.HEADERS))
        self._cells = {}
        for row, top in enumerate(self._tops):
            self._cells[(0, row)] = tuple(self._cell_roles(top, column) for column in columns)
            for child_row, child in enumerate(self._children[row]):
                cells = tuple(self._cell_roles(child, column) for column in columns)
                self._cells[(row + 1, child_row)] = cells
        self.endResetModel()

    def areas(self) -> list[AreaCoverage]:
        """Every row in display order (each area followed by its sub-areas)."""
        result: list[AreaCoverage] = []
        for top, children in zip(self._tops, self._children, strict=True):
            result.extend([top, *children])
        return result

    def area_at(self, index: Index) -> AreaCoverage | None:
        if not index.isValid():
            return None
        parent_row = index.internalId() - 1
        if parent_row < 0:
            return self._tops[index.row()] if index.row() < len(self._tops) else None
        children = self._children[parent_row]
        return children[index.row()] if index.row() < len(children) else None

    def index_of(self, code: str, column: int = 0) -> QModelIndex:
        for row, top in enumerate(self._tops):
            if top.code == code:
                return self.index(row, column)
            for child_row, child in enumerate(self._children[row]):
                if child.code == code:
                    return self.index(child_row, column, self.index(row, 0))
        return QModelIndex()

    # --- QAbstractItemModel -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._tops)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._children[parent.row()]) if parent.row() < len(self._children) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A look-up: the grid's views ask for every role of every cell on each layout pass
        # (the columns fit their contents), some 1,900 calls to show 20 areas.
        cells = self._cells.get((index.internalId(), index.row())) if index.isValid() else None
        column = index.column()
        if cells is None or not 0 <= column < len(cells):
            return None
        return cells[column].get(int(role))

    def _cell_roles(self, area: AreaCoverage, column: int) -> dict[int, Any]:
        """Every role's value for one cell (None values left out)."""
        text = self._text(area, column)
        roles: dict[int, Any] = {
            _DISPLAY: text,
            _ACCESSIBLE: text,
            _TOOLTIP: coverage_tooltip(area),
            _CODE: area.code,
            _GAP: area.gap,
            _SORT: area.count if column == self.ENTRIES else text,
        }
        if area.gap:
            roles[_BACKGROUND] = GAP_TINT
        font = self._font(area, column)
        if font is not None:
            roles[_FONT] = font
        if column != self.AREA:
            roles[_ALIGNMENT] = _RIGHT
        return roles

    def _text(self, area: AreaCoverage, column: int) -> str:
        if column == self.AREA:
            return f"{area.code}  {area.title}"
        if column == self.ENTRIES:
            return count_text(area)
        return area.latest.isoformat() if area.latest else "—"

    def _font(self, area: AreaCoverage, column: int) -> QFont | None:
        if area.gap and column == self.ENTRIES:
            font = QFont()
            font.setBold(True)
            return font
        if area.optional:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section != self.AREA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != 0:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags
