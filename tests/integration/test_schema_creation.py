"""A new database built from the models is the schema the migrations build.

Start-up creates a new database's tables from the models and stamps it with
the code's migration heads instead of replaying every migration (cold start).
These tests hold the shortcut to the long way, on SQLite and, with
TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage.db import Database, alembic_config
from storage.schema_version import code_heads
from storage.tables import import_all_tables
from tests.support.databases import isolated_database


def _schema(connection: Connection) -> dict[str, Any]:
    """Everything about each table a later migration could depend on."""
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for table in inspector.get_table_names():
        columns = {
            c["name"]: (str(c["type"]), c["nullable"], c.get("default"))
            for c in inspector.get_columns(table)
        }
        schema[table] = {
            "columns": columns,
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], fk["name"] or "")
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
    return schema


def _revisions(connection: Connection) -> set[str]:
    return {
        str(row[0]) for row in connection.execute(text("SELECT version_num FROM alembic_version"))
    }


def _migrate(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "heads")


def _model_diff(connection: Connection) -> list[Any]:
    import_all_tables()
    return list(compare_metadata(MigrationContext.configure(connection), SQLModel.metadata))


async def test_a_new_database_gets_the_migrated_schema_at_once(tmp_path: Path) -> None:
    async with (
        isolated_database(tmp_path / "migrated") as migrated_url,
        isolated_database(tmp_path / "created") as created_url,
    ):
        migrated, created = Database(migrated_url), Database(created_url)
        try:
            async with migrated.engine.begin() as connection:
                await connection.run_sync(_migrate)  # the long way: every migration
            await created.upgrade()  # start-up's way on a new database
            async with migrated.engine.connect() as connection:
                long_way = await connection.run_sync(_schema)
            async with created.engine.connect() as connection:
                shortcut = await connection.run_sync(_schema)
                stamped = await connection.run_sync(_revisions)
                drift = await connection.run_sync(_model_diff)
        finally:
            await migrated.dispose()
            await created.dispose()
    assert len(long_way) > 20
    assert shortcut == long_way
    assert stamped == set(code_heads())
    assert drift == []


async def test_a_created_database_takes_later_migrations_and_restarts_cheaply(
    tmp_path: Path,
) -> None:
    async with isolated_database(tmp_path) as url:
        db = Database(url)
        try:
            await db.upgrade()
            await db.upgrade()  # a restart: the stamp says current
            async with db.engine.begin() as connection:
                await connection.run_sync(_migrate)  # alembic agrees: nothing to do
                stamped = await connection.run_sync(_revisions)
                drift = await connection.run_sync(_model_diff)
        finally:
            await db.dispose()
    assert stamped == set(code_heads())
    assert drift == []
