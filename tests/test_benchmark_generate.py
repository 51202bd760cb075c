"""The benchmark generator at its small size: a real program that passes ``check``, opens in the
window, exports both documents and comes out the same for the same seed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot

from benchmarks.generate import GenerateResult, GeneratorError, generate_program, main, plan
from mentor_desk import cli
from mentor_desk.paths import DataPaths
from mentor_desk.services.interchange import export_json
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program
from mentor_desk.services.search import search
from mentor_desk.services.sessions import get_session, list_sessions
from mentor_desk.services.types import Database

sys.path.insert(0, str(Path(__file__).parent / "ui"))
from ui_helpers import close_window, mentees_tab, open_window

EXPORTED_AT = datetime(2026, 11, 16, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    lines: list[str] = []
    result = generate_program(tmp_path_factory.mktemp("bench") / "small", "small", 1, lines.append)
    assert any("sessions:" in line for line in lines)
    return result


@pytest.fixture
def program(small: GenerateResult) -> Iterator[Database]:
    db = open_program(small.data_dir)
    yield db
    db.dispose()


def test_small_program_has_the_planned_rows_and_passes_check(
    small: GenerateResult, capsys: pytest.CaptureFixture[str]
) -> None:
    for table, count in plan("small").items():
        assert small.counts[table] == count, table
    assert small.counts["session_goals"] > 0
    assert small.counts["evidence_areas"] > 0
    assert small.busiest_mentee_sessions == max(small.counts["sessions"] // 3, 1)
    assert small.top_candidate_evidence == small.counts["evidence"]  # one candidate at this size
    assert cli.main(["check", "--data-dir", str(small.data_dir)]) == 0
    assert "checks passed" in capsys.readouterr().out


def test_rows_read_back_through_the_services(small: GenerateResult, program: Database) -> None:
    mentees = list_mentees(program, status="all")
    assert small.busiest_mentee_name in {m.name for m in mentees}
    sessions = list_sessions(program, mentee_id=small.busiest_mentee_id)
    assert len(sessions) == small.busiest_mentee_sessions
    newest = get_session(program, sessions[0].id)
    assert "## " in newest.notes
    assert newest.started_at.tzinfo is not None
    # The generated notes are in the full-text index: a common word finds many of them.
    assert len(search(program, "the", limit=200, kinds={"session"})) == 200


@pytest.mark.gui
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_window_opens_on_the_program_and_lists_the_mentees(
    qtbot: QtBot, small: GenerateResult, program: Database
) -> None:
    window = open_window(qtbot, program, DataPaths(small.data_dir), welcome=False)
    tab = mentees_tab(qtbot, window)
    assert tab.list.model.rowCount() == small.counts["mentees"]
    close_window(window)


@pytest.mark.slow
def test_dossier_and_packet_export_to_pdfs_naming_the_candidate(
    small: GenerateResult, tmp_path: Path
) -> None:
    folder = ["--data-dir", str(small.data_dir)]
    dossier, packet = tmp_path / "dossier.pdf", tmp_path / "packet.pdf"
    candidate = str(small.top_candidate_id)
    assert cli.main(["dossier", candidate, "-o", str(dossier), *folder]) == 0
    assert (
        cli.main(
            ["packet", "--quarter", "2026-Q3", "--mentee", candidate, "-o", str(packet), *folder]
        )
        == 0
    )
    for pdf in (dossier, packet):
        text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        assert small.top_candidate_name in text, pdf.name


@pytest.mark.slow
def test_same_seed_gives_a_byte_identical_export(small: GenerateResult, tmp_path: Path) -> None:
    folders = [generate_program(tmp_path / name, "small", 7).data_dir for name in ("a", "b")]
    exports = []
    for number, folder in enumerate([*folders, small.data_dir]):  # the last one has seed 1
        db = open_program(folder)
        try:
            export_json(db, tmp_path / f"{number}.json", exported_at=EXPORTED_AT)
        finally:
            db.dispose()
        exports.append((tmp_path / f"{number}.json").read_bytes())
    assert exports[0] == exports[1]
    assert exports[0] != exports[2]


def test_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GeneratorError, match="--force"):
        generate_program(tmp_path, "small")
    assert main(["--size", "small", "--data-dir", str(tmp_path), "--quiet"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(GeneratorError, match="Unknown size"):
        generate_program(tmp_path / "new", "huge")
