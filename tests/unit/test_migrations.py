"""Migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from storage.db import Database, alembic_config
from storage.tables import import_all_tables


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


async def test_upgrade_is_idempotent_and_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "schema.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    await db.upgrade()
    await db.dispose()
    import_all_tables()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == []
