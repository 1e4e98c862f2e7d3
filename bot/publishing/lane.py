"""The transfer lane: where a video's bytes move, away from the chat's event loop.

One event loop serves Telegram updates, the database and every upload. A
chunk PUT is thousands of socket writes and reads; four of them at once kept
that loop busy enough that /stats waited behind them (docs/performance.md).
`ThreadLane` runs the byte-moving work (the download into the spool, the
chunk PUTs) on an event loop of its own in a dedicated thread, with its own
HTTP clients. Socket I/O releases the GIL, so on a machine with two cores the
bytes move on one while the chat is served on the other.

Work on the lane reaches back to the home loop (the database, the job's
events) through `LaneTools.at_home` (awaited) and `LaneTools.tell_home`
(fire and forget). `InlineLane` runs the same work on the caller's loop: for
tests that put hooks into the bot's HTTP transport, which live on that loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx

from bot.publishing.transport import download_client, upload_client

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LaneTools:
    """What work running on a lane gets: its HTTP clients and the way home."""

    # None: use the service's own client (InlineLane).
    uploads: httpx.AsyncClient | None
    downloads: httpx.AsyncClient | None
    at_home: Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]]
    tell_home: Callable[..., None]
    # The lane's loop serves transfers only: a blocking disk read stalls no chat.
    dedicated: bool = False


Work = Callable[[LaneTools], Awaitable[T]]


class TransferLane(Protocol):
    """Runs byte-moving work somewhere; `run` is called from the home loop."""

    async def run(self, work: Work[T]) -> T:
        """Run `work` on the lane; returns its result or raises its exception."""
        ...

    async def close(self) -> None:
        """Stop the lane (work still running is cancelled first)."""
        ...


class InlineLane:
    """The lane is the caller's own loop, with the service's own clients."""

    async def run(self, work: Work[T]) -> T:
        """Run `work` right here."""

        async def at_home(call: Callable[[], Awaitable[Any]]) -> Any:
            return await call()

        def tell_home(callback: Callable[..., None], *args: Any) -> None:
            callback(*args)

        return await work(LaneTools(None, None, at_home, tell_home))

    async def close(self) -> None:
        """Nothing to stop."""


class ThreadLane:
    """An event loop in a thread of its own, with its own aiohttp-backed clients."""

    def __init__(self, *, buffer_size: int) -> None:
        self._buffer_size = buffer_size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._uploads: httpx.AsyncClient | None = None
        self._downloads: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def _start(self) -> asyncio.AbstractEventLoop:
        if self._loop is not None:
            return self._loop
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        self._thread = threading.Thread(target=serve, name="transfer-lane", daemon=True)
        self._thread.start()
        ready.wait()
        # Clients are made here but used only on the lane: aiohttp binds its
        # session to the loop of the first request.
        self._uploads = upload_client()
        self._downloads = download_client(self._buffer_size)
        self._loop = loop
        return loop

    async def run(self, work: Work[T]) -> T:
        """Run `work` on the lane's loop; cancelling the caller cancels it and waits for it."""
        lane = self._start()
        home = asyncio.get_running_loop()
        done: asyncio.Future[T] = home.create_future()
        started: list[asyncio.Task[T]] = []

        def settle(task: asyncio.Task[T]) -> None:
            if done.done():
                return
            if task.cancelled():
                done.cancel()
            elif (error := task.exception()) is not None:
                done.set_exception(error)
            else:
                done.set_result(task.result())

        def begin() -> None:
            tools = LaneTools(
                uploads=self._uploads,
                downloads=self._downloads,
                at_home=lambda call: _at_home(home, call),
                tell_home=lambda callback, *args: _tell(home, callback, *args),
                dedicated=True,
            )
            task = lane.create_task(_as_coroutine(work, tools))
            self._tasks.add(task)
            started.append(task)
            task.add_done_callback(self._tasks.discard)
            task.add_done_callback(lambda t: home.call_soon_threadsafe(settle, t))

        lane.call_soon_threadsafe(begin)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # `begin` ran before this (one queue, in order): the task exists.
            lane.call_soon_threadsafe(lambda: started[0].cancel())
            # Wait until it really stopped: it may hold a file or a socket the
            # caller is about to close.
            with contextlib.suppress(BaseException):
                await done
            raise

    async def close(self) -> None:
        """Cancel what still runs, close the clients, stop the thread."""
        loop, self._loop = self._loop, None
        if loop is None:
            return

        async def shut() -> None:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            for client in (self._uploads, self._downloads):
                if client is not None:
                    await client.aclose()

        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(shut(), loop))
        loop.call_soon_threadsafe(loop.stop)
        thread, self._thread = self._thread, None
        if thread is not None:
            await asyncio.to_thread(thread.join)
        loop.close()


def _tell(home: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
    home.call_soon_threadsafe(callback, *args)


async def _as_coroutine(work: Work[T], tools: LaneTools) -> T:
    return await work(tools)


async def _at_home(home: asyncio.AbstractEventLoop, call: Callable[[], Awaitable[T]]) -> T:
    """Run `call()` on the home loop and wait for it here (cancelling it if we are)."""

    async def there() -> T:
        return await call()

    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(there(), home))
