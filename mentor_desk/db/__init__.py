"""Storage: SQLAlchemy models, the engine, migrations, search and backups. No Qt here."""
