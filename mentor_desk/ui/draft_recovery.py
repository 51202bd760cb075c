"""At start-up, one question about every unsaved draft an earlier run left behind.

The editors keep crash-safe drafts of unsaved edits (:mod:`mentor_desk.ui.widgets.draft_autosave`).
A draft still on disk when the window opens means the app stopped with the edit in hand. Once the
window is on screen, :class:`DraftRecovery` lists every such draft, whichever tab it belongs to,
in one question: Restore puts each back in its editor (unsaved, in its tab), Discard throws them
away, Later keeps them for the next start. The tabs' own first-show offers are switched off, so
no draft is offered twice.

Restoring never asks about an edit in hand: a draft that could only be restored by leaving one
(a second draft for the same editor, or one for another mentee while a first is restored) stays
on disk and is offered at the next start.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QSpacerItem, QWidget

from mentor_desk import APP_NAME
from mentor_desk.services.drafts import DraftStore
from mentor_desk.ui.tabs.sessions import SessionsTab
from mentor_desk.ui.widgets.draft_autosave import PendingDraft, Restore
from mentor_desk.ui.widgets.session_drafts import Offer, offers

if TYPE_CHECKING:
    from mentor_desk.ui.main_window import MainWindow

#: Drafts named in the question; more are counted.
LISTED = 8
TITLE = "Unsaved changes"


def pending_drafts(window: MainWindow) -> list[PendingDraft]:
    """Every draft the window's editors would take back, newest first (junk is removed)."""
    found: list[PendingDraft] = []
    for page in window.pages.values():
        if isinstance(page, SessionsTab):
            found.extend(_session_drafts(page))
        elif hasattr(page, "pending_drafts"):
            found.extend(page.pending_drafts())
    return sorted(found, key=lambda draft: draft.saved_at, reverse=True)


def _session_drafts(page: SessionsTab) -> list[PendingDraft]:
    return [
        PendingDraft(
            offer.draft.key,
            offer.what,
            offer.draft.saved_at,
            page.key,
            "session",
            offer.state.data.mentee_id,
            False,
            partial(_restore_session, page, offer),
        )
        for offer in offers(page.ctx.db, page.drafts.store)
    ]


def _restore_session(page: SessionsTab, offer: Offer) -> bool:
    if page.is_dirty():
        return False
    page._restore(offer)
    page.drafts.adopt(offer.draft.key)
    return True


def question(parent: QWidget | None, pending: list[PendingDraft]) -> QMessageBox:
    """The start-up question naming the drafts; its buttons are Restore, Discard and Later."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"{TITLE} — {APP_NAME}")
    box.setAccessibleName(TITLE)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names are the user's text, not markup
    lines = [
        f"•  {draft.what} ({draft.saved_at.astimezone():%d %b %H:%M})" for draft in pending[:LISTED]
    ]
    if len(pending) > LISTED:
        lines.append(f"…and {len(pending) - LISTED} more")
    box.setText("Unsaved text from your last session:\n\n" + "\n".join(lines))
    it = "it" if len(pending) == 1 else "them"
    box.setInformativeText(
        f"{APP_NAME} closed before this was saved. Restore puts {it} back in the editor, not "
        f"saved yet, to go on or save. Discard throws {it} away; Later asks again at the next "
        "start."
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(later)
    # Wide enough that a draft's name stays on one line (a message box sizes to its buttons).
    layout = box.layout()
    if isinstance(layout, QGridLayout):
        width = QSpacerItem(540, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        layout.addItem(width, layout.rowCount(), 0, 1, layout.columnCount())
    return box


def ask(parent: QWidget | None, pending: list[PendingDraft]) -> Restore:
    box = question(parent, pending)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    text = clicked.text() if clicked is not None else ""
    return {"Restore": Restore.RESTORE, "Discard": Restore.DISCARD}.get(text, Restore.LATER)


def _needs_move(draft: PendingDraft, current: int | None) -> bool:
    """Whether restoring ``draft`` moves the toolbar's mentee away from ``current``."""
    return current != draft.focus and (draft.strict or current is not None)


class DraftRecovery(QObject):
    """Offers a window's pending drafts once, just after the window is first shown."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.restored: list[PendingDraft] = []
        self.kept: list[PendingDraft] = []
        for page in window.pages.values():
            if hasattr(page, "_drafts_offered"):
                page._drafts_offered = True  # offered here instead, once for every tab
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, self.offer)  # once the window is on screen
        return False

    def offer(self) -> None:
        """Ask about the pending drafts (if any) and do what the user chose."""
        pending = pending_drafts(self.window)
        if not pending:
            return
        answer = ask(self.window, pending)
        if answer is Restore.DISCARD:
            store = DraftStore.for_data_folder(self.window.ctx.paths.root)
            for draft in pending:
                store.discard(draft.key)
        elif answer is Restore.RESTORE:
            self.restore(pending)

    def restore(self, pending: list[PendingDraft]) -> None:
        """Put each draft back in its editor; those that would leave an edit in hand stay."""
        window, selector = self.window, self.window.ctx.selector
        first = pending[0]
        # Nothing is edited yet: the newest draft's mentee (if it or another draft of theirs
        # needs them in focus) and tab come up without a question.
        if any(_needs_move(d, selector.current_id) for d in pending if d.focus == first.focus):
            selector.choose(first.focus)
        window.show_tab(first.tab)
        slots: set[str] = set()
        for draft in pending:
            dirty = any(page.is_dirty() for page in window.pages.values())
            moves = _needs_move(draft, selector.current_id)
            if (
                draft.slot in slots
                or (dirty and moves)
                or (moves and not selector.choose(draft.focus))
            ):
                self.kept.append(draft)
                continue
            page = window.page(draft.tab)
            if not page.isVisible():
                page.reload_now()  # a hidden tab loads when shown; it is filled now instead
            if draft.restore():
                slots.add(draft.slot)
                self.restored.append(draft)
            else:
                self.kept.append(draft)
        self._report()

    def _report(self) -> None:
        count = len(self.restored)
        message = f"Restored {count} unsaved draft{'s' * (count != 1)}: save to keep the text."
        if self.kept:
            message += f" {len(self.kept)} more will be offered at the next start."
        self.window.ctx.bus.status_message.emit(message)
