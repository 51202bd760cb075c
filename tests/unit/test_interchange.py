"""The JSON interchange format: export, import, exact round trips, and refusing bad files."""

from __future__ import annotations

import copy
import errno
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from mentor_desk.db.base import (
    Assessor,
    Base,
    Cadence,
    CandorQuadrant,
    Decision,
    GoalCategory,
    GoalStatus,
    ItemOwner,
    Level,
    LmpState,
    MenteeStatus,
    ProgressMode,
    RecordedBy,
    Track,
    Visibility,
)
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    LmpArea,
    LmpPresentation,
    LmpRecord,
    Mentee,
    MentoringSession,
    Milestone,
    ScpaUpdate,
    SessionTemplate,
    SessionType,
    Setting,
    SkillArea,
    SkillAssessment,
    Tag,
)
from mentor_desk.errors import ImportFileError, NotFoundError, UserError
from mentor_desk.services import interchange
from mentor_desk.services.interchange import (
    export_data,
    export_json,
    import_data,
    import_json,
    to_json_text,
)
from mentor_desk.services.interchange_schema import (
    EXCLUDED_TABLES,
    SPECS,
    check_table_coverage,
)
from mentor_desk.services.program import open_program

FIXED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOSTILE = "<b>&amp; \"quoted\" 'single' Zoë 李小龙 مرحبا بالعالم 😀🚀 \\ back\\slash"
BIG_NOTE = ("## Notes <b>& 李 😀 مرحبا\n" + "x" * 200 + "\n") * 4_200
IST = timezone(timedelta(hours=5, minutes=30))
PST = timezone(timedelta(hours=-8))


@dataclass(frozen=True)
class Dataset:
    mentee_id: int
    mentee_uid: str
    other_id: int
    other_uid: str
    other_goal_uid: str


def _populate(db: Database, *, big: bool = True) -> Dataset:
    """Every table filled directly through the ORM, with hostile text in every script."""
    note = BIG_NOTE if big else HOSTILE
    with db.write() as s:
        first_type = s.scalars(select(SessionType).order_by(SessionType.name)).first()
        testing = s.scalars(select(SkillArea).where(SkillArea.name == "Testing")).one()
        areas = {a.code: a for a in s.scalars(select(LmpArea))}
        template = SessionTemplate(
            name="Mentor's <b>& template 📝", body="## 问题\n- ?", position=9
        )
        tag_a, tag_b = Tag(name="<b>&"), Tag(name="李 🚀")
        custom_skill = SkillArea(name="Mentoring 🧭", description=HOSTILE)
        custom_area = LmpArea(
            code="D9", title="Custom <b>&", parent_id=areas["D"].id, position=9, optional=True
        )
        mentee = Mentee(
            name="Zoë 李 <b>&",
            pronouns="they/them",
            role="Engineer",
            team="Платформа",
            level=Level.SENIOR,
            track=Track.IC,
            email="zoe@example.org",
            started_on=date(2025, 1, 6),
            status=MenteeStatus.ACTIVE,
            in_lmp=True,
            career_aspiration="مرحبا بالعالم",
            learning_style="Hands-on 🙂",
            notes=note,
            cadence=Cadence.BIWEEKLY,
            tags=[tag_a, tag_b],
            created_at=datetime(2025, 1, 6, 10, 0, tzinfo=timezone(timedelta(hours=2))),
        )
        other = Mentee(name="Other Person", status=MenteeStatus.PAUSED, tags=[tag_a])
        s.add_all([template, tag_a, tag_b, custom_skill, custom_area, mentee, other])
        s.flush()
        custom_type = SessionType(
            name="Shadowing شاهد", default_minutes=45, description=HOSTILE, template_id=template.id
        )
        record = LmpRecord(
            mentee_id=mentee.id,
            sponsor_name="Ana 🌸",
            state=LmpState.FURTHER_ACTIONS,
            enrolled_on=date(2025, 2, 1),
            recommendation=HOSTILE,
        )
        s.add_all([custom_type, record])
        s.flush()
        presentation = LmpPresentation(
            record_id=record.id,
            presented_on=date(2025, 9, 1),
            reviewers="Kim, 王",
            decision=Decision.FURTHER_ACTIONS,
            decided_on=date(2025, 9, 2),
            decision_notes=HOSTILE,
        )
        s.add(presentation)
        s.flush()
        goal = Goal(
            mentee_id=mentee.id,
            title="Lead the retro 🚀",
            description=HOSTILE,
            category=GoalCategory.SOFT_SKILLS,
            target_date=date(2026, 6, 30),
            status=GoalStatus.AT_RISK,
            progress_mode=ProgressMode.MILESTONES,
            progress=40,
            presentation_id=presentation.id,
            visibility=Visibility.LEADERSHIP,
        )
        other_goal = Goal(mentee_id=other.id, title="Other's goal")
        s.add_all([goal, other_goal])
        s.flush()
        first = MentoringSession(
            mentee_id=mentee.id,
            session_type_id=first_type.id if first_type else None,
            started_at=datetime(2026, 1, 5, 9, 30, 15, 123456, tzinfo=IST),
            title="First <b>&",
            summary="Summary 李",
            notes=note,
            visibility=Visibility.SHARED_WITH_MENTEE,
            goals=[goal],
            tags=[tag_b, tag_a],
        )
        # A link to another mentee's goal: kept in a full export, left out of a one-mentee one.
        second = MentoringSession(
            mentee_id=mentee.id,
            session_type_id=custom_type.id,
            started_at=datetime(2026, 1, 19, 23, 45, tzinfo=PST),
            duration_minutes=90,
            notes="Short",
            goals=[goal, other_goal],
        )
        others = MentoringSession(
            mentee_id=other.id, started_at=datetime(2026, 1, 7, 8, 0, tzinfo=UTC), notes="Secret"
        )
        s.add_all([first, second, others])
        s.flush()
        s.add_all(
            [
                Milestone(goal_id=goal.id, title="Draft 草稿", due_on=date(2026, 2, 1), done=True,
                          done_on=date(2026, 1, 30), position=0),
                Milestone(goal_id=goal.id, title="Run it", position=1),
                GoalCheckin(goal_id=goal.id, checked_on=date(2026, 1, 5), progress=20,
                            comment=HOSTILE),
                GoalCheckin(goal_id=goal.id, checked_on=date(2026, 2, 5), progress=40),
                ActionItem(mentee_id=mentee.id, session_id=first.id, text="Write the doc <b>&",
                           owner=ItemOwner.MENTOR, due_on=date(2026, 1, 12), done=True,
                           done_on=date(2026, 1, 11), position=1, visibility=Visibility.PRIVATE),
                ActionItem(mentee_id=mentee.id, text="Read 📚"),
                Feedback(mentee_id=mentee.id, session_id=first.id, given_on=date(2026, 1, 5),
                         observation=HOSTILE, impact="影响", request="طلب",
                         quadrant=CandorQuadrant.RADICAL_CANDOR),
                Feedback(mentee_id=other.id, given_on=date(2026, 1, 7), observation="Other's"),
                SkillAssessment(mentee_id=mentee.id, skill_area_id=testing.id, level=2,
                                assessed_on=date(2025, 1, 6), assessor=Assessor.SELF, note=HOSTILE),
                SkillAssessment(mentee_id=mentee.id, skill_area_id=custom_skill.id, level=10,
                                assessed_on=date(2026, 1, 6)),
                Evidence(record_id=record.id, occurred_on=date(2026, 1, 8), title="Stand-up <b>&",
                         narrative=HOSTILE, source="https://example.org/?a=1&b=2",
                         recorded_by=RecordedBy.CANDIDATE, areas=[areas["E1"], custom_area]),
                ScpaUpdate(record_id=record.id, week_of=date(2026, 1, 5), success="✅",
                           challenges="挑战", priorities="أولويات", appreciation="🙏"),
                Setting(key="mentor_name", value="Ana 🌸 <b>&"),
            ]
        )  # fmt: skip
        return Dataset(mentee.id, mentee.uid, other.id, other.uid, other_goal.uid)


def _counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def _session_type_uids(db: Database) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(SessionType.uid)))


def _text(db: Database, **kwargs: Any) -> str:
    return to_json_text(export_data(db, exported_at=FIXED, **kwargs))


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class Program(NamedTuple):
    db: Database
    ids: Dataset


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Dataset | None]]:
    """Programs made once per module and copied for each test: migrating takes most of a second."""
    root = tmp_path_factory.mktemp("templates")
    made: dict[str, tuple[Path, Dataset | None]] = {}
    # "empty" is seeded separately from the others, so its defaults have different uids.
    for name, big in (("empty", None), ("base", None), ("small", False), ("big", True)):
        if big is not None:
            shutil.copytree(root / "base", root / name)
        database = open_program(root / name)
        made[name] = (root / name, None if big is None else _populate(database, big=big))
        database.dispose()  # the last connection to close folds the WAL into the file
    return made


def _open_copy(
    templates: dict[str, tuple[Path, Dataset | None]], name: str, tmp_path: Path
) -> Database:
    target = tmp_path / f"{name}-copy"
    shutil.copytree(templates[name][0], target)
    return open_program(target)


@pytest.fixture
def db(templates: dict[str, tuple[Path, Dataset | None]], tmp_path: Path) -> Iterator[Database]:
    """A migrated, seeded program of its own (a copy: same as conftest's, only faster)."""
    database = _open_copy(templates, "empty", tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def other_db(
    templates: dict[str, tuple[Path, Dataset | None]], tmp_path: Path
) -> Iterator[Database]:
    """A second, empty program in a separate data folder."""
    database = _open_copy(templates, "empty", tmp_path / "other")
    yield database
    database.dispose()


def _program(
    templates: dict[str, tuple[Path, Dataset | None]], name: str, tmp_path: Path
) -> Iterator[Program]:
    database = _open_copy(templates, name, tmp_path)
    ids = templates[name][1]
    assert ids is not None
    yield Program(database, ids)
    database.dispose()


@pytest.fixture
def small(templates: dict[str, tuple[Path, Dataset | None]], tmp_path: Path) -> Iterator[Program]:
    """Every table filled, short texts."""
    yield from _program(templates, "small", tmp_path)


@pytest.fixture
def big(templates: dict[str, tuple[Path, Dataset | None]], tmp_path: Path) -> Iterator[Program]:
    """Every table filled, with 1 MB notes."""
    yield from _program(templates, "big", tmp_path)


# --- export -------------------------------------------------------------------------------------


def test_every_table_is_in_the_format_and_search_indexes_are_not(db: Database) -> None:
    data = export_data(db, exported_at=FIXED)
    header = ["format", "format_version", "app_version", "exported_at", "scope"]
    assert list(data) == header + list(SPECS)
    assert data["format"] == "mentor-desk"
    assert data["format_version"] == 1
    assert data["exported_at"] == "2026-03-01T12:00:00Z"
    assert data["scope"] == {"all": True}
    assert check_table_coverage() == set()
    with db.read() as s:
        stored = set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")))
    links = {link.table.name for spec in SPECS.values() for link in spec.links}
    # Whatever else the database holds (search indexes, Alembic's bookkeeping, the trash's
    # snapshots) is not data.
    not_data = {"alembic_version"} | EXCLUDED_TABLES | {n for n in stored if "fts" in n}
    assert stored - set(SPECS) - links <= not_data
    assert not EXCLUDED_TABLES & set(data)
    assert not [key for key in data if "fts" in key or key == "alembic_version"]


def test_export_writes_the_documented_value_forms(small: Program) -> None:
    db, dataset = small
    data = export_data(db, exported_at=FIXED)
    mentee = next(m for m in data["mentees"] if m["uid"] == dataset.mentee_uid)
    assert mentee["name"] == "Zoë 李 <b>&"
    assert mentee["level"] == "senior"
    assert mentee["started_on"] == "2025-01-06"
    assert mentee["created_at"] == "2025-01-06T08:00:00Z"
    assert mentee["tags"] == ["<b>&", "李 🚀"]
    first = next(s for s in data["sessions"] if s["title"] == "First <b>&")
    assert first["started_at"] == "2026-01-05T04:00:15.123456Z"
    assert first["mentee_uid"] == dataset.mentee_uid
    assert first["tags"] == ["<b>&", "李 🚀"]
    assert data["evidence"][0]["area_codes"] == ["D9", "E1"]
    custom = next(a for a in data["lmp_areas"] if a["code"] == "D9")
    parent = next(a for a in data["lmp_areas"] if a["code"] == "D")
    assert custom["parent_uid"] == parent["uid"]
    assert [a["code"] for a in data["lmp_areas"]] == sorted(a["code"] for a in data["lmp_areas"])
    for name in SPECS:
        for row in data[name]:
            assert not [k for k in row if k == "id" or k.endswith("_id")], (name, row)


def test_export_is_deterministic_and_atomic(big: Program, tmp_path: Path) -> None:
    db = big.db
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    summary = export_json(db, target, exported_at=FIXED)
    assert summary.counts["mentees"] == 2
    assert summary.counts["sessions"] == 3
    assert summary.total == sum(len(v) for v in export_data(db).values() if isinstance(v, list))
    text = target.read_text(encoding="utf-8")
    assert text == _text(db)
    assert "\\u" not in text  # ensure_ascii=False: every script is written as itself
    assert json.loads(text)["mentees"][0]["notes"] == BIG_NOTE
    export_json(db, target, exported_at=FIXED)
    assert target.read_text(encoding="utf-8") == text
    assert [p.name for p in target.parent.iterdir()] == ["export.json"]


def test_a_failed_export_leaves_the_old_file_whole(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "exports" / "export.json"
    target.parent.mkdir()
    target.write_text("previous export", encoding="utf-8")

    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(interchange.os, "fsync", full_disk)
    with pytest.raises(UserError, match="No space left"):
        export_json(db, target, exported_at=FIXED)
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in target.parent.iterdir()] == ["export.json"]


def test_export_into_a_missing_folder_is_a_user_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Could not write"):
        export_json(db, tmp_path / "missing" / "export.json")


def test_exporting_an_unknown_mentee_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        export_data(db, mentee_id=999_999)


def test_one_mentee_export_holds_only_that_mentee(small: Program, other_db: Database) -> None:
    db, dataset = small
    data = export_data(db, mentee_id=dataset.mentee_id, exported_at=FIXED)
    text = to_json_text(data)
    assert data["scope"] == {"mentee": dataset.mentee_uid}
    assert [m["uid"] for m in data["mentees"]] == [dataset.mentee_uid]
    for name in ("sessions", "action_items", "feedback", "goals", "skill_assessments"):
        assert data[name], name
        assert {row["mentee_uid"] for row in data[name]} == {dataset.mentee_uid}
    assert dataset.other_uid not in text
    assert dataset.other_goal_uid not in text
    assert "Other's" not in text
    assert "Secret" not in text
    assert data["settings"] == []
    assert len(data["milestones"]) == 2
    assert len(data["goal_checkins"]) == 2
    assert len(data["lmp_records"]) == len(data["lmp_presentations"]) == 1
    assert len(data["evidence"]) == len(data["scpa_updates"]) == 1
    # Only the reference rows the mentee's records use, with the parents of the LMP areas.
    assert sorted(a["code"] for a in data["lmp_areas"]) == ["D", "D9", "E", "E1"]
    assert sorted(s["name"] for s in data["skill_areas"]) == ["Mentoring 🧭", "Testing"]
    assert len(data["session_types"]) == 2
    used = {t["template_uid"] for t in data["session_types"]}
    assert {t["uid"] for t in data["session_templates"]} == used
    assert "Mentor's <b>& template 📝" in {t["name"] for t in data["session_templates"]}
    assert sorted(t["name"] for t in data["tags"]) == ["<b>&", "李 🚀"]
    summary = import_data(other_db, data)
    assert summary.counts["mentees"].created == 1
    assert summary.counts["sessions"].created == 2
    assert _counts(other_db)["session_goals"] == 2


# --- round trips --------------------------------------------------------------------------------


def test_round_trip_into_an_empty_program_is_exact(
    big: Program, other_db: Database, tmp_path: Path
) -> None:
    db = big.db
    seeded = _counts(other_db)
    assert _session_type_uids(db) != _session_type_uids(other_db)  # seeded separately
    path = tmp_path / "export.json"
    export_json(db, path, exported_at=FIXED)
    summary = import_json(other_db, path)
    assert summary.counts["mentees"].created == 2
    assert summary.counts["sessions"].created == 3
    # The seeded defaults were matched by name or code, not duplicated.
    assert summary.counts["session_types"].created == 1
    assert summary.counts["lmp_areas"].created == 1
    assert summary.counts["skill_areas"].created == 1
    assert summary.counts["session_types"].updated == seeded["session_types"]
    again = tmp_path / "again.json"
    export_json(other_db, again, exported_at=FIXED)
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert _counts(other_db) == _counts(db)


def test_reimporting_the_same_file_changes_nothing(big: Program, tmp_path: Path) -> None:
    db = big.db
    before, counts = _text(db), _counts(db)
    path = tmp_path / "export.json"
    export_json(db, path, exported_at=FIXED)
    for _ in range(2):
        summary = import_json(db, path)
        assert summary.created == summary.updated == 0
        assert summary.unchanged == sum(len(rows) for rows in json.loads(before).values()
                                        if isinstance(rows, list))  # fmt: skip
    assert _counts(db) == counts
    assert _text(db) == before


def test_import_updates_records_in_place(small: Program) -> None:
    db, dataset = small
    data = export_data(db, exported_at=FIXED)
    counts = _counts(db)
    session = next(s for s in data["sessions"] if s["title"] == "First <b>&")
    session["title"] = "Renamed 改名"
    del session["updated_at"]  # a hand edit: the import stamps the change itself
    mentee = next(m for m in data["mentees"] if m["uid"] == dataset.mentee_uid)
    mentee["tags"] = ["李 🚀"]
    summary = import_data(db, data)
    assert summary.counts["sessions"].updated == 1
    assert summary.counts["mentees"].updated == 1
    assert summary.created == 0
    assert _counts(db)["mentee_tags"] == counts["mentee_tags"] - 1
    with db.read() as s:
        row = s.scalars(
            select(MentoringSession).where(MentoringSession.uid == session["uid"])
        ).one()
        assert row.title == "Renamed 改名"
        assert row.updated_at > FIXED


def test_reference_data_merges_by_name_regardless_of_case(db: Database) -> None:
    data = export_data(db, exported_at=FIXED)
    data["skill_areas"] = [{"uid": "handwritten1", "name": "TESTING", "description": "Tests"}]
    data["tags"] = [{"uid": "tag1", "name": "<b>&"}]
    data["mentees"] = [{"uid": "m1", "name": "Hand Written", "tags": ["<B>&"]}]
    summary = import_data(db, data)
    assert summary.counts["skill_areas"].updated == 1
    assert summary.counts["skill_areas"].created == 0
    assert summary.counts["mentees"].created == 1
    with db.read() as s:
        skill = s.scalars(select(SkillArea).where(SkillArea.uid == "handwritten1")).one()
        assert skill.name == "TESTING"
        assert s.scalar(select(func.count()).select_from(Tag)) == 1


# --- refusing bad files -------------------------------------------------------------------------


def test_a_bad_field_deep_in_the_file_changes_nothing_and_every_problem_is_named(
    big: Program,
) -> None:
    db = big.db
    before, counts = _text(db), _counts(db)
    data = export_data(db, exported_at=FIXED)
    data["mentees"].append({"uid": "newmentee", "name": "New, valid"})
    data["sessions"][0]["title"] = "A valid change"
    data["goal_checkins"][1]["progress"] = 150
    data["sessions"][1]["started_at"] = "yesterday"
    data["goals"][0]["target_date"] = "2026-02-30"
    data["evidence"][0]["area_codes"].append("ZZ")
    data["action_items"][0]["session_uid"] = "f" * 32
    data["feedback"][0]["quadrant"] = "sunny"
    del data["milestones"][1]["title"]
    with pytest.raises(ImportFileError) as caught:
        import_data(db, data)
    problems = caught.value.problems
    expected = {
        "goal_checkins[1].progress: must be a whole number from 0 to 100",
        "sessions[1].started_at:",
        "goals[0].target_date:",
        "evidence[0].area_codes[2]: no LMP area 'ZZ'",
        f"action_items[0].session_uid: no session with uid '{'f' * 32}'",
        "feedback[0].quadrant: 'sunny' is not one of",
        "milestones[1].title: is required",
    }
    for fragment in expected:
        assert any(p.startswith(fragment) for p in problems), (fragment, problems)
    assert len(problems) == len(expected)
    assert "7 problems" in str(caught.value)
    assert _text(db) == before
    assert _counts(db) == counts


def test_a_second_lmp_record_for_a_mentee_is_refused(small: Program) -> None:
    db = small.db
    data = export_data(db, exported_at=FIXED)
    data["lmp_records"].append({**data["lmp_records"][0], "uid": "secondrecord"})
    with pytest.raises(ImportFileError) as caught:
        import_data(db, data)
    assert caught.value.problems == [
        f"lmp_records[{i}]: another LMP record in the file or in this database has the same "
        "mentee_uid"
        for i in (0, 1)
    ]


def test_an_lmp_area_cannot_become_its_own_ancestor(small: Program) -> None:
    db = small.db
    data = export_data(db, exported_at=FIXED)
    areas = {a["code"]: a for a in data["lmp_areas"]}
    areas["D"]["parent_uid"] = areas["D9"]["uid"]
    with pytest.raises(ImportFileError, match=r"lmp_areas\[\d+\]\.parent_uid: makes the LMP area"):
        import_data(db, data)


def _valid(db: Database) -> dict[str, Any]:
    return export_data(db, exported_at=FIXED)


def _edit(path: str, value: Any) -> Any:
    def apply(data: dict[str, Any]) -> dict[str, Any]:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DROP:
            del node[last]
        else:
            node[last] = value
        return data

    return apply


_DROP = object()
MALFORMED = [
    (
        "not json",
        lambda _: "this is not { JSON",
        r"not valid JSON: Expecting value \(line 1, column 1\)",
    ),
    ("truncated", lambda text: text[: len(text) // 2], "seems cut short"),
    ("a list", lambda _: "[1, 2]", "holds a list, not an object"),
    ("a number", lambda _: "42", "holds int"),
    ("wrong format", lambda _: '{"format": "other-app", "format_version": 1}', "format is"),
    ("no format", lambda _: '{"mentees": []}', "it has no format"),
    ("newer", lambda _: '{"format": "mentor-desk", "format_version": 2}', "newer Mentor Desk"),
    ("bad version", lambda _: '{"format": "mentor-desk", "format_version": "1"}', "no valid"),
    ("nan", lambda _: '{"format": "mentor-desk", "format_version": NaN}', "NaN"),
    ("not utf-8", lambda _: b"\xff\xfe\x00{".decode("latin-1"), "not UTF-8 text"),
]


@pytest.mark.parametrize(("label", "make", "expected"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_files_get_a_clear_message(
    db: Database, tmp_path: Path, label: str, make: Any, expected: str
) -> None:
    before = _text(db)
    path = tmp_path / "import.json"
    text = make(to_json_text(_valid(db)))
    path.write_bytes(text.encode("latin-1" if label == "not utf-8" else "utf-8"))
    with pytest.raises(ImportFileError, match=expected) as caught:
        import_json(db, path)
    assert "import.json" in str(caught.value)
    assert _text(db) == before


INVALID = [
    ("mentees.0.name", _DROP, "mentees[0].name: is required"),
    ("sessions.0.visibility", "secret", "sessions[0].visibility: 'secret' is not one of"),
    ("goals.0.target_date", "2026-02-30", "goals[0].target_date: '2026-02-30' is not a date"),
    ("goals.0.progress", 101, "goals[0].progress: must be a whole number from 0 to 100"),
    ("skill_assessments.0.level", 11, "skill_assessments[0].level: must be a whole number from 0"),
    ("sessions.0.mentee_uid", "dangling", "sessions[0].mentee_uid: no mentee with uid 'dangling'"),
    ("sessions.0.started_at", 20260301, "sessions[0].started_at: must be a date and time"),
    ("mentees.0.in_lmp", "yes", "mentees[0].in_lmp: must be true or false"),
    ("mentees.0.email", "not-an-email", "mentees[0].email: 'not-an-email' is not an e-mail"),
    ("mentees.0.nickname", "Zo", "mentees[0].nickname: is not a field of mentees"),
    ("mentees.0.uid", "has spaces", "mentees[0].uid: must be a uid"),
    ("sessions.0.tags", "tag", "sessions[0].tags: must be a list"),
    ("goals", {}, "goals: must be a list"),
    ("scope", "everything", "scope: must be"),
    ("exported_at", "soon", "exported_at: 'soon' is not a date and time"),
    ("extra", [], "extra: is not part of the format"),
]


@pytest.mark.parametrize(("path", "value", "expected"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_fields_are_reported_with_their_location(
    small: Program, path: str, value: Any, expected: str
) -> None:
    db = small.db
    before = _text(db)
    data = _edit(path, value)(_valid(db))
    with pytest.raises(ImportFileError) as caught:
        import_data(db, data)
    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems
    assert _text(db) == before


def test_duplicate_uids_in_a_file_are_refused(small: Program) -> None:
    db = small.db
    data = _valid(db)
    data["goals"].append({**data["goals"][0], "title": "Copy"})
    with pytest.raises(ImportFileError) as caught:
        import_data(db, data)
    assert caught.value.problems == [f"goals[{len(data['goals']) - 1}].uid: the same as goals[0]"]


def test_a_missing_file_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="Could not read"):
        import_json(db, tmp_path / "nowhere.json")


def test_a_huge_file_is_refused_before_reading(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "big.json", _valid(db))
    monkeypatch.setattr(interchange, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(ImportFileError, match="more than the 0 MB"):
        import_json(db, path)


# --- any damage to a valid file: a clean import or a clean refusal ------------------------------

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "2026-02-30", "2026-03-01", "2026-03-01T09:00:00Z", "private", "D"]),
    st.lists(st.text(max_size=4), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


_BASELINES: dict[int, dict[str, Any]] = {}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_damaged_files_import_cleanly_or_change_nothing(
    small: Program, data: st.DataObject
) -> None:
    db = small.db
    # Mutate a fixed first export: an example that imports cleanly changes the database, and
    # Hypothesis needs the same draws to give the same data every time it replays an example.
    document = copy.deepcopy(_BASELINES.setdefault(id(small), export_data(db, exported_at=FIXED)))
    before = _text(db)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        tables = [n for n in SPECS if isinstance(document.get(n), list) and document[n]]
        name = data.draw(st.sampled_from([*tables, "format_version", "scope", "exported_at"]))
        if name not in tables:
            document[name] = data.draw(_JUNK)
            continue
        row = data.draw(st.sampled_from(document[name]))
        if not isinstance(row, dict) or not row:
            continue
        key = data.draw(st.sampled_from(sorted(row)))
        if data.draw(st.booleans()):
            del row[key]
        else:
            row[key] = data.draw(_JUNK)
    try:
        summary = import_data(db, document)
    except ImportFileError as exc:
        assert str(exc).startswith("The data")  # noqa: PT017 (the database is checked next)
        assert _text(db) == before
        return
    assert set(summary.counts) == set(SPECS)
    again = import_data(db, document)  # what was accepted is now in place, exactly
    assert again.created == again.updated == 0, again


# --- the documentation --------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "interchange.md"


def test_the_documented_example_imports(db: Database) -> None:
    example = DOC.read_text(encoding="utf-8").split("```json\n")[1].split("```")[0]
    summary = import_data(db, json.loads(example))
    assert summary.counts["mentees"].created == 1
    assert summary.counts["sessions"].created == 1
    assert summary.counts["tags"].created == 1
    assert _counts(db)["mentee_tags"] == 1


def test_the_documentation_describes_every_table_and_field() -> None:
    sections = DOC.read_text(encoding="utf-8").split("#### `")[1:]
    described = {section.split("`")[0]: section for section in sections}
    assert list(described) == list(SPECS)
    for name, spec in SPECS.items():
        keys = [f.key for f in spec.fields if f.key not in ("created_at", "updated_at")]
        keys += [link.key for link in spec.links]
        missing = [key for key in keys if f"| `{key}` |" not in described[name]]
        assert missing == [], name


def test_a_uid_taken_by_another_row_is_not_adopted(db: Database) -> None:
    header = {"format": "mentor-desk", "format_version": 1}
    import_data(db, {**header, "tags": [{"uid": "t1", "name": "x"}, {"uid": "t2", "name": "y"}]})
    # "x" matches by name, but "t2" is the uid of "y" here: "x" keeps "t1", and the file's
    # references to "t2" mean the row the file calls "x".
    summary = import_data(
        db,
        {
            **header,
            "tags": [{"uid": "t2", "name": "X"}],
            "mentees": [{"uid": "m1", "name": "Ana", "tags": ["x"]}],
            "sessions": [
                {"uid": "s1", "mentee_uid": "m1", "started_at": "2026-03-02T09:30:00+05:30"}
            ],
        },
    )
    assert summary.counts["tags"].updated == 1
    with db.read() as s:
        assert {r.uid: r.name for r in s.execute(select(Tag.uid, Tag.name))} == {
            "t1": "X",
            "t2": "y",
        }
        started = s.scalars(select(MentoringSession.started_at)).one()
    assert started == datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    assert export_data(db)["mentees"][0]["tags"] == ["X"]


def test_a_streamed_one_mentee_file_is_the_text_of_its_data(small: Program, tmp_path: Path) -> None:
    # export_json writes a table at a time; export_data builds the whole document: same text.
    db, dataset = small
    target = tmp_path / "one.json"
    summary = export_json(db, target, mentee_id=dataset.mentee_id, exported_at=FIXED)
    data = export_data(db, mentee_id=dataset.mentee_id, exported_at=FIXED)
    assert target.read_text(encoding="utf-8") == to_json_text(data)
    assert summary.mentee_uid == dataset.mentee_uid
    assert summary.counts == {name: len(data[name]) for name in SPECS}
