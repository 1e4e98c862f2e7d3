"""One album, its items landing on two processes: one draft with every photo, finished once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.publishing.albums import AlbumService
from bot.publishing.choices import MediaKind, MediaRef
from bot.publishing.draft_base import choices_of
from storage.db import Database
from storage.repositories import DraftRepository
from tests.support.databases import isolated_database

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
USER = 1001


class Clock:
    """A shared clock the test moves."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
async def processes(tmp_path: Path) -> AsyncIterator[tuple[Clock, AlbumService, AlbumService]]:
    """Two processes' album services on one database (separate engines)."""
    async with isolated_database(tmp_path) as url:
        first, second = Database(url), Database(url)
        await first.upgrade()
        clock = Clock()
        try:
            yield (
                clock,
                AlbumService(db=first, clock=clock, holder="p1", settle_seconds=1.5),
                AlbumService(db=second, clock=clock, holder="p2", settle_seconds=1.5),
            )
        finally:
            await first.dispose()
            await second.dispose()


def photo(n: int) -> MediaRef:
    return MediaRef(file_id=f"file-{n}", file_unique_id=f"u{n}", file_size=1000 + n)


async def add(service: AlbumService, n: int, caption: str | None = None) -> bool:
    return await service.add(
        telegram_user_id=USER,
        chat_id=USER,
        media_group_id="g1",
        message_id=100 + n,
        kind=MediaKind.PHOTO,
        ref=photo(n),
        caption=caption,
    )


async def test_items_on_two_processes_become_one_draft_with_every_photo(
    processes: tuple[Clock, AlbumService, AlbumService],
) -> None:
    clock, one, two = processes
    # Delivered out of order, alternating processes, one redelivered.
    for service, n in ((two, 1), (one, 0), (two, 3), (one, 2), (one, 2)):
        assert await add(service, n, caption="Trip day 1" if n == 0 else None)
        clock.advance(0.2)
    assert (await one.settle(USER, "g1")).wait == pytest.approx(1.3)  # quiet since 0.2 s only
    clock.advance(1.3)
    results = await asyncio.gather(one.settle(USER, "g1"), two.settle(USER, "g1"))
    finished = [r for r in results if r.draft is not None]
    assert len(finished) == 1 and [r.chat_id for r in results if r is not finished[0]] == [None]
    draft = finished[0].draft
    assert draft is not None
    assert [m["file_id"] for m in draft.media] == ["file-0", "file-1", "file-2", "file-3"]
    assert choices_of(draft).title == "Trip day 1" and draft.status == "open"
    # Later checks (timers on either process) find nothing to do.
    assert (await two.settle(USER, "g1")).chat_id is None
    assert await add(two, 9) is False  # a straggler is not filed into the finished album


async def test_the_debounce_counts_from_the_last_item_wherever_it_arrived(
    processes: tuple[Clock, AlbumService, AlbumService],
) -> None:
    clock, one, two = processes
    await add(one, 0)
    clock.advance(1.0)
    await add(two, 1)  # process 1's timer (armed at 0) fires at 1.5: too early
    clock.advance(0.5)
    assert (await one.settle(USER, "g1")).wait == pytest.approx(1.0)
    clock.advance(1.0)
    settled = await one.settle(USER, "g1")
    assert settled.draft is not None and len(settled.draft.media) == 2


async def test_a_crash_while_finishing_leaves_the_album_for_another_process(
    processes: tuple[Clock, AlbumService, AlbumService],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock, one, two = processes
    await add(one, 0)
    await add(two, 1)
    clock.advance(2.0)

    async def crash(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("the process died mid-transaction")

    with monkeypatch.context() as patched:
        patched.setattr(DraftRepository, "create", crash)
        with pytest.raises(ConnectionError):
            await one.settle(USER, "g1")
    settled = await two.settle(USER, "g1")  # rolled back: still collecting, finished here
    assert settled.draft is not None and len(settled.draft.media) == 2
