"""Skill areas, assessments and the before/after comparison."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentor_desk.db import models
from mentor_desk.db.base import Assessor, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.errors import ConfirmationRequiredError, NotFoundError, ValidationError
from mentor_desk.services import skills
from mentor_desk.services.skills import AssessmentInput, SkillChange

HOSTILE = "Zoë 李小龍 مرحبا 😀 <b>&amp; AT&T</b>"
JAN, MAR, JUN, SEP = date(2026, 1, 10), date(2026, 3, 10), date(2026, 6, 10), date(2026, 9, 10)


@pytest.fixture
def mentee_id(db: Database) -> int:
    with db.write() as s:
        mentee = Mentee(name="Ada Lovelace")
        s.add(mentee)
        s.flush()
        return mentee.id


@pytest.fixture
def area_ids(db: Database) -> dict[str, int]:
    """The seeded skill areas by name."""
    return {area.name: area.id for area in skills.list_skill_areas(db)}


def _assess(
    db: Database, mentee_id: int, area_id: int, level: int, on: date | str, **extra: object
) -> skills.SkillAssessment:
    data = AssessmentInput(mentee_id, area_id, level, on, **extra)  # type: ignore[arg-type]
    return skills.add_assessment(db, data)


# --- skill areas --------------------------------------------------------------------------------


def test_seeded_areas_are_listed_by_name(db: Database) -> None:
    names = [area.name for area in skills.list_skill_areas(db)]
    assert "Testing" in names
    assert names == sorted(names, key=str.casefold)


def test_skill_area_crud(db: Database) -> None:
    area = skills.create_skill_area(db, f"  {HOSTILE}  ", description="*why* it matters")
    assert area.name == HOSTILE
    assert skills.get_skill_area(db, area.id) == area
    renamed = skills.update_skill_area(db, area.id, name="Public speaking", description="")
    assert (renamed.name, renamed.description) == ("Public speaking", "")
    assert skills.get_skill_area(db, area.id).name == "Public speaking"
    assert skills.delete_skill_area(db, area.id) == 0
    with pytest.raises(NotFoundError, match="skill area"):
        skills.get_skill_area(db, area.id)


def test_skill_area_names_are_unique_ignoring_case(db: Database) -> None:
    with pytest.raises(ValidationError, match="already exists") as err:
        skills.create_skill_area(db, "TESTING")
    assert err.value.field == "name"
    zoe = skills.create_skill_area(db, "Zoë's craft")
    with pytest.raises(ValidationError, match="“Zoë's craft” already exists"):
        skills.create_skill_area(db, "ZOË'S CRAFT")
    # Keeping its own name (or changing only its case) is not a clash with itself.
    assert skills.update_skill_area(db, zoe.id, name="zoë's craft").name == "zoë's craft"
    with pytest.raises(ValidationError, match="must not be empty"):
        skills.create_skill_area(db, " ")


def test_deleting_an_area_with_assessments_needs_confirmation(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    testing = area_ids["Testing"]
    _assess(db, mentee_id, testing, 3, JAN)
    _assess(db, mentee_id, testing, 5, MAR)
    assert skills.get_skill_area(db, testing).assessment_count == 2
    with pytest.raises(ConfirmationRequiredError, match="2 assessments"):
        skills.delete_skill_area(db, testing)
    assert len(skills.list_assessments(db, mentee_id)) == 2
    assert skills.delete_skill_area(db, testing, confirm=True) == 2
    assert skills.list_assessments(db, mentee_id) == []


# --- assessments --------------------------------------------------------------------------------


def test_assessment_round_trip(db: Database, mentee_id: int, area_ids: dict[str, int]) -> None:
    made = _assess(
        db,
        mentee_id,
        area_ids["Testing"],
        6,
        "2026-02-01",
        assessor="self",
        note=HOSTILE,
        visibility=Visibility.PRIVATE,
    )
    again = skills.get_assessment(db, made.id)
    assert again == made
    assert again.skill == "Testing"
    assert again.level == 6
    assert again.assessed_on == date(2026, 2, 1)
    assert again.assessor is Assessor.SELF
    assert again.note == HOSTILE
    assert again.visibility is Visibility.PRIVATE


def test_assessment_defaults(db: Database, mentee_id: int, area_ids: dict[str, int]) -> None:
    made = _assess(db, mentee_id, area_ids["Testing"], 0, JAN)
    assert made.assessor is Assessor.MENTOR
    assert made.visibility is Visibility.SHARED_WITH_MENTEE
    assert made.level == 0


def test_update_and_delete_assessment(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    made = _assess(db, mentee_id, area_ids["Testing"], 4, JAN)
    changed = skills.update_assessment(
        db, made.id, AssessmentInput(mentee_id, area_ids["Code review"], 10, MAR, "peer")
    )
    assert (changed.skill, changed.level, changed.assessed_on) == ("Code review", 10, MAR)
    assert changed.assessor is Assessor.PEER
    assert skills.get_assessment(db, made.id) == changed
    skills.delete_assessment(db, made.id)
    with pytest.raises(NotFoundError, match="assessment"):
        skills.get_assessment(db, made.id)
    with pytest.raises(NotFoundError):
        skills.delete_assessment(db, made.id)


def test_bad_assessments_are_refused(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    testing = area_ids["Testing"]
    cases: list[tuple[AssessmentInput, str, str]] = [
        (AssessmentInput(mentee_id, testing, 11, JAN), "level", "from 0 to 10, not 11"),
        (AssessmentInput(mentee_id, testing, -1, JAN), "level", "from 0 to 10, not -1"),
        (AssessmentInput(mentee_id, testing, 7.5, JAN), "level", "whole number"),  # type: ignore[arg-type]
        (AssessmentInput(mentee_id, testing, None, JAN), "level", "number"),  # type: ignore[arg-type]
        (AssessmentInput(mentee_id, testing, 5, ""), "assessed on", "must be a date"),
        (AssessmentInput(mentee_id, testing, 5, "soon"), "assessed on", "not a date"),
        (AssessmentInput(mentee_id, testing, 5, JAN, "boss"), "assessor", "not one of"),
        (AssessmentInput(mentee_id, testing, 5, JAN, visibility="all"), "visibility", "not one"),
    ]
    for data, field, message in cases:
        with pytest.raises(ValidationError, match=message) as err:
            skills.add_assessment(db, data)
        assert err.value.field == field, data
    with pytest.raises(NotFoundError, match="mentee"):
        skills.add_assessment(db, AssessmentInput(9999, testing, 5, JAN))
    with pytest.raises(NotFoundError, match="skill area"):
        skills.add_assessment(db, AssessmentInput(mentee_id, 9999, 5, JAN))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(models.SkillAssessment)) == 0


@given(
    value=st.one_of(
        st.integers(-100, 100), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=2)
    )
)
def test_check_level_accepts_exactly_whole_numbers_0_to_10(value: object) -> None:
    if isinstance(value, int) and 0 <= value <= 10:
        assert skills.check_level(value) == value
    elif isinstance(value, float) and value.is_integer() and 0 <= value <= 10:
        assert skills.check_level(value) == int(value)
    else:
        with pytest.raises(ValidationError):
            skills.check_level(value)


def test_list_assessments_filters_and_orders(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    testing, review = area_ids["Testing"], area_ids["Code review"]
    late = _assess(db, mentee_id, testing, 5, MAR)
    early = _assess(db, mentee_id, testing, 2, JAN, assessor="self")
    other = _assess(db, mentee_id, review, 4, JAN)
    assert [a.id for a in skills.list_assessments(db, mentee_id)] == [other.id, early.id, late.id]
    by_area = skills.list_assessments(db, mentee_id, skill_area_id=testing)
    assert [a.id for a in by_area] == [early.id, late.id]
    assert [a.id for a in skills.list_assessments(db, mentee_id, assessor="self")] == [early.id]
    assert skills.list_assessments(db, mentee_id + 1) == []
    with pytest.raises(ValidationError):
        skills.list_assessments(db, mentee_id, assessor="manager")


def test_skill_history_and_dates(db: Database, mentee_id: int, area_ids: dict[str, int]) -> None:
    testing, review = area_ids["Testing"], area_ids["Code review"]
    _assess(db, mentee_id, testing, 6, JUN)
    _assess(db, mentee_id, testing, 2, JAN)
    _assess(db, mentee_id, review, 3, MAR, assessor="self")
    _assess(db, mentee_id, testing, 4, MAR)
    history = skills.skill_history(db, mentee_id)
    assert list(history) == ["Code review", "Testing"]
    assert history["Testing"] == [(JAN, 2), (MAR, 4), (JUN, 6)]
    assert history["Code review"] == [(MAR, 3)]
    assert skills.skill_history(db, mentee_id, assessor=Assessor.SELF) == {
        "Code review": [(MAR, 3)]
    }
    assert skills.assessment_dates(db, mentee_id) == [JAN, MAR, JUN]
    assert skills.assessment_dates(db, mentee_id, assessor="mentor") == [JAN, MAR, JUN]
    assert skills.assessment_dates(db, mentee_id, assessor="peer") == []


# --- comparison ---------------------------------------------------------------------------------


def test_compare_skills_gives_a_difference_of_levels(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    testing, review, design = (
        area_ids["Testing"],
        area_ids["Code review"],
        area_ids["System design"],
    )
    _assess(db, mentee_id, testing, 2, JAN)
    _assess(db, mentee_id, testing, 7, JUN)
    _assess(db, mentee_id, review, 0, JAN)
    _assess(db, mentee_id, review, 3, MAR)
    _assess(db, mentee_id, design, 4, MAR)  # only present after the first date
    _assess(db, mentee_id, testing, 9, SEP)  # after the second date: ignored

    table = skills.compare_skills(db, mentee_id, JAN, JUN)
    assert table == [
        SkillChange(review, "Code review", 0, 3, 3),  # from a zero baseline: +3, not a percentage
        SkillChange(design, "System design", None, 4, None),
        SkillChange(testing, "Testing", 2, 7, 5),
    ]
    assert [row.change_text for row in table] == ["+3", "", "+5"]


def test_compare_takes_the_latest_on_or_before_each_date(
    db: Database, mentee_id: int, area_ids: dict[str, int]
) -> None:
    testing = area_ids["Testing"]
    _assess(db, mentee_id, testing, 6, JAN)
    _assess(db, mentee_id, testing, 8, MAR)  # on the first date: counts as "before"
    _assess(db, mentee_id, testing, 5, JUN)
    [row] = skills.compare_skills(db, mentee_id, "2026-03-10", date(2026, 7, 1))
    assert (row.before, row.after, row.change) == (8, 5, -3)
    assert row.change_text == "−3"
    [same] = skills.compare_skills(db, mentee_id, MAR, MAR)
    assert (same.before, same.after, same.change, same.change_text) == (8, 8, 0, "0")
    assert skills.compare_skills(db, mentee_id, date(2025, 1, 1), date(2025, 12, 31)) == []


def test_compare_by_assessor(db: Database, mentee_id: int, area_ids: dict[str, int]) -> None:
    testing = area_ids["Testing"]
    _assess(db, mentee_id, testing, 2, JAN, assessor="mentor")
    _assess(db, mentee_id, testing, 6, JAN, assessor="self")
    _assess(db, mentee_id, testing, 7, JUN, assessor="mentor")
    _assess(db, mentee_id, testing, 5, JUN, assessor="self")
    [mentor] = skills.compare_skills(db, mentee_id, JAN, JUN, assessor=Assessor.MENTOR)
    [own] = skills.compare_skills(db, mentee_id, JAN, JUN, assessor="self")
    assert (mentor.before, mentor.after, mentor.change) == (2, 7, 5)
    assert (own.before, own.after, own.change) == (6, 5, -1)


def test_compare_refuses_dates_in_the_wrong_order(db: Database, mentee_id: int) -> None:
    with pytest.raises(ValidationError, match="before the first date") as err:
        skills.compare_skills(db, mentee_id, JUN, JAN)
    assert err.value.field == "second date"
    with pytest.raises(ValidationError) as err:
        skills.compare_skills(db, mentee_id, "someday", JAN)
    assert err.value.field == "first date"


@given(before=st.integers(0, 10), after=st.integers(0, 10))
def test_change_text_is_the_signed_difference(before: int, after: int) -> None:
    row = SkillChange(1, "x", before, after, after - before)
    text = row.change_text.replace("−", "-")
    assert int(text) == after - before
    assert "%" not in row.change_text
