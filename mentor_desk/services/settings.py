"""Program settings stored with the data (the mentor's name, default paper size...)."""

from __future__ import annotations

from sqlalchemy import select

from mentor_desk.db.engine import Database
from mentor_desk.db.models import Setting

MENTOR_NAME = "mentor_name"
PAPER_SIZE = "paper_size"
DEFAULTS_SEEDED = "defaults_seeded"


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def set_setting(db: Database, key: str, value: str) -> None:
    with db.write() as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value


def all_settings(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {row.key: row.value for row in session.scalars(select(Setting))}
