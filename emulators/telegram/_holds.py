"""Holding back one answer: the call is carried out, its reply waits for the test.

This is how a test opens the window between "Telegram did it" and "the bot
heard back" (a slow network), to drive what the bot does in between.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class HeldAnswer:
    """The next answer to `method` whose text contains `containing`, once carried out."""

    method: str
    containing: str
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        """Whether this hold is for that call."""
        return method == self.method and self.containing in str(params.get("text", ""))

    def release(self) -> None:
        """Let the held answer go to the bot."""
        self._released.set()

    async def wait_released(self) -> None:
        """Wait (inside the server) until the test releases the answer."""
        self.reached.set()
        await self._released.wait()


class Holds:
    """The holds a test asked for, each used once."""

    def __init__(self) -> None:
        self._waiting: list[HeldAnswer] = []

    def add(self, hold: HeldAnswer) -> None:
        """Hold the next matching answer."""
        self._waiting.append(hold)

    def take(self, method: str, params: dict[str, Any]) -> HeldAnswer | None:
        """The hold for this call, if any (removed: it holds one answer)."""
        for hold in self._waiting:
            if hold.matches(method, params):
                self._waiting.remove(hold)
                return hold
        return None
