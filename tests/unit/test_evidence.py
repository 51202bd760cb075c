"""LMP evidence entries: validation, lists and filters, and coverage of the framework."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from mentor_desk.db.base import RecordedBy, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpRecord, Mentee
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import evidence as ev
from mentor_desk.services.evidence import EvidenceInput
from mentor_desk.services.framework import area_by_code, list_areas

HOSTILE = [
    "<b>&amp;</b> & AT&T </p>",
    "Zoë, Łukasz, 李小龙, محمد, 🚀👩🏽‍💻",
    "line one\n\n  indented **markdown**\n- item",
    "'; DROP TABLE evidence; --",
]


def make_record(db: Database, name: str = "Ana") -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        record = LmpRecord(mentee_id=mentee.id, enrolled_on=date(2024, 1, 8))
        session.add(record)
        session.flush()
        return record.id


@pytest.fixture
def record_id(db: Database) -> int:
    return make_record(db)


def add(db: Database, record_id: int, day: str, areas: list[str | int], **extra: Any) -> int:
    title = extra.pop("title", f"Evidence {day}")
    data = EvidenceInput(occurred_on=day, areas=areas, title=title, **extra)
    return ev.create_evidence(db, record_id, data).id


@contextmanager
def count_queries(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# --- entries ------------------------------------------------------------------------------------


def test_create_and_get_round_trip_with_defaults(db: Database, record_id: int) -> None:
    created = ev.create_evidence(
        db,
        record_id,
        EvidenceInput(
            occurred_on="2024-03-05",
            areas=["d2", "B1"],
            title="Feedback to a peer",
            narrative="Observed, impact, request.",
            source="https://wiki.example.org/retro?id=5&x=1",
        ),
    )
    fetched = ev.get_evidence(db, created.id)
    assert fetched == created
    assert fetched.record_id == record_id
    assert fetched.occurred_on == date(2024, 3, 5)
    assert fetched.area_codes == ("B1", "D2")  # framework order, not input order
    assert fetched.visibility == Visibility.LEADERSHIP
    assert fetched.recorded_by == RecordedBy.SPONSOR
    assert fetched.source == "https://wiki.example.org/retro?id=5&x=1"


def test_hostile_text_round_trips(db: Database, record_id: int) -> None:
    for text in HOSTILE:
        entry_id = add(db, record_id, "2024-03-05", ["A"], title=text, narrative=text, source=text)
        entry = ev.get_evidence(db, entry_id)
        assert entry.narrative == text
        assert entry.title == " ".join(text.split())  # titles are one line
        assert entry.source == " ".join(text.split())
        assert ev.list_evidence(db, record_id)[-1].title == entry.title


def test_areas_accept_ids_and_drop_duplicates(db: Database, record_id: int) -> None:
    b2 = area_by_code(db, "B2")
    entry_id = add(db, record_id, "2024-03-05", [b2.id, "b2", "E4"])
    assert ev.get_evidence(db, entry_id).area_codes == ("B2", "E4")


BAD_INPUT: list[tuple[dict[str, Any], str]] = [
    ({"areas": []}, "areas"),
    ({"areas": ["Q9"]}, "areas"),
    ({"areas": [99_999]}, "areas"),
    ({"areas": [True]}, "areas"),
    ({"title": " \n "}, "title"),
    ({"occurred_on": "05/03/2024"}, "occurred_on"),
    ({"occurred_on": None}, "occurred_on"),
    ({"recorded_by": "manager"}, "recorded_by"),
    ({"visibility": "public"}, "visibility"),
]


def test_bad_input_is_refused_naming_the_field(db: Database, record_id: int) -> None:
    # One database for all cases: each case must leave it unchanged anyway.
    for changes, field in BAD_INPUT:
        fields: dict[str, Any] = {"occurred_on": "2024-03-05", "areas": ["A"], "title": "Fine"}
        fields.update(changes)
        with pytest.raises(ValidationError) as caught:
            ev.create_evidence(db, record_id, EvidenceInput(**fields))
        assert caught.value.field == field, changes
    assert ev.list_evidence(db, record_id) == []


def test_evidence_for_a_missing_record_is_not_found(db: Database) -> None:
    data = EvidenceInput(occurred_on="2024-03-05", areas=["A"], title="Lost")
    with pytest.raises(NotFoundError, match="LMP record"):
        ev.create_evidence(db, 4242, data)
    with pytest.raises(NotFoundError):
        ev.list_evidence(db, 4242)


def test_update_replaces_every_field(db: Database, record_id: int) -> None:
    entry_id = add(db, record_id, "2024-03-05", ["A", "B1"], narrative="first")
    updated = ev.update_evidence(
        db,
        entry_id,
        EvidenceInput(
            occurred_on=date(2024, 4, 1),
            areas=["E2"],
            title="Ran the retro",
            narrative="second",
            recorded_by="candidate",
            visibility="private",
        ),
    )
    assert updated == ev.get_evidence(db, entry_id)
    assert updated.area_codes == ("E2",)
    assert updated.narrative == "second"
    assert updated.recorded_by == RecordedBy.CANDIDATE
    assert updated.visibility == Visibility.PRIVATE
    assert updated.occurred_on == date(2024, 4, 1)


def test_failed_update_changes_nothing(db: Database, record_id: int) -> None:
    entry_id = add(db, record_id, "2024-03-05", ["A"], title="Keep me")
    with pytest.raises(ValidationError):
        ev.update_evidence(
            db, entry_id, EvidenceInput(occurred_on="2024-03-06", areas=["NOPE"], title="New")
        )
    entry = ev.get_evidence(db, entry_id)
    assert (entry.title, entry.area_codes, entry.occurred_on) == (
        "Keep me",
        ("A",),
        date(2024, 3, 5),
    )


def test_delete_evidence(db: Database, record_id: int) -> None:
    entry_id = add(db, record_id, "2024-03-05", ["B1"])
    ev.delete_evidence(db, entry_id)
    with pytest.raises(NotFoundError):
        ev.get_evidence(db, entry_id)
    with pytest.raises(NotFoundError):
        ev.delete_evidence(db, entry_id)
    assert ev.gaps(db, record_id)[:3] == ["A", "B", "B1"]


# --- lists --------------------------------------------------------------------------------------


def test_list_is_oldest_first_with_excerpts(db: Database, record_id: int) -> None:
    long_text = "word " * 400
    later = add(db, record_id, "2024-05-01", ["C"], narrative=long_text)
    earlier = add(db, record_id, "2024-02-01", ["B1", "A"], narrative="short\n\nstory")
    rows = ev.list_evidence(db, record_id)
    assert [row.id for row in rows] == [earlier, later]
    assert rows[0].area_codes == ("A", "B1")
    assert rows[0].excerpt == "short story"
    assert rows[1].excerpt.endswith("…")
    assert len(rows[1].excerpt) == ev.EXCERPT_CHARS
    assert not hasattr(rows[1], "narrative")


def test_filter_by_area_includes_its_sub_areas(db: Database, record_id: int) -> None:
    on_b = add(db, record_id, "2024-02-01", ["B"])
    on_b1 = add(db, record_id, "2024-02-02", ["B1"])
    on_b2_and_c = add(db, record_id, "2024-02-03", ["B2", "C"])
    add(db, record_id, "2024-02-04", ["D1"])

    def ids(code: str) -> list[int]:
        return [row.id for row in ev.list_evidence(db, record_id, area_code=code)]

    assert ids("B") == [on_b, on_b1, on_b2_and_c]
    assert ids("b1") == [on_b1]
    assert ids("C") == [on_b2_and_c]
    assert ids("E") == []
    with pytest.raises(ValidationError) as caught:
        ids("ZZ")
    assert caught.value.field == "area_code"


def test_filters_by_date_author_and_visibility(db: Database, record_id: int) -> None:
    jan = add(db, record_id, "2024-01-15", ["A"], recorded_by="candidate")
    feb = add(db, record_id, "2024-02-15", ["A"], visibility="private")
    mar = add(db, record_id, "2024-03-15", ["A"], recorded_by="peer")

    def ids(**filters: Any) -> list[int]:
        return [row.id for row in ev.list_evidence(db, record_id, **filters)]

    assert ids(since="2024-02-15") == [feb, mar]
    assert ids(until=date(2024, 2, 15)) == [jan, feb]
    assert ids(since="2024-02-01", until="2024-02-28") == [feb]
    assert ids(recorded_by=RecordedBy.CANDIDATE) == [jan]
    assert ids(recorded_by="sponsor") == [feb]
    assert ids(visibility="private") == [feb]
    assert ids(visibility=Visibility.LEADERSHIP) == [jan, mar]
    with pytest.raises(ValidationError) as caught:
        ids(since="2024-03-01", until="2024-02-01")
    assert caught.value.field == "until"


def test_list_does_not_query_per_entry(db: Database, record_id: int) -> None:
    for day in range(1, 21):
        add(db, record_id, f"2024-03-{day:02d}", ["B1", "D2"], narrative="x" * 2000)
    with count_queries(db) as statements:
        rows = ev.list_evidence(db, record_id)
    assert len(rows) == 20
    assert all(row.area_codes == ("B1", "D2") for row in rows)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4
    # The narrative column itself is never selected for a list.
    assert not any(re.search(r"(?<!substr\()evidence\.narrative\b", s) for s in selects)


def test_list_is_per_record(db: Database, record_id: int) -> None:
    other = make_record(db, "Bo")
    add(db, other, "2024-03-01", ["A"])
    mine = add(db, record_id, "2024-03-02", ["A"])
    assert [row.id for row in ev.list_evidence(db, record_id)] == [mine]


# --- coverage -----------------------------------------------------------------------------------


def test_fresh_record_has_every_required_area_as_gap(db: Database, record_id: int) -> None:
    rows = ev.coverage(db, record_id)
    assert [row.code for row in rows] == [area.code for area in list_areas(db)]
    assert all(row.count == 0 and row.latest is None for row in rows)
    gaps = ev.gaps(db, record_id)
    assert "OPT" not in gaps
    assert len(gaps) == len(rows) - 1


def test_entry_on_two_sub_areas_counts_once_for_the_parent(db: Database, record_id: int) -> None:
    add(db, record_id, "2024-02-01", ["B1", "B2"])
    add(db, record_id, "2024-03-01", ["B", "B1"])
    add(db, record_id, "2024-01-10", ["D5"])
    cov = {row.code: row for row in ev.coverage(db, record_id)}
    assert cov["B"].count == 2
    assert cov["B"].latest == date(2024, 3, 1)
    assert cov["B1"].count == 2
    assert cov["B2"].count == 1
    assert cov["B2"].latest == date(2024, 2, 1)
    assert cov["B3"].count == 0
    assert cov["B3"].gap
    assert not cov["B"].gap
    assert cov["D"].count == 1
    assert cov["D"].latest == date(2024, 1, 10)
    assert cov["D5"].is_sub
    assert cov["D5"].parent_code == "D"
    assert not cov["D"].is_sub
    assert cov["A"].gap


def test_gaps_shrink_as_evidence_arrives(db: Database, record_id: int) -> None:
    add(db, record_id, "2024-02-01", ["A", "C", "B1", "B2", "B3", "B4"])
    add(db, record_id, "2024-02-02", ["D1", "D2", "D3", "D4", "D5"])
    add(db, record_id, "2024-02-03", ["E1", "E2", "E3", "E5"])
    assert ev.gaps(db, record_id) == ["E4"]
    add(db, record_id, "2024-02-04", ["E4"])
    assert ev.gaps(db, record_id) == []


def test_optional_areas_are_never_gaps_but_still_count(db: Database, record_id: int) -> None:
    cov = {row.code: row for row in ev.coverage(db, record_id)}
    assert cov["OPT"].optional
    assert not cov["OPT"].gap
    add(db, record_id, "2024-02-01", ["OPT"])
    cov = {row.code: row for row in ev.coverage(db, record_id)}
    assert cov["OPT"].count == 1


def test_coverage_can_count_only_some_visibilities(db: Database, record_id: int) -> None:
    add(db, record_id, "2024-02-01", ["A"], visibility="private")
    add(db, record_id, "2024-02-02", ["C"])
    shared = {
        row.code: row.count for row in ev.coverage(db, record_id, visibilities=["leadership"])
    }
    everything = {row.code: row.count for row in ev.coverage(db, record_id)}
    assert (shared["A"], shared["C"]) == (0, 1)
    assert (everything["A"], everything["C"]) == (1, 1)


def test_coverage_uses_a_fixed_number_of_queries(db: Database, record_id: int) -> None:
    for day in range(1, 16):
        add(db, record_id, f"2024-03-{day:02d}", ["B1", "B2", "E4"])
    with count_queries(db) as statements:
        rows = ev.coverage(db, record_id)
    assert {row.code: row.count for row in rows}["B"] == 15
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 5  # the record, the framework, two aggregates and the SCPA weeks


def test_coverage_by_record_keeps_records_apart(db: Database, record_id: int) -> None:
    other = make_record(db, "Bo")
    add(db, record_id, "2024-02-01", ["A"])
    add(db, other, "2024-02-01", ["C"])
    with db.read() as session:
        both = ev.coverage_by_record(session, [record_id, other])
    mine = {row.code: row.count for row in both[record_id]}
    theirs = {row.code: row.count for row in both[other]}
    assert (mine["A"], mine["C"]) == (1, 0)
    assert (theirs["A"], theirs["C"]) == (0, 1)


def test_coverage_of_a_missing_record_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        ev.coverage(db, 4242)


def test_weekly_scpa_updates_count_as_e4_evidence(db: Database, record_id: int) -> None:
    from mentor_desk.services import scpa

    before = {row.code: row for row in ev.coverage(db, record_id)}
    assert before["E4"].gap
    scpa.create_scpa(db, record_id, week_of="2024-03-04", success="Shipped the importer")
    scpa.create_scpa(db, record_id, week_of="2024-03-11", appreciation="Thanks to Bo")
    after = {row.code: row for row in ev.coverage(db, record_id)}
    assert after["E4"].count == 2
    assert after["E4"].scpa_updates == 2
    assert not after["E4"].gap
    assert after["E4"].latest == date(2024, 3, 11)
    assert after["E"].count == 2  # rolled up into the parent area
    assert after["E1"].count == 0  # and no other sub-area
    assert "E4" not in ev.gaps(db, record_id)
    # A dossier that only counts leadership items sees private updates as missing.
    scpa.create_scpa(db, record_id, week_of="2024-03-18", success="x", visibility="private")
    shared = {r.code: r for r in ev.coverage(db, record_id, visibilities=["leadership"])}
    assert shared["E4"].count == 2


def test_gap_counts_agree_with_the_full_coverage(db: Database, record_id: int) -> None:
    from mentor_desk.services import scpa

    def expected(session: Any, ids: list[int]) -> dict[int, int]:
        coverage = ev.coverage_by_record(session, ids)
        return {rid: sum(1 for area in rows if area.gap) for rid, rows in coverage.items()}

    sub_only, with_scpa, empty = make_record(db, "Bo"), make_record(db, "Cy"), make_record(db, "Di")
    add(db, record_id, "2024-02-01", ["A", "OPT"])
    add(db, record_id, "2024-02-02", ["B1", "B2"], visibility="private")
    add(db, sub_only, "2024-02-03", ["D1"])  # covers D through the roll-up, not D2
    scpa.create_scpa(db, with_scpa, week_of="2024-03-04", success="Shipped")  # E4, and so E
    ids = [record_id, sub_only, with_scpa, empty]
    with db.read() as session:
        counts = ev.gap_counts(session, ids)
        assert counts == expected(session, ids)
    assert counts[empty] - counts[record_id] == 4  # A, B and its B1 and B2 (OPT never counts)
    assert counts[empty] - counts[sub_only] == 2  # D1, and D through the roll-up
    assert counts[empty] - counts[with_scpa] == 2  # E4, and E through the roll-up


def test_framework_given_by_the_caller_is_not_read_again(db: Database, record_id: int) -> None:
    """The Evidence tab hands list_evidence and coverage the framework it loaded: same results,
    without reading lmp_areas again (codes of areas missing from it come last)."""
    add(db, record_id, "2024-03-01", ["D2", "B1"])
    add(db, record_id, "2024-03-02", ["E4"])
    areas = list_areas(db)
    with count_queries(db) as statements:
        rows = ev.list_evidence(db, record_id, areas=areas)
        grid = ev.coverage(db, record_id, areas=areas)
    assert rows == ev.list_evidence(db, record_id)
    assert grid == ev.coverage(db, record_id)
    assert [row.area_codes for row in rows] == [("B1", "D2"), ("E4",)]
    assert not any("FROM lmp_areas" in s.split("JOIN")[0] for s in statements)
    partial = [area for area in areas if area.code != "B1"]
    assert ev.list_evidence(db, record_id, areas=partial)[0].area_codes == ("D2", "B1")
