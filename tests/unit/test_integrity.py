"""Integrity checks, and what start-up does with a damaged database file."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mentor_desk.db.engine import Database
from mentor_desk.db.integrity import (
    CONSISTENCY_CHECKS,
    DamagedDatabaseError,
    check_database,
    find_damage,
    move_aside,
    newest_good_backup,
)
from mentor_desk.errors import NewerDatabaseError
from mentor_desk.paths import DataPaths
from mentor_desk.services.demo import load_demo
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import install_backup, open_memory_program, open_program

CHECK_COUNT = 3 + len(CONSISTENCY_CHECKS)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo program, closed (WAL checkpointed away): every check has rows to look at."""
    folder = tmp_path_factory.mktemp("demo")
    database = open_program(folder)
    load_demo(database)
    database.dispose()
    return folder / "mentor-desk.sqlite3"


@pytest.fixture
def demo_copy(demo_file: Path, data_dir: Path) -> Path:
    target = data_dir / demo_file.name
    shutil.copyfile(demo_file, target)
    return target


def _execute(path: Path, *statements: str) -> None:
    """Raw SQL with foreign keys off, the way a bug or another tool could damage the data."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"These are not the droids you are looking for. " * 300)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _emptied(path: Path) -> None:
    path.write_bytes(b"")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": _garbage,
    "truncated": _truncated,
    "zero-byte": _emptied,
}


def test_a_healthy_program_passes_every_check(demo_copy: Path) -> None:
    before = demo_copy.read_bytes()
    report = check_database(demo_copy)
    assert report.ok, report.lines()
    assert len(report.checks) == CHECK_COUNT
    lines = report.lines()
    assert lines[0] == f"Checking {demo_copy}"
    assert all(line.endswith("OK") for line in lines[1:-1])
    assert lines[-1] == f"All {CHECK_COUNT} checks passed."
    assert demo_copy.read_bytes() == before  # checking writes nothing


def test_an_open_database_and_an_in_memory_one_can_be_checked(db: Database) -> None:
    assert check_database(db).ok
    memory = open_memory_program()
    try:
        report = check_database(memory)
    finally:
        memory.dispose()
    assert report.ok
    assert report.path is None
    assert report.lines()[0] == "Checking the in-memory database"


BREAKS = [
    (
        "goal progress is 0-100",
        ["UPDATE goals SET progress = 150 WHERE id = (SELECT min(id) FROM goals)"],
        "has progress 150",
    ),
    (
        "skill levels are 0-10",
        ["UPDATE skill_assessments SET level = 11 WHERE id = 1"],
        "has level 11",
    ),
    (
        "action items belong to their session's mentee",
        [
            "UPDATE action_items SET mentee_id = (SELECT max(id) FROM mentees"
            " WHERE id != action_items.mentee_id)"
            " WHERE id = (SELECT min(id) FROM action_items WHERE session_id IS NOT NULL)"
        ],
        "but its session",
    ),
    (
        "evidence has at least one LMP area",
        ["DELETE FROM evidence_areas WHERE evidence_id = (SELECT min(id) FROM evidence)"],
        "has no LMP area",
    ),
    (
        "LMP candidates are marked as in the LMP",
        ["UPDATE mentees SET in_lmp = 0 WHERE id = (SELECT min(mentee_id) FROM lmp_records)"],
        "who is not marked as in the LMP",
    ),
    (
        "link tables point at existing rows",
        [
            "INSERT INTO session_goals (session_id, goal_id, created_at, updated_at)"
            " VALUES (999999, (SELECT min(id) FROM goals), '2026-01-01', '2026-01-01')"
        ],
        "session_goals row (session_id=999999",
    ),
]


@pytest.mark.parametrize(("name", "statements", "fragment"), BREAKS, ids=[b[0] for b in BREAKS])
def test_each_consistency_rule_finds_its_own_break(
    demo_copy: Path, name: str, statements: list[str], fragment: str
) -> None:
    assert check_database(demo_copy).ok
    _execute(demo_copy, *statements)
    report = check_database(demo_copy)
    assert not report.ok
    failed = {check.name: check for check in report.checks if not check.ok}
    assert name in failed
    assert any(fragment in problem for problem in failed[name].problems), failed[name]
    # Only this rule (and SQLite's own foreign key check, for a dangling link) complains.
    assert set(failed) <= {name, "SQLite foreign_key_check"}
    assert "checks failed" in report.lines()[-1]
    assert "mentor-desk restore" in report.lines()[-1]


def test_a_dangling_reference_is_named_with_its_table_and_row(demo_copy: Path) -> None:
    _execute(
        demo_copy, "UPDATE goals SET mentee_id = 888888 WHERE id = (SELECT min(id) FROM goals)"
    )
    report = check_database(demo_copy)
    fk = next(check for check in report.checks if check.name == "SQLite foreign_key_check")
    assert len(fk.problems) == 1
    assert fk.problems[0].startswith("goals row ")
    assert "missing mentees row" in fk.problems[0]


def test_a_search_index_out_of_step_with_its_table_is_found(demo_copy: Path) -> None:
    connection = sqlite3.connect(demo_copy, isolation_level=None)
    try:
        triggers = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'mentees'"
            )
        ]
        assert triggers
        for trigger in triggers:
            connection.execute(f'DROP TRIGGER "{trigger}"')
        connection.execute("UPDATE mentees SET name = 'Renamed behind the index'")
    finally:
        connection.close()
    report = check_database(demo_copy)
    search = next(check for check in report.checks if check.name == "search indexes")
    assert not search.ok
    assert "mentee search index" in search.problems[0]


def test_many_problems_are_counted_not_all_listed(demo_copy: Path) -> None:
    _execute(demo_copy, "UPDATE goals SET progress = -1")
    check = next(c for c in check_database(demo_copy).checks if c.name == "goal progress is 0-100")
    assert len(check.problems) == 20
    assert check.more > 0
    assert f"{20 + check.more} problems" in "\n".join(check_database(demo_copy).lines())


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_file_gives_a_report_not_a_traceback(demo_copy: Path, kind: str) -> None:
    DAMAGE[kind](demo_copy)
    before = demo_copy.read_bytes()
    report = check_database(demo_copy)
    assert not report.ok
    assert report.error is not None
    assert report.checks == ()
    assert "FAILED" in report.lines()[1]
    assert "mentor-desk restore" in report.lines()[-1]
    assert demo_copy.read_bytes() == before


def test_find_damage_passes_healthy_and_missing_files(demo_copy: Path, tmp_path: Path) -> None:
    assert find_damage(demo_copy) is None
    assert find_damage(tmp_path / "nothing-here.sqlite3") is None


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("garbage", "not an SQLite database"),
        ("truncated", "malformed"),
        ("zero-byte", "empty (0 bytes)"),
    ],
)
def test_find_damage_says_what_is_wrong(demo_copy: Path, kind: str, reason: str) -> None:
    DAMAGE[kind](demo_copy)
    found = find_damage(demo_copy)
    assert found is not None
    assert reason in found


def _backup(paths: DataPaths, source: Path, stamp: str) -> Path:
    paths.backups.mkdir(exist_ok=True)
    target = paths.backups / f"mentor-desk-{stamp}-manual.sqlite3"
    shutil.copyfile(source, target)
    return target


@pytest.mark.parametrize("kind", DAMAGE)
def test_start_up_moves_a_damaged_file_aside_and_names_the_newest_good_backup(
    demo_copy: Path, data_dir: Path, kind: str
) -> None:
    paths = DataPaths(data_dir)
    good = _backup(paths, demo_copy, "20260101T000000Z")
    newer_but_broken = _backup(paths, demo_copy, "20260102T000000Z")
    _truncated(newer_but_broken)
    DAMAGE[kind](demo_copy)
    original = demo_copy.read_bytes()

    with pytest.raises(DamagedDatabaseError) as caught:
        open_program(data_dir)

    error = caught.value
    assert error.moved_to.parent == data_dir
    assert error.moved_to.name.startswith("mentor-desk.sqlite3.damaged-")
    assert error.moved_to.read_bytes() == original  # byte for byte
    assert not demo_copy.exists()
    assert error.newest_backup == good
    message = str(error)
    assert "is damaged" in message
    assert error.moved_to.name in message
    assert f'mentor-desk restore "{good}"' in message

    # The next start is a fresh, empty program; the damaged file stays where it was put.
    fresh = open_program(data_dir)
    try:
        assert list_mentees(fresh) == []
    finally:
        fresh.dispose()
    assert error.moved_to.read_bytes() == original


def test_with_no_backup_the_message_says_so(demo_copy: Path, data_dir: Path) -> None:
    _garbage(demo_copy)
    with pytest.raises(DamagedDatabaseError, match="no good backup") as caught:
        open_program(data_dir)
    assert caught.value.newest_backup is None


def test_a_database_from_a_newer_version_is_refused_untouched(
    demo_copy: Path, data_dir: Path
) -> None:
    _execute(demo_copy, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    original = demo_copy.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_program(data_dir)
    assert demo_copy.read_bytes() == original
    assert list(data_dir.glob("*.damaged-*")) == []


def test_a_backup_can_be_put_in_place_of_a_damaged_file(demo_copy: Path, data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    good = _backup(paths, demo_copy, "20260101T000000Z")
    _garbage(demo_copy)
    with pytest.raises(DamagedDatabaseError):
        open_program(paths)
    install_backup(paths, good)
    restored = open_program(paths)
    try:
        assert len(list_mentees(restored)) > 0
    finally:
        restored.dispose()
    assert good.exists()  # copied, not moved


def test_move_aside_takes_the_wal_files_along_and_never_overwrites(tmp_path: Path) -> None:
    database = tmp_path / "mentor-desk.sqlite3"
    now = datetime(2026, 11, 21, 14, 2, 3, tzinfo=UTC)
    moved = []
    for round_ in range(2):
        database.write_bytes(f"db {round_}".encode())
        database.with_name(database.name + "-wal").write_bytes(f"wal {round_}".encode())
        moved.append(move_aside(database, now=now))
    assert moved[0].name == "mentor-desk.sqlite3.damaged-20261121T140203Z"
    assert moved[1] != moved[0]
    for round_, path in enumerate(moved):
        assert path.read_bytes() == f"db {round_}".encode()
        assert path.with_name(path.name + "-wal").read_bytes() == f"wal {round_}".encode()
    assert not database.exists()


def test_newest_good_backup_of_a_missing_folder_is_none(tmp_path: Path) -> None:
    assert newest_good_backup(tmp_path / "backups") is None
