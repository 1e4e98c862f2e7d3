"""Which database a session talks to, for statements SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_of(session: AsyncSession) -> str:
    """The backend's name, "sqlite" or "postgresql" (an unbound session counts as SQLite)."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def upsert_insert(dialect: str, table: Any) -> Any:
    """The backend's INSERT that knows ON CONFLICT, for `table`.

    Imported on first use: SQLAlchemy's PostgreSQL dialect costs about 40 ms
    of start-up, for nothing on SQLite (the engine imports it itself on
    PostgreSQL).
    """
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)
