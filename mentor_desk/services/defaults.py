"""Reference data a new program starts with: the LMP framework, session types and templates, and
skill areas, read from the data files in ``resources/``. The user may edit all of it afterwards, so
it is seeded once per database, never re-seeded over their changes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpArea, SessionTemplate, SessionType, Setting, SkillArea
from mentor_desk.paths import resource_path
from mentor_desk.services.settings import DEFAULTS_SEEDED


def load_resource_json(name: str) -> Any:
    with resource_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def ensure_defaults(db: Database) -> bool:
    """Seed the reference data unless this database has had it before. Returns True if seeded."""
    with db.write() as session:
        if session.get(Setting, DEFAULTS_SEEDED) is not None:
            return False
        seed_framework(session)
        seed_session_types(session)
        seed_skill_areas(session)
        session.add(Setting(key=DEFAULTS_SEEDED, value="1"))
    return True


def seed_framework(session: Session) -> None:
    data = load_resource_json("lmp_framework.json")

    def add(items: list[dict[str, Any]], parent: LmpArea | None) -> None:
        for position, item in enumerate(items):
            area = LmpArea(
                code=item["code"],
                title=item["title"],
                description=item.get("description", ""),
                optional=bool(item.get("optional", False)),
                position=position,
                parent=parent,
            )
            session.add(area)
            add(item.get("children", []), area)

    add(data["areas"], None)


def seed_session_types(session: Session) -> None:
    data = load_resource_json("session_types.json")
    templates: dict[str, SessionTemplate] = {}
    for position, item in enumerate(data["templates"]):
        template = SessionTemplate(name=item["name"], body=item["body"], position=position)
        session.add(template)
        templates[template.name] = template
    session.flush()
    for position, item in enumerate(data["types"]):
        template = templates.get(item.get("template", ""))
        session.add(
            SessionType(
                name=item["name"],
                cadence_days=item.get("cadence_days"),
                default_minutes=item.get("default_minutes", 60),
                description=item.get("description", ""),
                position=position,
                template_id=template.id if template else None,
            )
        )


def seed_skill_areas(session: Session) -> None:
    for item in load_resource_json("skill_areas.json")["skill_areas"]:
        session.add(SkillArea(name=item["name"], description=item.get("description", "")))
