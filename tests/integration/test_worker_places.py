"""A post waiting for TikTok's processing does not hold up the uploads queued behind it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.publishing.jobs import JobState
from bot.publishing.worker import PublishService
from emulators.telegram import FakeUser
from emulators.tiktok.paths import VIDEO_INIT
from storage.repositories import PublishJobRecord
from tests.integration.support import (
    MIB,
    fast_options,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness, default_accounts, running_bot


async def _next_scan(service: PublishService) -> None:
    """Return when the worker next finishes a scan of due jobs."""
    since = time.monotonic()
    while (age := service.heartbeat.age()) is None or time.monotonic() - age <= since:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


async def _three_posts(harness: Harness, user: FakeUser, tmp_path: Path) -> list[int]:
    """Link the user's account and submit three 1 MiB video posts at once."""
    account = await linked(harness, user)
    job_ids = []
    for n in range(3):
        video = write_video(tmp_path / f"clip{n}.mp4", 1 * MIB, seed=n + 1)
        fake = harness.tg.add_file(video.path, kind="video")
        job_ids.append(await publishing(harness).submit(video_request(user, account, fake)))
    return job_ids


def processing(job: PublishJobRecord) -> bool:
    return job.state == JobState.PROCESSING


def published(job: PublishJobRecord) -> bool:
    return job.state == JobState.PUBLISHED


async def test_a_post_waiting_for_tiktok_gives_its_place_to_the_next_upload(
    tmp_path: Path,
) -> None:
    accounts = default_accounts()
    accounts[0].processing_seconds = 60  # on the sandbox clock: nothing finishes until we say
    async with running_bot(tmp_path, accounts=accounts, options=fast_options(workers=1)) as harness:
        user = harness.user()
        service = publishing(harness)
        job_ids = await _three_posts(harness, user, tmp_path)

        # One place for uploads: each post goes up while the earlier ones are processing.
        for job_id in job_ids:
            await wait_for_job(service, job_id, processing, within=30)
        assert len([r for r in harness.sandbox.requests if r.path == VIDEO_INIT]) == 3
        assert len(harness.sandbox.publishes) == 3

        harness.clock.advance(61)
        for job_id in job_ids:
            job = await wait_for_job(service, job_id, published, within=30)
            assert job.inits == 1
        assert len(harness.sandbox.posts("open-ana")) == 3
        for job_id in job_ids:
            job = await wait_for_job(service, job_id, lambda j: j.notified_at is not None)
            await user.wait_for(
                lambda m, job=job: (
                    m.message_id == job.progress_message_id  # type: ignore[misc]
                    and "is live" in (m.text or "")
                )
            )


async def test_waiting_posts_are_bounded_too(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0].processing_seconds = 60
    options = fast_options(workers=1, waiting_jobs=1)
    async with running_bot(tmp_path, accounts=accounts, options=options) as harness:
        service = publishing(harness)
        job_ids = await _three_posts(harness, harness.user(), tmp_path)
        first, second, third = job_ids

        await wait_for_job(service, first, processing, within=30)
        await wait_for_job(service, second, processing, within=30)
        for _ in range(2):  # two whole scans of due jobs since: the third was due in both
            await asyncio.wait_for(_next_scan(service), 30)
        held = await service.job(third)
        assert held is not None and held.state == JobState.QUEUED
        assert len([r for r in harness.sandbox.requests if r.path == VIDEO_INIT]) == 2

        harness.clock.advance(61)
        await wait_for_job(service, third, processing, within=30)
        harness.clock.advance(61)
        for job_id in job_ids:
            job = await wait_for_job(service, job_id, published, within=30)
            assert job.inits == 1
        assert len(harness.sandbox.posts("open-ana")) == 3
