"""A current schema is recognised without Alembic; charts load ReportLab only when drawn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from mentor_desk.db import migrate
from mentor_desk.db.engine import Database, open_database
from mentor_desk.services.program import open_program


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert migrate._revision_graph() == {
        rev.revision: rev.down_revision for rev in script.walk_revisions()
    }


def test_the_stored_revision_is_read_as_alembic_reads_it(db: Database, tmp_path: Path) -> None:
    with db.engine.connect() as conn:
        assert (
            migrate.current_revision(db) == MigrationContext.configure(conn).get_current_revision()
        )
    assert migrate.current_revision(db) == migrate.head_revision()
    empty = open_database(tmp_path / "empty.sqlite3", migrate=False)
    try:
        assert migrate.current_revision(empty) is None
        with empty.engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        assert migrate.current_revision(empty) is None
    finally:
        empty.dispose()


@pytest.mark.slow  # a fresh interpreter: the only honest view of what an import pulls in
def test_opening_a_current_program_imports_neither_alembic_nor_reportlab(data_dir: Path) -> None:
    open_program(data_dir).dispose()  # made and migrated here, with Alembic
    probe = (
        "import sys\n"
        "import mentor_desk.app\n"
        "from mentor_desk.services.program import open_program\n"
        f"open_program({str(data_dir)!r}).dispose()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'reportlab'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", done.stderr[-2000:]
