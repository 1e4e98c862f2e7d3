"""The Telegram boundary of the unit of work: one session per update, per timer job.

`register` wraps every handler callback, so a callback stays a few lines and
never sees a session: the services it calls join the update's unit of work,
which commits when the callback returns (or stops the update on purpose) and
rolls back when it raises; the error handler then replies. An update runs
one callback per handler group, and only the one that acts on it writes
(the gate and the typed-input groups that let it fall through only read),
so an update's writes are one transaction.

Nothing leaves the process before it is durable: `CommitBeforeSending`
commits the unit's writes so far before each Bot API request, so a reply
never shows the user a link, button or state the database does not hold
yet (the user may act on it at once, in another update). See
docs/architecture.md, "Unit of work".
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram.ext import Application, ApplicationHandlerStop, ContextTypes
from telegram.request import HTTPXRequest

from handlers.context import services
from storage.db import Database

Context = ContextTypes.DEFAULT_TYPE
R = TypeVar("R")


def in_unit_of_work(
    callback: Callable[[Any, Context], Awaitable[R]],
) -> Callable[[Any, Context], Coroutine[Any, Any, R | None]]:
    """Run a handler callback inside one unit of work."""

    @functools.wraps(callback)
    async def run(update: Any, context: Context) -> R | None:
        stop: ApplicationHandlerStop | None = None
        result: R | None = None
        async with services(context).db.unit_of_work():
            try:
                result = await callback(update, context)
            except ApplicationHandlerStop as handled:
                stop = handled  # the update was consumed: keep what it did
        if stop is not None:
            raise stop
        return result

    return run


def job_in_unit_of_work(
    callback: Callable[[Context], Awaitable[R]],
) -> Callable[[Context], Coroutine[Any, Any, R]]:
    """Run a job-queue callback inside one unit of work."""

    @functools.wraps(callback)
    async def run(context: Context) -> R:
        async with services(context).db.unit_of_work():
            return await callback(context)

    return run


def wrap_all(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Put every registered handler's callback in a unit of work."""
    for group in application.handlers.values():
        for handler in group:
            if not getattr(handler.callback, "__wrapped__", None):
                handler.callback = in_unit_of_work(handler.callback)


class CommitBeforeSending(HTTPXRequest):
    """PTB's HTTP transport, committing the caller's unit of work before each request."""

    def __init__(self, db: Database, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._db = db

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Make the unit's writes durable, then talk to Telegram."""
        await self._db.commit_current()
        return await super().do_request(*args, **kwargs)
