"""Session types and templates: the seeded defaults, editing them, and unique names."""

from __future__ import annotations

import pytest

from mentor_desk.db.engine import Database
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import templates
from mentor_desk.services.templates import SessionTypeInput, TemplateInput

HOSTILE = "<b>&amp; 😀 李小龙 مرحبا Zoë\n\n- [ ] <script>alert(1)</script>"


def _type_named(db: Database, name: str) -> templates.SessionTypeInfo:
    return next(kind for kind in templates.list_session_types(db) if kind.name == name)


def test_seeded_types_carry_their_template_names_and_cadences(db: Database) -> None:
    listed = templates.list_session_types(db)
    kinds = {kind.name: kind for kind in listed}

    assert listed[0].name == "One-on-one coaching"
    assert kinds["One-on-one coaching"].template_name == "Weekly one-on-one"
    assert kinds["Technical review"].default_minutes == 90
    assert kinds["Practice interview"].cadence_days is None
    assert kinds["Practice interview"].template_id is None
    assert {t.name for t in templates.list_templates(db)} >= {
        "Weekly one-on-one",
        "Coaching questions",
    }


def test_template_for_type_returns_the_linked_body(db: Database) -> None:
    career = _type_named(db, "Career planning")

    template = templates.template_for_type(db, career.id)

    assert template is not None
    assert template.name == "Monthly career conversation"
    assert "## What support is needed" in template.body
    assert templates.template_for_type(db, _type_named(db, "Practice interview").id) is None


def test_template_for_a_missing_type_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        templates.template_for_type(db, 9999)


def test_template_round_trips_hostile_text(db: Database) -> None:
    created = templates.create_template(db, TemplateInput(name="Retro 🚀 <i>", body=HOSTILE))

    fetched = templates.get_template(db, created.id)

    assert fetched == created
    assert fetched.body == HOSTILE
    assert fetched.name == "Retro 🚀 <i>"
    assert len(fetched.uid) == 32


def test_duplicate_template_name_is_a_clear_validation_error(db: Database) -> None:
    with pytest.raises(ValidationError, match="already a template called") as caught:
        templates.create_template(db, TemplateInput(name="  weekly ONE-ON-ONE ", body="x"))

    assert caught.value.field == "name"
    assert len(templates.list_templates(db)) == 4


def test_renaming_a_template_onto_another_name_is_refused(db: Database) -> None:
    mine = templates.create_template(db, TemplateInput(name="Mine", body="a"))

    with pytest.raises(ValidationError) as caught:
        templates.update_template(db, mine.id, TemplateInput(name="Coaching questions"))
    renamed = templates.update_template(db, mine.id, TemplateInput(name="MINE", body="b"))

    assert caught.value.field == "name"
    assert (renamed.name, renamed.body) == ("MINE", "b")


def test_empty_template_name_names_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        templates.create_template(db, TemplateInput(name=" \t ", body="x"))

    assert caught.value.field == "name"


def test_deleting_a_template_unlinks_the_types_that_used_it(db: Database) -> None:
    career = _type_named(db, "Career planning")
    assert career.template_id is not None

    templates.delete_template(db, career.template_id)

    assert templates.get_session_type(db, career.id).template_id is None
    assert templates.template_for_type(db, career.id) is None
    with pytest.raises(NotFoundError):
        templates.get_template(db, career.template_id)


def test_create_and_update_a_session_type(db: Database) -> None:
    coaching = next(t for t in templates.list_templates(db) if t.name == "Coaching questions")

    created = templates.create_session_type(
        db,
        SessionTypeInput(
            name="Pairing 👩‍💻",
            cadence_days=14,
            default_minutes=45,
            description="Pair on real work.",
            template_id=coaching.id,
        ),
    )
    updated = templates.update_session_type(
        db, created.id, SessionTypeInput(name="Pairing", cadence_days=None, default_minutes=120)
    )

    assert created.template_name == "Coaching questions"
    assert templates.list_session_types(db)[-1].id == created.id
    assert (updated.name, updated.cadence_days, updated.default_minutes) == ("Pairing", None, 120)
    assert updated.template_id is None
    assert updated.template_name is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (SessionTypeInput(name="One-on-one COACHING"), "name"),
        (SessionTypeInput(name=""), "name"),
        (SessionTypeInput(name="X", default_minutes=0), "default_minutes"),
        (SessionTypeInput(name="X", default_minutes=601), "default_minutes"),
        (SessionTypeInput(name="X", cadence_days=0), "cadence_days"),
        (SessionTypeInput(name="X", cadence_days=400), "cadence_days"),
        (SessionTypeInput(name="X", template_id=9999), "template_id"),
    ],
)
def test_session_type_validation_names_the_field(
    db: Database, data: SessionTypeInput, field: str
) -> None:
    before = templates.list_session_types(db)

    with pytest.raises(ValidationError) as caught:
        templates.create_session_type(db, data)

    assert caught.value.field == field
    assert templates.list_session_types(db) == before


def test_delete_session_type(db: Database) -> None:
    kind = _type_named(db, "Practice interview")

    templates.delete_session_type(db, kind.id)

    assert "Practice interview" not in {k.name for k in templates.list_session_types(db)}
    with pytest.raises(NotFoundError):
        templates.delete_session_type(db, kind.id)
