"""Tests that catch plausible wrong changes the rest of the suite let through.

Each names the mutation it guards against: resuming an upload from byte 0
instead of TikTok's offset, Post trusting creator info fetched when the
composer opened, a run that keeps going after its lease was taken.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col

from bot.publishing.jobs import JobState
from emulators.tiktok.paths import CREATOR_INFO, VIDEO_INIT
from storage.models_publishing import PublishJob
from tests.e2e.test_publishing import linked_user, tap_and_wait
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
from tests.integration.test_restarts import wait_until
from tests.support.harness import running_bot


async def test_a_resumed_upload_starts_at_tiktoks_offset_not_byte_0(tmp_path: Path) -> None:
    tap = TikTokTap()
    holding = asyncio.Event()
    hold = True
    puts: list[tuple[str, int]] = []

    async def hold_second_chunk(request: httpx.Request) -> None:
        if hold and chunk_put(request, 5 * MIB):
            holding.set()
            await asyncio.Event().wait()  # until the bot is stopped

    async def record(request: httpx.Request, response: httpx.Response) -> None:
        if chunk_put(request):
            puts.append((str(request.headers["Content-Range"]), response.status_code))

    tap.before, tap.after = hold_second_chunk, record
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 11 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        job_id = await publishing(harness).submit(video_request(user, account, fake))
        await asyncio.wait_for(holding.wait(), 30)
        before_restart = list(puts)

        hold = False
        await harness.restart_bot()
        job = await wait_for_job(
            publishing(harness), job_id, lambda j: JobState(j.state).final, within=30
        )

    assert job.state == JobState.PUBLISHED
    assert before_restart == [(f"bytes 0-{5 * MIB - 1}/{video.size}", 206)]
    # Exactly one PUT after the restart, at TikTok's offset: no 416 and resync.
    assert puts[len(before_restart) :] == [(f"bytes {5 * MIB}-{video.size - 1}/{video.size}", 201)]


async def test_post_fetches_creator_info_again(tmp_path: Path) -> None:
    async with running_bot(tmp_path, options=fast_options()) as harness:
        user = await linked_user(harness)
        video = write_video(tmp_path / "clip.mp4", 1 * MIB)
        await user.send_video(video.path, duration=9)
        composer = await user.wait_for("Posting to")
        composer = await tap_and_wait(user, composer, "🌍 Everyone", "✅ 🌍 Everyone")
        fetched = len([r for r in harness.sandbox.requests if r.path == CREATOR_INFO])
        # Between opening the composer and Post, the creator made the account private.
        harness.sandbox.accounts["open-ana"].private_account = True

        tapped = await user.tap(composer, "🚀 Post to TikTok")
        answer = await user.wait_for_answer(tapped)

        # Fetched again at Post: the old choice is gone and the user chooses again.
        assert len([r for r in harness.sandbox.requests if r.path == CREATOR_INFO]) > fetched
        assert "Choose who can see" in (answer.text or "")
        assert [r for r in harness.sandbox.requests if r.path == VIDEO_INIT] == []
        assert harness.sandbox.publishes == {}


async def test_a_run_stops_when_its_lease_is_taken(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.publishing")
    tap = TikTokTap()
    holding, release = asyncio.Event(), asyncio.Event()

    async def hold_second_chunk(request: httpx.Request) -> None:
        if chunk_put(request, 5 * MIB) and not holding.is_set():
            holding.set()
            await release.wait()

    tap.before = hold_second_chunk
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 16 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)
        job_id = await service.submit(video_request(user, account, fake))
        await asyncio.wait_for(holding.wait(), 30)
        # Another process takes the job over (as if this one had stalled).
        until = harness.bot.options.clock() + timedelta(hours=1)
        async with harness.bot.db.transaction() as session:
            await session.exec(
                update(PublishJob)
                .where(col(PublishJob.id) == job_id)
                .values(lease_owner="another-process", lease_until=until)
            )
        taken = await service.job(job_id)
        release.set()
        # The run notices at its next write and stops: the row stays as the thief left it.
        await wait_until(lambda: any("lease lost" in r.getMessage() for r in caplog.records))
        after = await service.job(job_id)

    assert taken is not None and after is not None
    assert after.uploaded_bytes == taken.uploaded_bytes and after.state == taken.state
    assert after.lease_owner == "another-process"
    # Nothing more reached TikTok: the chunk about to go checked the lease first.
    [publish] = harness.sandbox.publishes.values()
    assert publish.chunk_log == [f"bytes 0-{5 * MIB - 1}/{video.size}"]
