"""Async engine, the unit-of-work session, and migrations on start-up.

Repositories flush, never commit. The boundary (one Telegram update, one job
step) opens `Database.unit_of_work()` and commits or rolls back once; see
storage/uow.py and docs/architecture.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import uow

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while the worker writes; busy_timeout
    # waits for a lock instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade_sync)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at our migrations, optionally on a live connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade_sync(connection: Connection) -> None:
    # "heads": features add migrations on parallel branches until a merge revision joins them.
    command.upgrade(alembic_config(connection), "heads")
