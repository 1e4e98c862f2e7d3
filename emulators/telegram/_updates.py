"""The bot's pending updates and getUpdates long polling, with Telegram's semantics.

* ``offset`` confirms (forgets) every update with a smaller id; a negative
  offset keeps only the last ``-offset`` updates.
* Without pending updates the call waits up to ``timeout`` seconds and returns
  as soon as one is enqueued.
* ``allowed_updates`` is remembered until changed; ``[]`` restores the default
  (every type except chat_member, message_reaction, message_reaction_count).
  Updates of other types are dropped when they happen, as Telegram does.
* A second concurrent getUpdates terminates the first one (409 Conflict).
* :meth:`UpdateQueue.close` answers every waiting poll at once (server stop).
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field
from typing import Any

from ._signal import Signal

_NOT_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_LIMIT = 100


class Poll(enum.Enum):
    """Why a long poll ended without updates to return."""

    SUPERSEDED = "superseded"


@dataclass(eq=False)
class _Waiter:
    event: asyncio.Event = field(default_factory=asyncio.Event)
    superseded: bool = False


class UpdateQueue:
    """Pending updates in id order, and the one long poll that may wait for them."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._allowed: frozenset[str] | None = None
        self._waiter: _Waiter | None = None
        self._closed = False
        self.arrived = Signal()  # for the webhook delivery loop
        self.parked = Signal()  # a long poll started waiting (tests wait on it)
        self.confirmed = Signal()  # updates were confirmed (tests wait on it)

    @property
    def pending_count(self) -> int:
        """Updates not yet confirmed by an offset."""
        return len(self._pending)

    def put(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Enqueue an update of ``kind`` ("message", "callback_query"...); None if filtered out."""
        if not self._is_allowed(kind):
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        if self._waiter is not None:
            self._waiter.event.set()
        self.arrived.notify()
        return update

    def peek(self) -> dict[str, Any] | None:
        """The oldest pending update, if any."""
        return self._pending[0] if self._pending else None

    def confirm(self, offset: int) -> None:
        """Apply getUpdates ``offset`` semantics (positive: forget below; negative: keep last N)."""
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self.confirmed.notify()

    def drop_pending(self) -> None:
        """Forget every pending update (deleteWebhook/setWebhook drop_pending_updates)."""
        self._pending.clear()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember ``allowed_updates``: None keeps the current setting, [] restores the default."""
        if allowed is not None:
            self._allowed = frozenset(allowed) if allowed else None

    @property
    def allowed_updates(self) -> list[str] | None:
        """The explicit allowed_updates filter, None for the default."""
        return sorted(self._allowed) if self._allowed is not None else None

    def close(self) -> None:
        """Wake the waiting poll and make future polls answer immediately."""
        self._closed = True
        if self._waiter is not None:
            self._waiter.event.set()

    async def poll(
        self, *, offset: int, limit: int, wait_seconds: float
    ) -> list[dict[str, Any]] | Poll:
        """Confirm by ``offset``, then return up to ``limit`` updates within ``wait_seconds``."""
        self.confirm(offset)
        if self._waiter is not None:
            self._waiter.superseded = True
            self._waiter.event.set()
        waiter = _Waiter()
        self._waiter = waiter
        self.parked.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait_seconds, 0.0)
        try:
            while True:
                if waiter.superseded:
                    return Poll.SUPERSEDED
                if self._pending or self._closed:
                    return self._pending[: max(1, min(limit, MAX_LIMIT))]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                waiter.event.clear()
                try:
                    async with asyncio.timeout(remaining):
                        await waiter.event.wait()
                except TimeoutError:
                    return []
        finally:
            if self._waiter is waiter:
                self._waiter = None

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self._waiter is not None

    def _is_allowed(self, kind: str) -> bool:
        if self._allowed is None:
            return kind not in _NOT_DEFAULT
        return kind in self._allowed
