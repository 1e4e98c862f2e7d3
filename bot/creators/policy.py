"""How the bot spends an operator's provider budget: pace, retry, cache, per-user quota.

One `ClientPolicy` per provider. Time and sleeping are injected (seconds
clock, async sleeper) so tests move a fake clock instead of waiting.

Why not aiolimiter: it reads the event loop's clock, which a test cannot
move, and it frees a slot a fixed time after the request *started*; a slow
first request then lets the fourth arrive at the provider less than a second
after the first. Here a slot is held until `period` after its request
*finished*, so no latency can squeeze four requests into one provider second.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.creators.errors import (
    ProviderRateLimited,
    ProviderUnavailable,
    QuotaExceeded,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Seconds = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

DAY_SECONDS = 86_400.0


class RateLimiter:
    """At most `rate` requests in flight or finished within the last `period` seconds."""

    def __init__(self, rate: int, period: float, *, now: Seconds, sleep: Sleep) -> None:
        self._rate = rate
        self._period = period
        self._now = now
        self._sleep = sleep
        self._busy = 0
        self._finished: deque[float] = deque()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause_for(self, seconds: float) -> None:
        """Hold every request for `seconds` (the provider said "wait")."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _wait_needed(self) -> float:
        now = self._now()
        while self._finished and self._finished[0] <= now - self._period:
            self._finished.popleft()
        if now < self._paused_until:
            return self._paused_until - now
        if self._busy + len(self._finished) < self._rate:
            return 0.0
        if self._finished:
            return self._finished[0] + self._period - now
        return self._period  # every slot in flight: check again after a while

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a free slot, hold it while the request runs."""
        async with self._lock:  # one waiter at a time keeps the order fair
            while (wait := self._wait_needed()) > 0:
                await self._sleep(wait)
            self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            self._finished.append(self._now())


_MISSING = object()


class TTLCache:
    """Replies kept for `ttl` seconds, the oldest dropped beyond `size` entries."""

    def __init__(self, ttl: float, *, now: Seconds, size: int = 2_000) -> None:
        self._ttl = ttl
        self._now = now
        self._size = size
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        """The cached value, or `MISSING`."""
        found = self._items.get(key)
        if found is None:
            return _MISSING
        stored, value = found
        if self._now() - stored >= self._ttl:
            del self._items[key]
            return _MISSING
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Remember a value now."""
        self._items[key] = (self._now(), value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


MISSING = _MISSING


class UserQuota:
    """At most `limit` uncached lookups per user in any 24 hours (0: no limit)."""

    def __init__(self, limit: int, *, now: Seconds) -> None:
        self._limit = limit
        self._now = now
        self._spent: dict[int, deque[float]] = {}

    def charge(self, user_id: int) -> None:
        """Count one lookup, or raise QuotaExceeded when the user has none left."""
        if self._limit <= 0:
            return
        now = self._now()
        spent = self._spent.setdefault(user_id, deque())
        while spent and spent[0] <= now - DAY_SECONDS:
            spent.popleft()
        if len(spent) >= self._limit:
            raise QuotaExceeded(
                self._limit,
                datetime.fromtimestamp(spent[0] + DAY_SECONDS, UTC),
                now=datetime.fromtimestamp(now, UTC),
            )
        spent.append(now)


@dataclass(frozen=True, slots=True)
class RetryRules:
    """How hard to try before telling the user."""

    rate_limit_retries: int = 2
    longest_wait: float = 30.0  # a longer "wait N s" goes to the user instead
    unavailable_backoff: tuple[float, ...] = (1.0, 2.0)  # then give up


class ClientPolicy:
    """Cache first, then quota, then the rate limiter and retries around one provider call."""

    def __init__(
        self,
        name: str,
        *,
        limiter: RateLimiter,
        cache: TTLCache,
        quota: UserQuota,
        sleep: Sleep,
        rules: RetryRules | None = None,
    ) -> None:
        self.name = name
        self._limiter = limiter
        self._cache = cache
        self._quota = quota
        self._sleep = sleep
        self._rules = rules or RetryRules()

    async def fetch(
        self, key: Hashable, call: Callable[[], Awaitable[T]], *, user_id: int | None
    ) -> T:
        """The cached reply for `key`, or `call()` paced and retried (charged to `user_id`).

        `user_id` None: a system job (the daily watch snapshot), never refused by quota.
        """
        cached = self._cache.get(key)
        if cached is not _MISSING:
            return cached  # type: ignore[no-any-return]
        if user_id is not None:
            self._quota.charge(user_id)
        result = await self._call(call)
        self._cache.put(key, result)
        return result

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        rules = self._rules
        limited = 0
        backoff = iter(rules.unavailable_backoff)
        while True:
            try:
                async with self._limiter.slot():
                    return await call()
            except ProviderRateLimited as exc:
                # Everyone waits: the limit is the operator's key, not this user's.
                self._limiter.pause_for(exc.retry_after)
                limited += 1
                if limited > rules.rate_limit_retries or exc.retry_after > rules.longest_wait:
                    raise
                log.info("%s asked to wait %.0f s; retrying", self.name, exc.retry_after)
            except ProviderUnavailable:
                delay = next(backoff, None)
                if delay is None:
                    raise
                log.info("%s unavailable; retrying in %.0f s", self.name, delay)
                await self._sleep(delay)
