"""Which database a session talks to, for statements SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_of(session: AsyncSession) -> str:
    """The backend's name, "sqlite" or "postgresql" (an unbound session counts as SQLite)."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"
