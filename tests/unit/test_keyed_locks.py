"""Per-key locks serialise one key, not others, and are forgotten when idle."""

from __future__ import annotations

import asyncio

from bot.keyed_locks import KeyedLocks


async def test_one_key_at_a_time_and_nothing_left_behind() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    inside: list[str] = []
    first_in, release = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with locks.hold(1):
            inside.append("a")
            first_in.set()
            await release.wait()
            inside.append("a-done")

    async def waiter() -> None:
        async with locks.hold(1):
            inside.append("b")

    async def other_key() -> None:
        async with locks.hold(2):
            inside.append("c")

    task_a = asyncio.create_task(holder())
    await first_in.wait()
    task_b = asyncio.create_task(waiter())
    await other_key()  # another key is not held up
    assert inside == ["a", "c"]
    assert len(locks) == 1  # key 1, held and awaited
    release.set()
    await asyncio.gather(task_a, task_b)
    assert inside == ["a", "c", "a-done", "b"]
    assert len(locks) == 0
