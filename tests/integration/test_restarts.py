"""A bot restarted mid-job finishes the job: one post, no second init, the user told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import update
from sqlmodel import col

from bot.publishing.jobs import JobState
from emulators.tiktok.paths import STATUS_FETCH, VIDEO_INIT
from storage.models_publishing import PublishJob
from storage.repositories import PublishJobRecord
from tests.integration.support import (
    MIB,
    TikTokTap,
    chunk_put,
    fast_options,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import default_accounts, running_bot


def final(job: PublishJobRecord) -> bool:
    return JobState(job.state).final


async def wait_until(check: object, within: float = 10.0) -> None:
    """Poll a cheap condition (a file on disk) until it holds."""
    async with asyncio.timeout(within):
        # A file on disk has no event to wait on: poll it.
        while not check():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_restart_during_upload_resumes_at_tiktoks_offset(tmp_path: Path) -> None:
    tap = TikTokTap()
    holding = asyncio.Event()
    hold = True

    async def hold_second_chunk(request: httpx.Request) -> None:
        if hold and chunk_put(request, 5 * MIB):
            holding.set()
            await asyncio.Event().wait()  # until the bot is stopped

    tap.before = hold_second_chunk
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 11 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        job_id = await publishing(harness).submit(video_request(user, account, fake))
        await asyncio.wait_for(holding.wait(), 30)
        spool = harness.data_dir / "spool" / f"{job_id}.part"
        # The spool's `.len` companion records what is really on disk (its last
        # block may still be staged in memory). Restart only once it is complete.
        progress = spool.with_name(spool.name + ".len")
        await wait_until(
            lambda: progress.exists() and progress.read_text().split()[0] == str(video.size)
        )
        before = await publishing(harness).job(job_id)
        assert before is not None and before.state == JobState.UPLOADING

        hold = False
        await harness.restart_bot()
        job = await wait_for_job(publishing(harness), job_id, final, within=30)

        assert job.state == JobState.PUBLISHED
        assert job.inits == 1 and job.publish_id == before.publish_id
        [publish] = harness.sandbox.publishes.values()
        assert publish.chunk_log == [
            f"bytes 0-{5 * MIB - 1}/{video.size}",
            f"bytes {5 * MIB}-{video.size - 1}/{video.size}",
        ]
        assert publish.upload_sha256 == video.sha256
        assert len([r for r in harness.sandbox.requests if r.path == VIDEO_INIT]) == 1
        assert len(harness.tg.calls_to("file")) == 1  # the spool survived the restart
        # The same progress message, edited to the outcome.
        assert job.progress_message_id == before.progress_message_id
        await user.wait_for(
            lambda m: m.message_id == job.progress_message_id and "is live" in (m.text or "")
        )
        assert not spool.exists()


async def test_restart_during_processing_only_polls(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0].processing_seconds = 30
    async with running_bot(tmp_path, accounts=accounts, options=fast_options()) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 2 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        job_id = await publishing(harness).submit(video_request(user, account, fake))
        before = await wait_for_job(
            publishing(harness), job_id, lambda j: j.state == JobState.PROCESSING, within=30
        )

        await harness.restart_bot()
        polls_before = len([r for r in harness.sandbox.requests if r.path == STATUS_FETCH])
        harness.clock.advance(31)
        job = await wait_for_job(publishing(harness), job_id, final, within=30)

        assert job.state == JobState.PUBLISHED and job.inits == 1
        assert job.publish_id == before.publish_id
        assert len(harness.sandbox.publishes) == 1
        assert len([r for r in harness.sandbox.requests if r.path == VIDEO_INIT]) == 1
        assert len([r for r in harness.sandbox.requests if r.path == "/upload/"]) == 1
        assert len([r for r in harness.sandbox.requests if r.path == STATUS_FETCH]) > polls_before
        assert len(harness.sandbox.posts("open-ana")) == 1
        assert job.progress_message_id == before.progress_message_id
        await user.wait_for(
            lambda m: m.message_id == job.progress_message_id and "is live" in (m.text or "")
        )


async def test_an_outcome_lost_in_a_crash_is_delivered_at_start(tmp_path: Path) -> None:
    async with running_bot(tmp_path, options=fast_options()) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 1 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        job_id = await publishing(harness).submit(video_request(user, account, fake))
        job = await wait_for_job(
            publishing(harness), job_id, lambda j: final(j) and j.notified_at is not None, within=30
        )
        # As if the process died between saving the outcome and telling the user
        # (and the progress message were gone).
        async with harness.bot.db.transaction() as session:
            await session.exec(
                update(PublishJob)
                .where(col(PublishJob.id) == job_id)
                .values(notified_at=None, progress_message_id=None)
            )

        await harness.restart_bot()
        told = await user.wait_for(
            lambda m: m.message_id != job.progress_message_id and "is live" in (m.text or "")
        )
        assert job.share_url is not None and job.share_url in (told.text or "")
        again = await wait_for_job(
            publishing(harness), job_id, lambda j: j.notified_at is not None, within=30
        )
        assert again.progress_message_id == told.message_id
        assert len(harness.sandbox.publishes) == 1
