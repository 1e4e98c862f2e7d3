"""Async engine, the unit-of-work session, and migrations on start-up.

Repositories flush, never commit. The boundary (one Telegram update, one job
step) opens `Database.unit_of_work()` and commits or rolls back once; see
storage/uow.py and docs/architecture.md.

Start-up migrations are safe with any number of processes starting at once:
on PostgreSQL the upgrade runs inside one transaction holding an advisory
lock (on a SQLite file, under a lock file beside it), so the first process
migrates and the others wait, then find the schema current. A database
already at the code's head costs one SELECT and never imports alembic; a new,
empty one gets the models' tables at once, stamped with the code's heads (what
the migrations would build, held to that by a test); a database migrated by a
newer release refuses to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import uow
from storage.schema_version import code_heads, code_revisions
from storage.tables import import_all_tables

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


# Any constant works as long as every process uses the same one ("tiktokbt").
MIGRATION_LOCK_KEY = 0x74696B746F6B6274


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer release than this code."""

    def __init__(self, stored: frozenset[str]) -> None:
        unknown = ", ".join(sorted(stored - code_revisions()))
        known = ", ".join(sorted(code_heads()))
        super().__init__(
            f"The database schema (revision {unknown}) is newer than this code (revision "
            f"{known}): run the newer release of the bot, or restore the database backup "
            "taken before the upgrade."
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while the worker writes; busy_timeout
    # waits for a lock instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_roll_back_before_close(dbapi_connection: Any, _record: Any, _error: Any) -> None:
    # SQLAlchemy drops a connection whose task was cancelled mid-statement
    # (a worker stopping, a lease lost). Closing a SQLite connection while a
    # statement is cut off mid-step leaves it open behind the scenes, write
    # lock included, until the garbage collector finds the statement: every
    # other writer then fails with "database is locked". Rolling back first
    # releases the lock. Best effort: the connection is being thrown away.
    with contextlib.suppress(Exception):
        dbapi_connection.rollback()


class Database:
    """Owns the engine; hands out transactions."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "invalidate", _sqlite_roll_back_before_close)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """The boundary: one session for everything this task does inside, committed once."""
        if uow.current_unit(self) is not None:
            raise RuntimeError("a unit of work is already open in this task")
        async with self._unit() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """The current unit of work's session; outside one, a unit of work of its own.

        Joined, it neither commits nor rolls back: the boundary does.
        """
        unit = uow.current_unit(self)
        if unit is not None:
            yield unit.session
            return
        async with self._unit() as session:
            yield session

    @asynccontextmanager
    async def separate_transaction(self) -> AsyncIterator[AsyncSession]:
        """A unit of work committed on its own, even inside another one.

        For facts that must survive whatever the boundary decides: a rotated
        refresh token TikTok will not hand out again, a re-link mark raised
        together with the error that reports it, a step an in-process lock
        must cover until it is durable.
        """
        async with self._unit() as session:
            yield session

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[AsyncSession]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            unit = uow.UnitOfWork(session, self, asyncio.current_task())
            token = uow.enter(unit)
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            finally:
                uow.leave(token)
        for callback in unit.after_commit:
            callback()

    async def commit_current(self) -> None:
        """Commit what the current unit of work did so far; it stays open for more."""
        unit = uow.current_unit(self)
        if unit is None:
            return
        await unit.session.commit()
        callbacks, unit.after_commit = unit.after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the current unit of work commits (at once outside one)."""
        unit = uow.current_unit(self)
        if unit is None:
            callback()
        else:
            unit.after_commit.append(callback)

    @property
    def is_postgresql(self) -> bool:
        """Whether the database is PostgreSQL (advisory locks, row locks)."""
        return self.engine.dialect.name == "postgresql"

    async def upgrade(self) -> None:
        """Bring the schema to the code's migration heads (idempotent, safe to race)."""
        async with self.engine.connect() as connection:
            stored = await _stored_revisions(connection)
        if _is_current(stored):
            return
        async with self._sqlite_file_lock(), self.engine.begin() as connection:
            if self.is_postgresql:
                # Held until this transaction ends: the DDL below commits with it.
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            stored = await _stored_revisions(connection)
            if not stored and await connection.run_sync(_is_empty):
                await connection.run_sync(_create_current)
            elif not _is_current(stored):
                await connection.run_sync(_upgrade_sync)

    @asynccontextmanager
    async def _sqlite_file_lock(self) -> AsyncIterator[None]:
        """On a SQLite file, an exclusive lock file beside it (processes sharing DATA_DIR)."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
            yield
            return
        handle = await asyncio.to_thread(Path(f"{parsed.database}.migrate-lock").open, "a")
        try:
            await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
            yield
        finally:
            handle.close()  # closing releases the lock

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def _stored_revisions(connection: AsyncConnection) -> frozenset[str]:
    exists = await connection.run_sync(lambda c: inspect(c).has_table("alembic_version"))
    if not exists:
        return frozenset()
    rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
    return frozenset(str(row[0]) for row in rows)


def _is_current(stored: frozenset[str]) -> bool:
    """True when nothing is to do; raises when the database is ahead of the code."""
    if stored - code_revisions():
        raise SchemaTooNew(stored)
    return stored == code_heads()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at our migrations, optionally on a live connection."""
    from alembic.config import Config  # imported only when a migration is due (cold start)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _is_empty(connection: Connection) -> bool:
    return not inspect(connection).get_table_names()


def _create_current(connection: Connection) -> None:
    """A new database: the models' tables as they are now, stamped with the code's heads.

    Replaying every migration on a first start costs more than the rest of
    start-up's database work (alembic's import alone is a quarter second);
    the result is the same schema (tests/integration/test_schema_creation.py).
    """
    import_all_tables()
    SQLModel.metadata.create_all(connection, checkfirst=False)
    # The table alembic keeps, as alembic creates it.
    connection.execute(
        text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    )
    for head in sorted(code_heads()):
        connection.execute(
            text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head}
        )


def _upgrade_sync(connection: Connection) -> None:
    from alembic import command

    # "heads": features add migrations on parallel branches until a merge revision joins them.
    command.upgrade(alembic_config(connection), "heads")
