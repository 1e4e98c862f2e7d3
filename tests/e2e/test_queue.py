"""/queue: scheduled posts go out once at their time; post now, reschedule, edit, cancel.

Posts are scheduled through PostQueue here (the composer's "Post later" drives
the same call in test_post_later.py); everything after that is what the user
taps and types, against the fake Telegram server and the sandbox, with the
shared clock moved instead of waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.publishing.jobs import JobState
from bot.publishing.worker import PublishService
from bot.scheduling.due_gate import DueGate
from bot.scheduling.queue import MediaUnavailable, PostQueue
from bot.scheduling.zones import TimeZoneChoice
from bot.tiktok import PublishingAPI, VideosAPI
from emulators.telegram import BotMessage, FakeUser
from emulators.tiktok.paths import CREATOR_INFO, VIDEO_INIT
from handlers.job_events import chat_job_events
from handlers.telegram_files import TelegramFileLocator
from storage.repositories import LinkedAccount, PublishJobRecord
from tests.integration.support import (
    fast_options,
    fast_tuning,
    jobs_of,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def queue_of(harness: Harness) -> PostQueue:
    services = harness.bot.services
    assert services is not None and services.queue is not None
    return services.queue


def now(harness: Harness) -> datetime:
    return harness.bot.options.clock()


async def set_zone(harness: Harness, user: FakeUser, name: str) -> None:
    services = harness.bot.services
    assert services is not None and services.preferences is not None
    await services.preferences.set_time_zone(user.id, TimeZoneChoice(name))


async def schedule(
    harness: Harness,
    user: FakeUser,
    account: LinkedAccount,
    tmp_path: Path,
    *,
    after: timedelta = timedelta(hours=2),
    **settings: object,
) -> int:
    video = write_video(tmp_path / f"clip-{after.total_seconds():.0f}.mp4", 1 * MIB + 11)
    fake = harness.tg.add_file(video.path, kind="video")
    request = video_request(user, account, fake, **settings)  # type: ignore[arg-type]
    job_id = await queue_of(harness).schedule(request, now(harness) + after)
    await user.wait_for("will be posted")
    return job_id


async def entry_message(user: FakeUser, caption: str) -> BotMessage:
    await user.send_text("/queue")
    await user.wait_for("Your queue")
    return await user.wait_for(caption)


async def job(harness: Harness, job_id: int) -> PublishJobRecord:
    found = await publishing(harness).job(job_id)
    assert found is not None
    return found


def inits(harness: Harness) -> int:
    return sum(1 for r in harness.sandbox.requests if r.path == VIDEO_INIT)


async def test_a_scheduled_post_goes_out_once_when_its_time_comes(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    await set_zone(harness, user, "Europe/Berlin")
    job_id = await schedule(
        harness, user, account, tmp_path, title="Golden hour", privacy_level="MUTUAL_FOLLOW_FRIENDS"
    )
    entry = await entry_message(user, "Golden hour")
    assert "(Europe/Berlin)" in (entry.text or "") and "scheduled" in (entry.text or "")
    assert harness.sandbox.publishes == {}

    harness.clock.advance(3600)
    assert (await job(harness, job_id)).state == JobState.QUEUED  # not yet: an hour to go
    harness.clock.advance(3601)
    await wait_for_job(publishing(harness), job_id, lambda j: j.final, within=30)
    await user.wait_for("is live")
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["title"] == "Golden hour"
    assert publish.post_info["privacy_level"] == "MUTUAL_FOLLOW_FRIENDS"
    assert inits(harness) == 1


async def test_post_now_from_the_queue(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Right away please")
    entry = await entry_message(user, "Right away please")
    assert "(UTC)" in (entry.text or "")  # no zone chosen yet: shown in UTC
    await user.tap(entry, "▶️ Post now")
    await wait_for_job(publishing(harness), job_id, lambda j: j.final, within=30)
    await user.wait_for("is live")
    assert inits(harness) == 1


async def test_reschedule_asks_the_zone_once_then_offers_presets(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Move me")
    entry = await entry_message(user, "Move me")
    await user.tap(entry, "🗓 Reschedule")
    picker = await user.wait_for("Which time zone")
    await user.tap(picker, "Tokyo")
    times = await user.wait_for("When should it go out")
    await user.tap(times, "Tomorrow 09:00")
    moved = await user.wait_for("Rescheduled for")
    assert "09:00 (Asia/Tokyo)" in (moved.text or "")
    due = (await job(harness, job_id)).not_before
    assert due.astimezone(TimeZoneChoice("Asia/Tokyo").tz).strftime("%H:%M") == "09:00"

    # The zone is remembered; a typed time works too.
    await user.tap(moved, "🗓 Reschedule")
    times = await user.wait_for("When should it go out")
    await user.tap(times, "⌨️ Type a time")
    await user.wait_for("When should it go out? For example")
    await user.send_text("2020-01-01 10:00")
    await user.wait_for("That time has already passed")
    await user.send_text("in 3 hours")
    await user.wait_for("Rescheduled for")
    due = (await job(harness, job_id)).not_before
    assert abs((due - now(harness)).total_seconds() - 3 * 3600) < 60
    assert harness.sandbox.publishes == {}


async def test_cancel_removes_a_post_that_has_not_reached_tiktok(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Never mind")
    entry = await entry_message(user, "Never mind")
    await user.tap(entry, "✖️ Cancel")
    confirm = await user.wait_for("It will not be posted")
    await user.tap(confirm, "✖️ Yes, cancel it")
    await user.wait_for("Cancelled: your video will not be posted")
    assert (await job(harness, job_id)).state == JobState.CANCELLED

    harness.clock.advance(3 * 3600)
    await user.send_text("/queue")
    await user.wait_for("Nothing scheduled")
    assert harness.sandbox.publishes == {}


async def test_a_post_that_reached_tiktok_cannot_be_cancelled(tmp_path: Path) -> None:
    async with running_bot(tmp_path, options=fast_options()) as harness:
        harness.sandbox.accounts["open-ana"].processing_seconds = 3600  # stays processing
        user = harness.user()
        account = await linked(harness, user)
        job_id = await schedule(
            harness, user, account, tmp_path, after=timedelta(minutes=5), title="On its way"
        )
        harness.clock.advance(301)
        await wait_for_job(publishing(harness), job_id, lambda j: j.state == JobState.PROCESSING)
        entry = await entry_message(user, "On its way")
        assert "processing" in (entry.text or "")
        answer = await user.wait_for_answer(await user.tap(entry, "✖️ Cancel"))
        assert answer.text is not None and "already reached TikTok" in answer.text
        assert (await job(harness, job_id)).state == JobState.PROCESSING


async def test_edit_the_caption_before_it_goes_out(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Typo in captoin")
    entry = await entry_message(user, "Typo in captoin")
    await user.tap(entry, "✏️ Edit caption")
    await user.wait_for("Send the new caption")
    await user.send_text("Fixed caption #clean")
    updated = await user.wait_for("Caption updated")
    assert "Fixed caption #clean" in (updated.text or "")
    await user.tap(updated, "▶️ Post now")
    await wait_for_job(publishing(harness), job_id, lambda j: j.final, within=30)
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None and publish.post_info["title"] == "Fixed caption #clean"


async def test_a_restart_before_the_due_time_still_posts_once(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Survives restarts")
    await harness.restart_bot()
    await harness.restart_bot()
    harness.clock.advance(2 * 3600 + 1)
    await wait_for_job(publishing(harness), job_id, lambda j: j.final, within=30)
    await user.wait_for("is live")
    assert inits(harness) == 1
    assert len(harness.sandbox.publishes) == 1


async def test_a_refusal_at_the_due_time_holds_the_post_for_a_retry(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(
        harness, user, account, tmp_path, title="Public launch", privacy_level="PUBLIC_TO_EVERYONE"
    )
    harness.sandbox.accounts["open-ana"].private_account = True  # "Everyone" is gone
    creator_calls = sum(1 for r in harness.sandbox.requests if r.path == CREATOR_INFO)
    harness.clock.advance(2 * 3600 + 1)
    held = await user.wait_for("is on hold", timeout=30)
    assert "privacy you chose is no longer offered" in (held.text or "")
    assert (await job(harness, job_id)).state == JobState.HELD
    assert sum(1 for r in harness.sandbox.requests if r.path == CREATOR_INFO) == creator_calls + 1
    assert harness.sandbox.publishes == {}

    entry = await entry_message(user, "Public launch")
    assert "on hold" in (entry.text or "")
    harness.sandbox.accounts["open-ana"].private_account = False
    await user.tap(entry, "▶️ Post now")
    await wait_for_job(publishing(harness), job_id, lambda j: j.final, within=30)
    await user.wait_for("is live")
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["privacy_level"] == "PUBLIC_TO_EVERYONE"


async def test_the_daily_cap_at_the_due_time_says_reschedule(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    job_id = await schedule(harness, user, account, tmp_path, title="Capped")
    harness.sandbox.accounts["open-ana"].posting_blocked = "spam_risk_too_many_posts"
    harness.clock.advance(2 * 3600 + 1)
    held = await user.wait_for("is on hold", timeout=30)
    assert "daily posting limit" in (held.text or "")
    assert (await job(harness, job_id)).state == JobState.HELD
    assert harness.sandbox.publishes == {}


async def test_two_processes_post_each_scheduled_post_once(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    bot, services = harness.bot, harness.bot.services
    assert services is not None and bot.application is not None
    other = PublishService(  # a second process on the same database
        db=bot.db,
        cipher=bot.cipher,
        tokens=services.tokens,
        api=PublishingAPI(services.tiktok),
        videos=VideosAPI(services.tiktok),
        clock=bot.options.clock,
        data_dir=harness.settings.data_dir,
        public_base_url=harness.settings.public_base_url,
        tuning=fast_tuning(),
        due_gate=DueGate(services.tokens, PublishingAPI(services.tiktok)),
    )
    other.connect(
        events=chat_job_events(bot.application.bot, other),
        files=TelegramFileLocator(bot.application.bot, local_mode=False),
    )
    await other.start()
    harness.sandbox.faults.set_rate_limit("/v2/post/publish/status/fetch/", 100_000)
    try:
        jobs = [
            await schedule(
                harness, user, account, tmp_path, after=timedelta(minutes=30 + n), title=f"Post {n}"
            )
            for n in range(4)
        ]
        harness.clock.advance(3600)
        done = [
            await wait_for_job(publishing(harness), j, lambda j: j.final, within=60) for j in jobs
        ]
    finally:
        await other.stop()
    assert [j.state for j in done] == [JobState.PUBLISHED] * 4
    assert all(j.inits == 1 for j in done)
    assert inits(harness) == 4 and len(harness.sandbox.publishes) == 4


async def test_media_telegram_will_not_hand_out_is_refused_when_scheduling(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    big = write_video(tmp_path / "big.mp4", 21 * MIB)
    fake = harness.tg.add_file(big.path, kind="video")
    with pytest.raises(MediaUnavailable) as too_big:
        await queue_of(harness).schedule(
            video_request(user, account, fake), now(harness) + timedelta(hours=1)
        )
    assert too_big.value.too_big
    small = harness.tg.add_file(write_video(tmp_path / "s.mp4", MIB).path, kind="video")
    request = video_request(user, account, small)
    gone = replace(request, media=(replace(request.media[0], file_id="no-such-file"),))
    with pytest.raises(MediaUnavailable) as unknown:
        await queue_of(harness).schedule(gone, now(harness) + timedelta(hours=1))
    assert not unknown.value.too_big
    assert await jobs_of(harness, user.id) == []


async def test_forged_and_foreign_queue_buttons_change_nothing(
    harness: Harness, tmp_path: Path
) -> None:
    owner = harness.user()
    account = await linked(harness, owner)
    job_id = await schedule(harness, owner, account, tmp_path, title="Mine only")
    entry = await entry_message(owner, "Mine only")
    before = await job(harness, job_id)

    stranger = harness.user(2002, first_name="Eve")
    await stranger.send_text("/queue")
    await stranger.wait_for("Nothing scheduled")
    for data in (f"q:{job_id}:now", f"q:{job_id}:xok", f"q:{job_id}:at:1h"):
        answer = await stranger.wait_for_answer(await stranger.tap_data(entry.message_id, data))
        assert answer.text is not None and "no longer in the queue" in answer.text
    for data in (f"q:{job_id}:at:noon", "q:x:now", f"q:{job_id}:explode", "qz:1:99"):
        answer = await owner.wait_for_answer(await owner.tap_data(entry.message_id, data))
        assert answer.text is not None and "no longer active" in answer.text.lower()
    after = await job(harness, job_id)
    assert (after.state, after.not_before) == (before.state, before.not_before)
    assert harness.tg.errors == []
