"""``mentor-desk dossier`` and ``mentor-desk packet`` on the demo program, and the export path
they share with the window (mentor_desk/reports/export.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from reportlab.platypus import Flowable

from mentor_desk.cli import main
from mentor_desk.db.engine import Database
from mentor_desk.errors import UserError
from mentor_desk.reports import dossier as dossier_module
from mentor_desk.reports import export
from mentor_desk.reports.export import (
    ExportCancelledError,
    export_dossier,
    export_packets,
    packet_file_name,
)
from mentor_desk.services.lmp import list_records
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.periods import Period
from mentor_desk.services.program import open_program

SUMMARY = re.compile(r"^Wrote (?P<what>.+): (?P<pages>\d+) pages? in \d+\.\d s$")
# The demo's dates are anchored to the day it is loaded: the last full quarter is full of work.
LAST_QUARTER = Period.containing(Period.containing(date.today()).start - timedelta(days=1))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the demo program, shared by the tests: exports only read it."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(folder), "demo"]) == 0
    return folder


@pytest.fixture(scope="module")
def demo_db(demo_dir: Path) -> Iterator[Database]:
    database = open_program(demo_dir)
    yield database
    database.dispose()


def run(capsys: pytest.CaptureFixture[str], demo_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--data-dir", str(demo_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def summary_pages(out: str) -> int:
    match = SUMMARY.match(out.strip().splitlines()[-1])
    assert match is not None, out
    return int(match["pages"])


def active_names(db: Database) -> list[str]:
    return [row.name for row in list_mentees(db, status="active")]


@pytest.mark.parametrize("command", ["dossier", "packet"])
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--data-dir", "--include-private", "--paper", "--from", "--to", "-o"):
        assert option in text


def test_packet_needs_a_period_and_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["packet", "-o", "x.pdf"], ["packet", "--quarter", "2026-Q3"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "required" in capsys.readouterr().err


# --- the dossier --------------------------------------------------------------------------------


def test_dossier_writes_the_candidate_pdf(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "zoe.pdf"
    code, out, err = run(capsys, demo_dir, "dossier", "Zoë Müller", "-o", str(target))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith(f"Wrote {target}: ")
    pages, text = pdf_text(target)
    assert summary_pages(out) == pages >= 5
    assert "Zoë Müller" in text
    assert "Alex Morgan" in text  # her sponsor
    assert f"Page {pages} of {pages}" in text


def test_dossier_period_and_paper(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "chiamaka.pdf"
    start, end = LAST_QUARTER.start.isoformat(), LAST_QUARTER.end.isoformat()
    argv = ["dossier", "chiamaka", "-o", str(target), "--paper", "letter"]
    code, out, _ = run(capsys, demo_dir, *argv, "--from", start, "--to", end)
    assert code == 0
    box = pypdf.PdfReader(target).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)  # US Letter in points
    assert "Chiamaka Okonkwo" in pdf_text(target)[1]
    assert summary_pages(out) == len(pypdf.PdfReader(target).pages)


def test_include_private_says_what_it_includes_before_writing(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, private = tmp_path / "plain.pdf", tmp_path / "private.pdf"
    assert run(capsys, demo_dir, "dossier", "Zoë Müller", "-o", str(plain))[0] == 0
    code, out, _ = run(
        capsys, demo_dir, "dossier", "Zoë Müller", "-o", str(private), "--include-private"
    )
    assert code == 0
    first, last = out.strip().splitlines()
    assert first.startswith("Including private items (--include-private): ")
    assert re.search(r"\d+ skill assessments", first)  # the demo shares these with her only
    assert last.startswith(f"Wrote {private}")
    assert pdf_text(private)[1] != pdf_text(plain)[1]  # the skills table uses more readings


# --- packets ------------------------------------------------------------------------------------


def test_packet_for_a_quarter_holds_every_active_mentee(
    demo_dir: Path, demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "packets.pdf"
    code, out, err = run(
        capsys, demo_dir, "packet", "--quarter", LAST_QUARTER.label, "-o", str(target)
    )
    assert (code, err) == (0, "")
    reader = pypdf.PdfReader(target)
    names = active_names(demo_db)
    assert summary_pages(out) == len(reader.pages) > len(names)  # cover, contents, sections
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    # Arabic comes out of the PDF in presentation forms; every other script as typed.
    listed = [name for name in names if name in contents]
    assert len(listed) == len(names) - 1
    assert "Aiko Tanaka" not in contents  # paused: not in the default batch


def test_packet_for_chosen_mentees_and_dates(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "two.pdf"
    start, end = LAST_QUARTER.start.isoformat(), LAST_QUARTER.end.isoformat()
    argv = ["packet", "--from", start, "--to", end, "-o", str(target)]
    code, out, _ = run(capsys, demo_dir, *argv, "--mentee", "Zoë Müller", "--mentee", "Aiko")
    assert code == 0
    pages, text = pdf_text(target)
    assert summary_pages(out) == pages
    assert "Zoë Müller" in text
    assert "Aiko Tanaka" in text  # any status when named
    assert "José Álvarez" not in text


def test_packet_split_writes_one_file_per_active_mentee(
    demo_dir: Path, demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "made" / "packets"  # made when missing
    code, out, _ = run(
        capsys, demo_dir, "packet", "--quarter", LAST_QUARTER.label, "--split", str(folder)
    )
    assert code == 0
    names = active_names(demo_db)
    files = sorted(path.name for path in folder.iterdir())
    assert files == sorted(f"{LAST_QUARTER.label} - {name}.pdf" for name in names)
    assert out.strip().startswith(f"Wrote {len(names)} files to {folder}: ")
    readers = {
        name: pypdf.PdfReader(folder / f"{LAST_QUARTER.label} - {name}.pdf") for name in names
    }
    assert summary_pages(out) == sum(len(reader.pages) for reader in readers.values())
    assert "Zoë Müller" in readers["Zoë Müller"].pages[0].extract_text()


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["dossier", "a", "-o", "{out}"], "matches"),  # ambiguous
        (["dossier", "Nobody Atall", "-o", "{out}"], "No mentee"),
        (["dossier", "José Álvarez", "-o", "{out}"], "not an LMP candidate"),
        (["packet", "--quarter", "2026-Q5", "-o", "{out}"], "Q5 is not a quarter"),
        (["packet", "--quarter", "2026-Q3", "--to", "2026-09-01", "-o", "{out}"], "--to goes"),
        (
            ["packet", "--from", "2026-05-01", "--to", "2026-03-01", "-o", "{out}"],
            "is before --from",
        ),
        (["dossier", "Zoë", "--from", "2026-05-01", "-o", "{out}"], "go together"),
        (["dossier", "Zoë", "--from", "2026-13-01", "--to", "2027-01-01", "-o", "{out}"], "date"),
        (["packet", "--quarter", "2026-Q3", "--mentee", "Nobody Atall", "-o", "{out}"], "No"),
        (["dossier", "Zoë", "-o", "{missing}"], "does not exist"),
        (["packet", "--quarter", "2026-Q3", "-o", "{missing}"], "does not exist"),
        (["packet", "--quarter", "2026-Q3", "--split", "{file}"], "not a folder"),
        (["packet", "--quarter", "2026-Q3", "--split", "{under_file}"], "Cannot make"),
        (["dossier", "Zoë", "-o", "{folder}"], "is a folder"),
    ],
)
def test_user_errors_exit_1_with_one_line_and_write_nothing(
    argv: list[str],
    says: str,
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "a-file.txt").write_text("not a folder")
    places = {
        "out": out_dir / "d.pdf",
        "missing": out_dir / "no such folder" / "d.pdf",
        "file": out_dir / "a-file.txt",
        "under_file": out_dir / "a-file.txt" / "packets",
        "folder": out_dir,
    }
    before = sorted(out_dir.rglob("*"))
    code, out, err = run(capsys, demo_dir, *[a.format(**places) for a in argv])
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("mentor-desk: ")
    assert says in err
    assert sorted(out_dir.rglob("*")) == before  # no PDF, no temporary file left behind


def test_a_failed_build_never_replaces_a_good_pdf(
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "dossier.pdf"
    assert run(capsys, demo_dir, "dossier", "Zoë Müller", "-o", str(target))[0] == 0
    good = target.read_bytes()

    class Boom(Flowable):
        """Fails halfway through the layout, after pages were already drawn."""

        def wrap(self, _w: float, _h: float) -> tuple[float, float]:
            raise RuntimeError("the builder broke")

    story = dossier_module.dossier_story

    def broken_story(*args: object) -> list[Flowable]:
        return [*story(*args), Boom()]  # type: ignore[arg-type]

    monkeypatch.setattr(dossier_module, "dossier_story", broken_story)
    with pytest.raises(RuntimeError, match="the builder broke"):
        main(["dossier", "Zoë Müller", "-o", str(target), "--data-dir", str(demo_dir)])
    assert target.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.pdf"]  # no .part file left

    def raising(*_args: object, **_kwargs: object) -> None:
        raise UserError("The disk is full.")

    monkeypatch.setattr(export, "build_dossier", raising)
    code, _, err = run(capsys, demo_dir, "dossier", "Zoë Müller", "-o", str(target))
    assert (code, err) == (1, "mentor-desk: The disk is full.\n")
    assert target.read_bytes() == good


# --- the shared export path ---------------------------------------------------------------------


def test_cancel_writes_nothing_and_keeps_the_old_file(demo_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "batch.pdf"
    target.write_bytes(b"%PDF old")
    seen: list[int] = []
    with pytest.raises(ExportCancelledError, match="nothing was written") as info:
        export_packets(
            demo_db, LAST_QUARTER, target, progress=seen.append, cancel=lambda: len(seen) >= 3
        )
    assert info.value.paths == ()
    assert seen == [1, 2, 3]  # pages reported as they are laid out, then stopped
    assert target.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir()] == ["batch.pdf"]


def test_cancel_during_split_keeps_and_lists_the_finished_files(
    demo_db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "split"
    finished: list[int] = []

    def cancel() -> bool:
        finished[:] = [len(list(folder.glob("*.pdf")))]
        return finished[0] >= 2

    with pytest.raises(ExportCancelledError) as info:
        export_packets(demo_db, LAST_QUARTER, folder, split=True, cancel=cancel)
    kept = sorted(folder.iterdir())
    assert len(kept) == 2
    assert sorted(info.value.paths) == kept
    assert all(len(pypdf.PdfReader(path).pages) >= 1 for path in kept)
    assert "the 2 finished files" in str(info.value)
    assert "were kept" in str(info.value)


def test_export_to_a_buffer_is_deterministic(demo_db: Database) -> None:
    import io

    record = list_records(demo_db)[0].id
    day = date.today()
    first, second = io.BytesIO(), io.BytesIO()
    result = export_dossier(demo_db, record, first, deterministic=True, today=day)
    export_dossier(demo_db, record, second, deterministic=True, today=day)
    assert result.paths == ()
    assert result.pages == len(pypdf.PdfReader(first).pages)
    assert first.getvalue() == second.getvalue()
    assert result.describe().startswith(f"Built the PDF: {result.pages} pages in ")


def test_nobody_to_export(demo_db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="choose at least one mentee"):
        export_packets(demo_db, "2026-Q3", tmp_path / "x.pdf", mentee_ids=[])
    with pytest.raises(UserError, match="choose at least one mentee"):
        export_packets(demo_db, "2026-Q3", tmp_path / "folder", mentee_ids=[], split=True)
    assert list(tmp_path.iterdir()) == []  # not even the folder


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zoë Müller", "2026-Q3 - Zoë Müller.pdf"),
        ('a/b\\c:d*e?f"g<h>i|j', "2026-Q3 - a_b_c_d_e_f_g_h_i_j.pdf"),
        ("  spaced\tout\nname. ", "2026-Q3 - spaced out name.pdf"),
        ("ليلى حداد", "2026-Q3 - ليلى حداد.pdf"),
    ],
)
def test_packet_file_names_are_safe(name: str, expected: str) -> None:
    assert packet_file_name(Period.quarter(2026, 3), name) == expected


def test_packet_file_names_are_unique_ignoring_case() -> None:
    taken: set[str] = set()
    period = Period.quarter(2026, 3)
    names = [packet_file_name(period, n, taken) for n in ("Li Wei", "li wei", "Li Wei")]
    assert names == ["2026-Q3 - Li Wei.pdf", "2026-Q3 - li wei (2).pdf", "2026-Q3 - Li Wei (3).pdf"]
    assert packet_file_name(period, "x" * 400).encode().__len__() < 255
