"""Leases: a job held by a crashed worker waits for its lease; two workers never share a job."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.publishing.jobs import JobState
from bot.publishing.worker import PublishService
from bot.tiktok import PublishingAPI, VideosAPI
from handlers.job_events import chat_job_events
from handlers.telegram_files import TelegramFileLocator
from storage.repositories import PublishJobRecord, PublishJobRepository
from tests.integration.support import (
    MIB,
    fast_tuning,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness


def final(job: PublishJobRecord) -> bool:
    return JobState(job.state).final


async def test_a_crashed_workers_job_waits_for_its_lease(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    request = video_request(user, account, fake)
    bot = harness.bot
    now = bot.options.clock()
    # Another process claimed the job and died without releasing its lease.
    async with bot.db.transaction() as session:
        repo = PublishJobRepository(session, bot.cipher)
        job = await repo.add(
            draft_id=request.draft_id,
            telegram_user_id=user.id,
            chat_id=user.id,
            account_id=account.id,
            kind="video",
            mode="direct",
            request_json=request.to_json(),
            state="queued",
            not_before=now,
        )
        assert await repo.claim(job.id, owner="crashed", now=now, until=now + timedelta(seconds=60))

    await asyncio.sleep(0.6)  # several scans of the live worker: the lease must hold
    assert harness.sandbox.publishes == {}
    service = publishing(harness)
    held = await service.job(job.id)
    assert held is not None and held.lease_owner == "crashed" and held.state == "queued"

    harness.clock.advance(61)  # the dead worker's lease runs out
    done = await wait_for_job(
        service, job.id, lambda j: final(j) and j.lease_owner is None, within=30
    )
    assert done.state == JobState.PUBLISHED and done.inits == 1
    assert len(harness.sandbox.publishes) == 1


async def test_two_workers_on_one_database_post_each_job_once(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    bot = harness.bot
    services = bot.services
    assert services is not None and bot.application is not None
    second = PublishService(
        db=bot.db,
        cipher=bot.cipher,
        tokens=services.tokens,
        api=PublishingAPI(services.tiktok),
        videos=VideosAPI(services.tiktok),
        clock=bot.options.clock,
        data_dir=harness.settings.data_dir,
        public_base_url=harness.settings.public_base_url,
        tuning=fast_tuning(),
    )
    second.connect(
        events=chat_job_events(bot.application.bot, second),
        files=TelegramFileLocator(bot.application.bot, local_mode=False),
    )
    await second.start()
    # Test timings poll far faster than TikTok's 30/min: lift the limit, it is not the subject.
    harness.sandbox.faults.set_rate_limit("/v2/post/publish/status/fetch/", 100_000)
    try:
        first = publishing(harness)
        jobs = []
        for n in range(6):
            video = write_video(tmp_path / f"clip{n}.mp4", 1 * MIB, seed=n)
            fake = harness.tg.add_file(video.path, kind="video")
            # Submitted through both services: either may claim any job.
            service = first if n % 2 else second
            jobs.append(await service.submit(video_request(user, account, fake)))
        done = [await wait_for_job(first, job_id, final, within=60) for job_id in jobs]
    finally:
        await second.stop()

    assert [j.state for j in done] == [JobState.PUBLISHED] * 6
    assert all(j.inits == 1 for j in done)
    assert len(harness.sandbox.publishes) == 6
    assert len({j.publish_id for j in done}) == 6
