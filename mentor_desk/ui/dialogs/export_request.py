"""What the export dialog is asked to make, as plain data, and the calls that make it.

An :class:`ExportRequest` is a snapshot of the dialog's choices. Its methods are the only place
the window reaches the export code, and they call exactly what ``mentor-desk dossier`` and
``mentor-desk packet`` call (:mod:`mentor_desk.reports.export`), so the window and the terminal
produce the same documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from mentor_desk.reports import export
from mentor_desk.reports.export import Cancel, ExportResult, Progress
from mentor_desk.reports.theme import PaperSize
from mentor_desk.services.exports_dossier import dossier_preview
from mentor_desk.services.exports_privacy import ExportChoices, ExportPreview
from mentor_desk.services.periods import Period
from mentor_desk.services.types import Database

DocumentKind = Literal["dossier", "packet"]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """One export as chosen in the dialog.

    Attributes:
        kind: ``"dossier"`` or ``"packet"``.
        record_id: the candidate's LMP record (dossier).
        mentee_ids: the mentees (packets), in the order shown.
        period: the span; None for the dossier's whole candidacy.
        paper: the paper size.
        choices: what private items the user included.
        split: packets only: one file per mentee into a folder.
        subject: who it is about, for file names and titles ("Zoë Müller", "10 mentees").
    """

    kind: DocumentKind
    record_id: int | None
    mentee_ids: tuple[int, ...]
    period: Period | None
    paper: PaperSize
    choices: ExportChoices
    split: bool
    subject: str

    @property
    def title(self) -> str:
        if self.kind == "dossier":
            return f"LMP dossier · {self.subject}"
        return f"Quarterly review packets · {self.subject}"

    @property
    def writes_folder(self) -> bool:
        return self.kind == "packet" and self.split

    def default_file_name(self) -> str:
        """``LMP dossier - Zoë Müller.pdf``, ``2026-Q3 - review packets.pdf``: file-safe."""
        if self.kind == "dossier":
            return export.pdf_file_name(f"LMP dossier - {self.subject}")
        label = self.period.label if self.period is not None else "Quarterly"
        who = self.subject if len(self.mentee_ids) == 1 else "review packets"
        return export.pdf_file_name(f"{label} - {who}")

    def preview(self, db: Database) -> ExportPreview:
        """What the document includes with these choices, and what is held back."""
        if self.kind == "dossier":
            assert self.record_id is not None
            return dossier_preview(db, self.record_id, self.choices, period=self.period)
        return export.batch_preview(db, self.period, self.mentee_ids, self.choices)

    def export(
        self,
        db: Database,
        target: Path | BinaryIO,
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        split: bool | None = None,
    ) -> ExportResult:
        """Write the document(s) through the shared export path.

        Args:
            target: a file, a folder (one file per mentee) or a buffer (the preview).
            split: override :attr:`split` (the preview is always one document).
        """
        if self.kind == "dossier":
            assert self.record_id is not None
            return export.export_dossier(
                db,
                self.record_id,
                target,
                choices=self.choices,
                paper=self.paper,
                period=self.period,
                progress=progress,
                cancel=cancel,
            )
        return export.export_packets(
            db,
            self.period,
            target,
            mentee_ids=list(self.mentee_ids),
            split=self.split if split is None else split,
            choices=self.choices,
            paper=self.paper,
            progress=progress,
            cancel=cancel,
        )
