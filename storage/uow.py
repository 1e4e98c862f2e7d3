"""The unit of work: one session per boundary, committed or rolled back once.

A boundary (one Telegram update, one publish-job step) opens a unit of work
with `Database.unit_of_work()`. Inside it, every `Database.transaction()` of
the same task joins the unit's session instead of committing on its own, so
the services a handler calls share one transaction and the handler's outcome
decides it. Work registered with `after_commit` (waking the publishing
worker, showing a job as queued) runs only once the data is durable.

Tasks started from inside a unit (background deliveries) do not join it:
they run after the boundary may have ended, so they open their own.
See docs/architecture.md, "Unit of work".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(slots=True)
class UnitOfWork:
    """The open session of one boundary and what to do once it commits."""

    session: AsyncSession
    owner: object  # the Database that opened it
    task: asyncio.Task[object] | None
    after_commit: list[Callable[[], None]] = field(default_factory=list)


_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


def current_unit(owner: object) -> UnitOfWork | None:
    """The unit of work this task runs in for `owner`'s database, if any."""
    unit = _current.get()
    if unit is None or unit.owner is not owner or unit.task is not asyncio.current_task():
        return None
    return unit


def enter(unit: UnitOfWork) -> object:
    """Make `unit` the current one; returns the token `leave` needs."""
    return _current.set(unit)


def leave(token: object) -> None:
    """Restore the unit of work that was current before `enter`."""
    _current.reset(token)  # type: ignore[arg-type]
