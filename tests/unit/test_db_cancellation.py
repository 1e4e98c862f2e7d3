"""A task cancelled in the middle of a SQLite statement must not keep the write lock.

Stopping the worker, losing a lease or a user's /cancel cancels a task that
may be inside a transaction. SQLAlchemy then drops ("invalidates") the
connection; on SQLite, closing a connection whose statement was cut off
mid-step leaves it open behind the scenes, transaction and write lock
included, until the garbage collector finds the statement. Every other
writer then waits out its busy timeout and fails with "database is locked".
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.repositories.cluster import RateBudgetRepository


async def test_a_write_cancelled_mid_statement_leaves_the_database_writable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    started, release = threading.Event(), threading.Event()

    def gate() -> int:
        # Runs on the connection's own thread: holds the statement mid-step
        # until the task awaiting it has been cancelled.
        started.set()
        release.wait()
        return 1

    async def booking() -> None:
        async with db.transaction() as session:
            connection = await session.connection()
            raw = await connection.get_raw_connection()
            await raw.driver_connection.create_function("gate", 0, gate)  # type: ignore[union-attr]
            await RateBudgetRepository(session).reserve("status:1", now=1.0, interval=2.0)
            await connection.execute(text("SELECT gate() FROM rate_budgets"))

    task = asyncio.create_task(booking())
    await asyncio.to_thread(started.wait)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task

    def write_elsewhere() -> int:
        other = sqlite3.connect(path, timeout=0)  # fail at once instead of waiting
        try:
            other.execute("BEGIN IMMEDIATE")
            (booked,) = other.execute("SELECT count(*) FROM rate_budgets").fetchone()
            other.rollback()
            return int(booked)
        finally:
            other.close()

    try:
        # The cancelled booking was rolled back and its lock released.
        assert await asyncio.to_thread(write_elsewhere) == 0
        async with db.transaction() as session:
            booked = await RateBudgetRepository(session).reserve("status:1", now=5.0, interval=2.0)
        assert booked == 5.0
    finally:
        await db.dispose()
