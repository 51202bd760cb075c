"""The editable LMP evidence framework: areas, sub-areas, their order and their rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpArea, LmpRecord, Mentee
from mentor_desk.errors import ConfirmationRequiredError, NotFoundError, ValidationError
from mentor_desk.services import framework
from mentor_desk.services.evidence import EvidenceInput, create_evidence, get_evidence

DEFAULT_ORDER = [
    "A",
    "B", "B1", "B2", "B3", "B4",
    "C",
    "D", "D1", "D2", "D3", "D4", "D5",
    "E", "E1", "E2", "E3", "E4", "E5",
    "OPT",
]  # fmt: skip


def codes(db: Database) -> list[str]:
    return [area.code for area in framework.list_areas(db)]


@pytest.fixture
def record_id(db: Database) -> int:
    with db.write() as session:
        mentee = Mentee(name="Ana")
        session.add(mentee)
        session.flush()
        record = LmpRecord(mentee_id=mentee.id, enrolled_on=date(2024, 1, 8))
        session.add(record)
        session.flush()
        return record.id


def test_default_framework_is_listed_parents_then_children(db: Database) -> None:
    areas = {area.code: area for area in framework.list_areas(db)}
    assert codes(db) == DEFAULT_ORDER
    assert areas["B"].children == ("B1", "B2", "B3", "B4")
    assert areas["B"].parent_code is None
    assert not areas["B"].is_sub
    assert areas["D3"].parent_code == "D"
    assert areas["D3"].is_sub
    assert areas["OPT"].optional
    assert not areas["A"].optional
    assert areas["A"].children == ()
    assert len(areas["A"].uid) == 32


def test_area_by_code_ignores_case_and_space(db: Database) -> None:
    area = framework.area_by_code(db, " b1 ")
    assert area.code == "B1"
    assert area.title == "Build trust"
    assert framework.get_area(db, area.id) == area


def test_area_by_unknown_code_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="ZZ"):
        framework.area_by_code(db, "ZZ")


def test_create_top_level_area_goes_last(db: Database) -> None:
    created = framework.create_area(db, code="f", title="Hiring loop <b>&</b> 采用")
    assert created.code == "F"
    assert created.title == "Hiring loop <b>&</b> 采用"
    assert codes(db) == [*DEFAULT_ORDER, "F"]


def test_create_sub_area_goes_after_its_siblings(db: Database) -> None:
    created = framework.create_area(
        db, code="D6", title="Delegation", description="قيادة 🚀", parent_code="d"
    )
    assert created.parent_code == "D"
    assert created.description == "قيادة 🚀"
    order = codes(db)
    assert order.index("D6") == order.index("D5") + 1
    assert framework.area_by_code(db, "D").children[-1] == "D6"


BAD_AREAS: list[tuple[str, str, str | None, str]] = [
    ("B1", "Again", None, "code"),
    ("b1", "Again, other case", None, "code"),
    ("X 1", "Spaced", None, "code"),
    ("", "No code", None, "code"),
    ("X" * 17, "Too long", None, "code"),
    ("X1", "   ", None, "title"),
    ("X1", "Under a sub-area", "B1", "parent_code"),
    ("X1", "Under nothing", "NOPE", "parent_code"),
]


def test_create_area_refuses_bad_input(db: Database) -> None:
    for code, title, parent, field in BAD_AREAS:
        with pytest.raises(ValidationError) as caught:
            framework.create_area(db, code=code, title=title, parent_code=parent)
        assert caught.value.field == field, (code, title, parent)
    assert codes(db) == DEFAULT_ORDER


def test_update_area_changes_only_given_fields(db: Database) -> None:
    area = framework.area_by_code(db, "C")
    updated = framework.update_area(db, area.id, title="Training: Zoë's <i>course</i>")
    assert updated.title == "Training: Zoë's <i>course</i>"
    assert updated.description == area.description
    assert updated.code == "C"
    renamed = framework.update_area(db, area.id, code="c0", optional=True)
    assert renamed.code == "C0"
    assert renamed.optional
    assert renamed.title == updated.title


def test_update_area_refuses_a_code_in_use(db: Database) -> None:
    area = framework.area_by_code(db, "C")
    with pytest.raises(ValidationError, match="already used") as caught:
        framework.update_area(db, area.id, code="A")
    assert caught.value.field == "code"
    assert framework.get_area(db, area.id).code == "C"
    # Keeping its own code is not a clash.
    assert framework.update_area(db, area.id, code="C").code == "C"


def test_move_sub_area_to_top_level_and_back(db: Database) -> None:
    b4 = framework.area_by_code(db, "B4")
    top = framework.update_area(db, b4.id, parent_code=None)
    assert top.parent_code is None
    assert codes(db)[-1] == "B4"
    assert framework.area_by_code(db, "B").children == ("B1", "B2", "B3")
    moved = framework.update_area(db, b4.id, parent_code="E")
    assert moved.parent_code == "E"
    assert framework.area_by_code(db, "E").children[-1] == "B4"


@pytest.mark.parametrize(
    ("code", "parent", "message"),
    [
        ("B", "D", "has sub-areas"),
        ("A", "A", "own parent"),
        ("A", "D2", "itself a sub-area"),
    ],
)
def test_update_area_refuses_bad_parents(
    db: Database, code: str, parent: str, message: str
) -> None:
    area = framework.area_by_code(db, code)
    with pytest.raises(ValidationError, match=message):
        framework.update_area(db, area.id, parent_code=parent)
    assert framework.get_area(db, area.id).parent_code == area.parent_code


def test_update_missing_area_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        framework.update_area(db, 99_999, title="Ghost")


def test_delete_unused_area_takes_its_sub_areas_with_it(db: Database) -> None:
    framework.delete_area(db, framework.area_by_code(db, "B").id)
    assert codes(db) == [c for c in DEFAULT_ORDER if not c.startswith("B")]
    with db.read() as session:
        assert session.scalar(select(LmpArea).where(LmpArea.code == "B1")) is None


def test_delete_area_with_evidence_needs_confirmation(db: Database, record_id: int) -> None:
    entry = create_evidence(
        db,
        record_id,
        EvidenceInput(occurred_on="2024-02-01", areas=["B1", "C"], title="Trust 1:1"),
    )
    b = framework.area_by_code(db, "B")
    with pytest.raises(ConfirmationRequiredError, match="1 evidence entry"):
        framework.delete_area(db, b.id)
    assert "B1" in codes(db)

    framework.delete_area(db, b.id, confirm=True)
    assert "B1" not in codes(db)
    kept = get_evidence(db, entry.id)
    assert kept.area_codes == ("C",)
    assert kept.title == "Trust 1:1"


def test_delete_missing_area_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        framework.delete_area(db, 99_999)
