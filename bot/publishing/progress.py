"""Telling the user how a job is doing: one chat message per job, edited sparingly.

The worker says what to show (`ProgressChannel.show`); the channel decides
when Telegram hears about it: the first text is sent at once, later ones are
edits at most every `interval` seconds and only when the text changed. If
Telegram asks us to wait (flood control), the channel waits and then sends the
newest text, skipping the states that went stale meanwhile.

The Telegram side is a `ProgressReporter` (handlers/progress.py); this module
does not import telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)

# Telegram down must never fail a publish: give up on one text after this many tries.
MAX_DELIVERY_FAILURES = 5


class ReportRetryAfter(Exception):
    """Telegram's flood control: try again after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class ProgressMessageGone(Exception):
    """The progress message can no longer be edited (deleted): send a new one."""


class ProgressReporter(Protocol):
    """Sends and edits the one progress message of a job (HTML text)."""

    async def send(self, chat_id: int, text: str) -> int:
        """Send a new message and return its message id."""
        ...

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        """Replace the message's text; an unchanged text is not an error.

        Raises ReportRetryAfter on flood control and ProgressMessageGone when
        the message cannot be edited any more.
        """
        ...


MessageIdSink = Callable[[int], Awaitable[None]]


class ProgressChannel:
    """The progress message of one job."""

    def __init__(
        self,
        reporter: ProgressReporter,
        *,
        chat_id: int,
        message_id: int | None,
        interval: float,
        on_message_id: MessageIdSink,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reporter = reporter
        self._chat_id = chat_id
        self._message_id = message_id
        self._interval = interval
        self._on_message_id = on_message_id
        self._monotonic = monotonic
        self._wanted: str | None = None
        self._shown: str | None = None
        self._last_delivery = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    @property
    def message_id(self) -> int | None:
        """The chat message in use, once one was sent."""
        return self._message_id

    @property
    def shown(self) -> str | None:
        """The text the user sees now (as far as we know)."""
        return self._shown

    def show(self, text: str) -> None:
        """Ask for `text` to be shown; returns at once, delivery happens in the background."""
        self._wanted = text
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._deliver())

    async def finish(self, text: str, *, within: float = 120.0) -> bool:
        """Show `text` and wait until it reached the chat; False if it could not."""
        self.show(text)
        task = self._task
        if task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), within)
        return self._shown == text

    async def close(self) -> None:
        """Stop delivering (the job is gone from this worker)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self) -> None:
        failures = 0
        while self._wanted is not None and self._wanted != self._shown:
            wait = self._last_delivery + self._interval - self._monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            text = self._wanted  # the newest wish: stale ones are skipped
            try:
                await self._send_or_edit(text)
            except ReportRetryAfter as flood:
                await asyncio.sleep(flood.seconds)
                continue
            except ProgressMessageGone:
                self._message_id = None
                continue
            except Exception:
                failures += 1
                log.warning("progress message for chat %s not delivered", self._chat_id)
                if failures >= MAX_DELIVERY_FAILURES:
                    return
                self._last_delivery = self._monotonic()
                continue
            failures = 0
            self._shown = text
            self._last_delivery = self._monotonic()

    async def _send_or_edit(self, text: str) -> None:
        async with self._lock:
            if self._message_id is None:
                message_id = await self._reporter.send(self._chat_id, text)
                self._message_id = message_id
                await self._on_message_id(message_id)
            else:
                await self._reporter.edit(self._chat_id, self._message_id, text)
