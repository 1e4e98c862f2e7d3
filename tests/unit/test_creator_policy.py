"""The client policy: rate limiter, cache, quota, retries; on a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from bot.creators.errors import ProviderRateLimited, ProviderUnavailable, QuotaExceeded
from bot.creators.policy import (
    MISSING,
    ClientPolicy,
    RateLimiter,
    RetryRules,
    TTLCache,
    UserQuota,
)
from bot.creators.video_list_api import retry_after_of


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_three_a_second_counted_from_when_each_request_finished() -> None:
    clock = FakeTime()
    limiter = RateLimiter(3, 1.0, now=clock, sleep=clock.sleep)
    starts = []
    for _ in range(7):
        async with limiter.slot():
            starts.append(clock.now)
            clock.now += 0.1  # each request takes 100 ms
    assert starts[:3] == [1000.0, 1000.1, 1000.2]
    # The 4th waits until 1 s after the 1st *finished* (1000.1), and so on.
    assert starts[3:] == pytest.approx([1001.1, 1001.2, 1001.3, 1002.2])


async def test_a_pause_holds_everyone() -> None:
    clock = FakeTime()
    limiter = RateLimiter(3, 1.0, now=clock, sleep=clock.sleep)
    limiter.pause_for(15)
    async with limiter.slot():
        assert clock.now == pytest.approx(1015.0)
    assert clock.waits == [pytest.approx(15.0)]


def test_cache_forgets_after_its_ttl_and_beyond_its_size() -> None:
    clock = FakeTime()
    cache = TTLCache(600, now=clock, size=2)
    cache.put("a", 1)
    clock.now += 599
    assert cache.get("a") == 1
    clock.now += 1
    assert cache.get("a") is MISSING
    for key in "xyz":
        cache.put(key, key)
    assert cache.get("x") is MISSING and cache.get("z") == "z"


def test_quota_per_user_over_24_hours() -> None:
    clock = FakeTime()
    quota = UserQuota(2, now=clock)
    quota.charge(1)
    clock.now += 3600
    quota.charge(1)
    with pytest.raises(QuotaExceeded) as refused:
        quota.charge(1)
    assert refused.value.resets_at.timestamp() == pytest.approx(1_000 + 86_400)
    quota.charge(2)  # someone else
    clock.now = 1_000 + 86_400
    quota.charge(1)  # the first lookup has aged out
    with pytest.raises(QuotaExceeded):
        quota.charge(1)
    UserQuota(0, now=clock).charge(1)  # 0: unlimited


def _policy(clock: FakeTime, *, quota: int = 0, rules: RetryRules | None = None) -> ClientPolicy:
    return ClientPolicy(
        "test",
        limiter=RateLimiter(3, 1.0, now=clock, sleep=clock.sleep),
        cache=TTLCache(600, now=clock),
        quota=UserQuota(quota, now=clock),
        sleep=clock.sleep,
        rules=rules,
    )


async def test_a_rate_limit_is_waited_out_then_retried_and_the_reply_cached() -> None:
    clock = FakeTime()
    policy = _policy(clock)
    calls = []

    async def call() -> str:
        calls.append(clock.now)
        if len(calls) == 1:
            raise ProviderRateLimited("wait 15s", retry_after=15)
        return "page"

    assert await policy.fetch("k", call, user_id=1) == "page"
    assert calls[1] - calls[0] == pytest.approx(15.0)
    assert await policy.fetch("k", call, user_id=1) == "page"
    assert len(calls) == 2  # the second fetch was a cache hit


async def test_too_long_a_wait_or_too_many_limits_go_to_the_user() -> None:
    clock = FakeTime()
    policy = _policy(clock, rules=RetryRules(rate_limit_retries=1, longest_wait=20))

    async def long_wait() -> str:
        raise ProviderRateLimited("wait 60s", retry_after=60)

    with pytest.raises(ProviderRateLimited):
        await policy.fetch("a", long_wait, user_id=None)
    attempts = 0

    async def always_limited() -> str:
        nonlocal attempts
        attempts += 1
        raise ProviderRateLimited("wait 5s", retry_after=5)

    with pytest.raises(ProviderRateLimited):
        await policy.fetch("b", always_limited, user_id=None)
    assert attempts == 2


async def test_an_outage_backs_off_then_gives_up_and_is_not_cached() -> None:
    clock = FakeTime()
    policy = _policy(clock, quota=10)
    attempts = 0

    async def down() -> str:
        nonlocal attempts
        attempts += 1
        raise ProviderUnavailable("503")

    with pytest.raises(ProviderUnavailable):
        await policy.fetch("k", down, user_id=1)
    assert attempts == 3 and clock.waits == [1.0, 2.0]

    async def up() -> str:
        return "ok"

    assert await policy.fetch("k", up, user_id=1) == "ok"


async def test_quota_is_charged_per_uncached_lookup_not_per_retry() -> None:
    clock = FakeTime()
    policy = _policy(clock, quota=1)
    attempts = 0

    async def flaky() -> str:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise ProviderUnavailable("503")
        return "ok"

    assert await policy.fetch("k", flaky, user_id=7) == "ok"
    assert await policy.fetch("k", flaky, user_id=7) == "ok"  # cached: free
    with pytest.raises(QuotaExceeded):
        await policy.fetch("other", flaky, user_id=7)
    assert await policy.fetch("other", flaky, user_id=None) == "ok"  # the daily job


def test_the_wait_is_read_from_the_message() -> None:
    assert retry_after_of("Request frequency limit, wait 15s") == 15
    assert retry_after_of("wait 2.5 s please") == 2.5
    assert retry_after_of("slow down") == 15  # the documented default
