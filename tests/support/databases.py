"""Which database a test's bot uses: SQLite in tmp_path, or a fresh PostgreSQL database.

TEST_DATABASE_URL picks the server (e.g. `postgresql+asyncpg://bot@127.0.0.1:5433/postgres`,
as `.ci/run` sets it); unset means SQLite. On PostgreSQL every call creates
its own database, dropped afterwards, so tests stay isolated and can run in
any order.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ENV_VAR = "TEST_DATABASE_URL"


def server_url() -> str | None:
    """The PostgreSQL server tests run against, or None for SQLite."""
    return os.environ.get(ENV_VAR) or None


def on_postgresql() -> bool:
    """Whether this test run uses PostgreSQL."""
    return server_url() is not None


@asynccontextmanager
async def isolated_database(tmp_path: Path) -> AsyncIterator[str]:
    """A database URL that nothing else uses, removed when the block ends."""
    server = server_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
        return
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                # FORCE: a killed bot process may still hold a connection.
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def database_text(url: str, data_dir: Path) -> bytes:
    """Everything the database stores, as bytes to search (files on SQLite, rows on PostgreSQL)."""
    if make_url(url).get_backend_name() == "sqlite":
        files = await asyncio.to_thread(lambda: sorted(data_dir.glob("bot.db*")))
        return b"".join([await asyncio.to_thread(p.read_bytes) for p in files])
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            dump: list[bytes] = []
            for (table,) in tables.all():
                rows = await connection.execute(text(f'SELECT CAST(t AS text) FROM "{table}" t'))  # noqa: S608
                dump.extend(str(row[0]).encode() for row in rows)
    finally:
        await engine.dispose()
    return b"\n".join(dump)
