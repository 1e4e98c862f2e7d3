"""The one progress message per job: sent once, edited sparingly, flood control obeyed."""

from __future__ import annotations

import asyncio

from bot.publishing.progress import ProgressChannel, ProgressMessageGone, ReportRetryAfter


class Recorder:
    """A ProgressReporter that records calls and can be told to refuse."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int | None, str]] = []
        self.refusals: list[Exception] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.next_id = 100

    async def send(self, chat_id: int, text: str) -> int:
        await self.gate.wait()
        if self.refusals:
            raise self.refusals.pop(0)
        self.next_id += 1
        self.calls.append(("send", None, text))
        return self.next_id

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        await self.gate.wait()
        if self.refusals:
            raise self.refusals.pop(0)
        self.calls.append(("edit", message_id, text))


def channel(reporter: Recorder, *, message_id: int | None = None, interval: float = 0.05):
    stored: list[int] = []

    async def remember(message_id: int) -> None:
        stored.append(message_id)

    return (
        ProgressChannel(
            reporter, chat_id=7, message_id=message_id, interval=interval, on_message_id=remember
        ),
        stored,
    )


async def test_first_text_is_sent_then_only_the_newest_is_edited_in() -> None:
    reporter = Recorder()
    progress, stored = channel(reporter)
    reporter.gate.clear()
    progress.show("queued")
    await asyncio.sleep(0.01)  # "queued" is now on its way to Telegram
    progress.show("uploading 10%")
    progress.show("uploading 20%")
    reporter.gate.set()
    assert await progress.finish("done")
    assert reporter.calls[0] == ("send", None, "queued")
    assert reporter.calls[-1] == ("edit", 101, "done")
    assert ("edit", 101, "uploading 10%") not in reporter.calls  # stale: skipped
    assert stored == [101] and progress.message_id == 101


async def test_unchanged_text_is_not_sent_again() -> None:
    reporter = Recorder()
    progress, _ = channel(reporter)
    assert await progress.finish("same")
    progress.show("same")
    assert await progress.finish("same")
    assert reporter.calls == [("send", None, "same")]


async def test_edits_are_spaced_by_the_interval() -> None:
    reporter = Recorder()
    progress, _ = channel(reporter, interval=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await progress.finish("one")
    assert await progress.finish("two")
    assert await progress.finish("three")
    assert loop.time() - started >= 0.4
    assert [c[2] for c in reporter.calls] == ["one", "two", "three"]


async def test_flood_control_waits_and_skips_stale_states() -> None:
    reporter = Recorder()
    progress, _ = channel(reporter, message_id=55)
    reporter.refusals.append(ReportRetryAfter(0.2))
    progress.show("uploading 10%")
    await asyncio.sleep(0.05)  # refused now; the channel waits 0.2 s
    progress.show("uploading 50%")
    progress.show("uploading 90%")
    assert await progress.finish("done")
    assert reporter.calls == [("edit", 55, "done")]


async def test_a_deleted_message_is_replaced_by_a_new_one() -> None:
    reporter = Recorder()
    progress, stored = channel(reporter, message_id=55)
    reporter.refusals.append(ProgressMessageGone())
    assert await progress.finish("processing")
    assert reporter.calls == [("send", None, "processing")]
    assert stored == [101]


async def test_telegram_being_down_never_raises() -> None:
    reporter = Recorder()
    progress, _ = channel(reporter, interval=0.01)
    reporter.refusals.extend(RuntimeError("down") for _ in range(10))
    assert not await progress.finish("done")
    await progress.close()


async def test_close_stops_delivery() -> None:
    reporter = Recorder()
    reporter.gate.clear()
    progress, _ = channel(reporter)
    progress.show("queued")
    await asyncio.sleep(0)
    await progress.close()
    reporter.gate.set()
    await asyncio.sleep(0.05)
    assert reporter.calls == []
