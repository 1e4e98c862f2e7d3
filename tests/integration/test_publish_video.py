"""Publishing videos through the real pipeline: sandbox TikTok, fake Telegram, loopback HTTP.

Each test drives PublishService.submit directly (as the composer does after
the Post tap) and checks what TikTok received, what the job row says, and
what the user was told.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot.publishing.chunks import MAX_CHUNK_SIZE
from bot.publishing.jobs import JobState
from bot.publishing.requests import PostMode
from emulators.tiktok import PublishStatus, SandboxAccount
from emulators.tiktok.paths import INBOX_INIT, STATUS_FETCH, TOKEN, VIDEO_INIT
from storage.repositories import PublishJobRecord
from tests.integration.support import (
    MIB,
    TikTokTap,
    chunk_put,
    fast_options,
    jobs_of,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness, default_accounts, running_bot


def final(job: PublishJobRecord) -> bool:
    return JobState(job.state).final


def completed_posts(harness: Harness) -> list[str]:
    return [
        p.publish_id
        for p in harness.sandbox.publishes.values()
        if p.status is PublishStatus.PUBLISH_COMPLETE
    ]


def job_messages(harness: Harness, chat_id: int, job: PublishJobRecord) -> list[str]:
    """Every text the job's progress message showed, oldest first."""
    message = next(
        m for m in harness.tg.messages(chat_id) if m.message_id == job.progress_message_id
    )
    return [e.text or "" for e in message.edits] + [message.text or ""]


async def test_small_video_is_posted_with_its_link(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 3 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    sent_before = len(harness.tg.calls_to("sendMessage"))

    job_id = await service.submit(video_request(user, account, fake))
    job = await wait_for_job(service, job_id, final, within=30)

    assert job.state == JobState.PUBLISHED and job.inits == 1
    [publish] = harness.sandbox.publishes.values()
    assert publish.publish_id == job.publish_id
    assert publish.upload_size == video.size and publish.upload_sha256 == video.sha256
    assert publish.chunk_log == [f"bytes 0-{video.size - 1}/{video.size}"]
    assert publish.source_info == {
        "source": "FILE_UPLOAD",
        "video_size": video.size,
        "chunk_size": video.size,
        "total_chunk_count": 1,
    }
    assert publish.post_info == {
        "title": "Sunset run #running 🏃",
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": False,
        "disable_duet": True,
        "disable_stitch": True,
        "brand_content_toggle": False,
        "brand_organic_toggle": False,
        "is_aigc": False,
    }
    [post] = [v for v in harness.sandbox.posts("open-ana") if v.publish_id == job.publish_id]
    assert job.post_id == post.id and job.share_url == post.share_url
    message = await user.wait_for(lambda m: post.share_url in (m.text or ""))
    assert message.message_id == job.progress_message_id
    shown = job_messages(harness, user.id, job)
    assert any("may take a few minutes" in t for t in shown)
    # One progress message per job, only edited afterwards.
    assert len(harness.tg.calls_to("sendMessage")) == sent_before + 1
    assert harness.tg.errors == []
    assert not (harness.data_dir / "spool" / f"{job_id}.part").exists()


async def test_cloud_download_is_pipelined_into_chunks(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mov", 12 * MIB, brand=b"qt  ")
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.PUBLISHED
    [publish] = harness.sandbox.publishes.values()
    assert publish.chunk_log == [
        f"bytes 0-{5 * MIB - 1}/{video.size}",
        f"bytes {5 * MIB}-{video.size - 1}/{video.size}",
    ]
    assert publish.upload_sha256 == video.sha256
    puts = [r for r in harness.sandbox.requests if r.path == "/upload/"]
    assert all(r.status in (201, 206) for r in puts) and len(puts) == 2
    assert len(harness.tg.calls_to("file")) == 1  # downloaded once, streamed through a spool
    assert not list((harness.data_dir / "spool").iterdir())


async def test_video_over_64_mb_in_local_mode(tmp_path: Path) -> None:
    options = fast_options(chunk_size=MAX_CHUNK_SIZE)
    async with running_bot(tmp_path, options=options, local_mode=True) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "long.mp4", 130_000_000)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job = await wait_for_job(
            service, await service.submit(video_request(user, account, fake)), final, within=60
        )

        assert job.state == JobState.PUBLISHED
        [publish] = harness.sandbox.publishes.values()
        assert publish.source_info["chunk_size"] == 64_000_000
        assert publish.source_info["total_chunk_count"] == 2
        assert publish.chunk_log == [
            "bytes 0-63999999/130000000",
            "bytes 64000000-129999999/130000000",
        ]
        assert publish.upload_size == video.size and publish.upload_sha256 == video.sha256
        assert harness.tg.calls_to("file") == []  # read in place, never downloaded
        shown = job_messages(harness, user.id, job)
        assert any("Uploading to TikTok" in t and "%" in t for t in shown)
        assert not list((harness.data_dir / "spool").iterdir())


async def test_cloud_file_over_20_mb_is_explained(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "big.mp4", 21 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.FAILED and job.outcome_code == "file_too_big"
    assert harness.sandbox.publishes == {}
    told = await user.wait_for(lambda m: "20 MB" in (m.text or ""))
    assert "local Telegram Bot API server" in (told.text or "")


async def test_inbox_video_sends_source_info_only(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 2 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    request = video_request(user, account, fake, mode=PostMode.INBOX, privacy_level=None)

    job = await wait_for_job(service, await service.submit(request), final, within=30)

    assert job.state == JobState.IN_INBOX
    [init] = [r for r in harness.sandbox.requests if r.path == INBOX_INIT]
    assert set(init.json) == {"source_info"}
    assert harness.sandbox.posts("open-ana") == []
    await user.wait_for(lambda m: "TikTok inbox" in (m.text or ""))


async def test_double_submit_of_one_draft_posts_once(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    request = video_request(user, account, fake)

    first, second = await asyncio.gather(service.submit(request), service.submit(request))
    assert first == second
    job = await wait_for_job(service, first, final, within=30)
    assert await service.submit(request) == first

    assert job.state == JobState.PUBLISHED
    assert len(harness.sandbox.publishes) == 1
    assert len(completed_posts(harness)) == 1
    assert len(await jobs_of(harness, user.id)) == 1


async def test_chunk_5xx_is_retried(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 11 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    harness.sandbox.faults.fail_chunks(503, times=2)

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.PUBLISHED and job.inits == 1
    puts = [r.status for r in harness.sandbox.requests if r.path == "/upload/"]
    assert puts == [503, 503, 206, 201]
    [publish] = harness.sandbox.publishes.values()
    assert publish.upload_sha256 == video.sha256


async def test_lost_chunk_reply_resyncs_from_status(tmp_path: Path) -> None:
    tap = TikTokTap()
    lost: list[str] = []

    async def lose_first_reply(request: httpx.Request, response: httpx.Response) -> None:
        if chunk_put(request, 0) and not lost:
            lost.append(request.headers["Content-Range"])
            raise httpx.ReadError("reply lost on the way back")

    tap.after = lose_first_reply
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 11 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job = await wait_for_job(
            service, await service.submit(video_request(user, account, fake)), final, within=30
        )

        assert job.state == JobState.PUBLISHED and job.inits == 1
        # TikTok had chunk 0; our retry was refused (416), status said where to go on.
        puts = [r.status for r in harness.sandbox.requests if r.path == "/upload/"]
        assert puts == [206, 416, 201]
        [publish] = harness.sandbox.publishes.values()
        assert publish.upload_sha256 == video.sha256 and len(publish.chunk_log) == 2


async def test_rate_limited_status_is_retried(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    harness.sandbox.faults.fail_endpoint(
        STATUS_FETCH, status=429, code="rate_limit_exceeded", times=3
    )

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.PUBLISHED
    codes = [r.error_code for r in harness.sandbox.requests if r.path == STATUS_FETCH]
    assert codes[:3] == ["rate_limit_exceeded"] * 3 and codes[-1] == "ok"
    assert len(harness.sandbox.publishes) == 1


async def test_tiktok_outage_at_init_is_retried_once_posted(
    harness: Harness, tmp_path: Path
) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    harness.sandbox.faults.fail_endpoint(VIDEO_INIT, status=500, code="internal_error", times=3)

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.PUBLISHED and job.inits == 1
    inits = [r.error_code for r in harness.sandbox.requests if r.path == VIDEO_INIT]
    assert inits == ["internal_error"] * 3 + ["ok"]
    # The third failure was said out loud (tell_after_attempts), then the post went through.
    shown = job_messages(harness, user.id, job)
    assert any("try again automatically" in t for t in shown)
    assert "is live" in shown[-1]


async def test_expired_access_token_mid_job_is_refreshed(tmp_path: Path) -> None:
    tap = TikTokTap()
    sandbox_ref: list[Harness] = []

    async def expire_after_first_chunk(request: httpx.Request, response: httpx.Response) -> None:
        if chunk_put(request, 0):
            sandbox_ref[0].sandbox.expire_access_tokens("open-ana")

    tap.after = expire_after_first_chunk
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        sandbox_ref.append(harness)
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 11 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job = await wait_for_job(
            service, await service.submit(video_request(user, account, fake)), final, within=30
        )

        assert job.state == JobState.PUBLISHED and job.inits == 1
        statuses = [r.error_code for r in harness.sandbox.requests if r.path == STATUS_FETCH]
        assert statuses[0] == "access_token_invalid" and statuses[-1] == "ok"
        token_calls = [r for r in harness.sandbox.requests if r.path == TOKEN]
        assert len(token_calls) == 2  # the code exchange, then one refresh
        assert len(harness.sandbox.publishes) == 1


async def test_tiktok_failure_reason_is_explained(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    harness.sandbox.faults.fail_next_publish("frame_rate_check_failed")

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.FAILED and job.outcome_code == "frame_rate_check_failed"
    assert len(harness.sandbox.publishes) == 1 and job.inits == 1
    told = await user.wait_for(lambda m: "wasn't posted" in (m.text or ""))
    assert "23 to 60 frames per second" in (told.text or "")


async def test_expired_upload_url_gets_one_fresh_init(tmp_path: Path) -> None:
    tap = TikTokTap()
    harnesses: list[Harness] = []

    async def expire_after_first_chunk(request: httpx.Request, response: httpx.Response) -> None:
        if chunk_put(request, 0) and len(harnesses[0].sandbox.publishes) == 1:
            harnesses[0].sandbox.faults.expire_upload_urls()

    tap.after = expire_after_first_chunk
    options = fast_options()
    options.tiktok_transport = tap
    async with running_bot(tmp_path, options=options) as harness:
        harnesses.append(harness)
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 11 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job = await wait_for_job(
            service, await service.submit(video_request(user, account, fake)), final, within=30
        )

        assert job.state == JobState.PUBLISHED and job.inits == 2
        first, second = harness.sandbox.publishes.values()
        # TikTok confirmed the first upload never completed before we started again.
        assert first.status is PublishStatus.FAILED and first.fail_reason == "publish_cancelled"
        assert second.publish_id == job.publish_id
        assert second.upload_sha256 == video.sha256
        assert completed_posts(harness) == [second.publish_id]
        assert len(harness.sandbox.posts("open-ana")) == 1


async def test_processing_that_never_ends_is_unconfirmed(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0].processing_seconds = 10**7
    options = fast_options(processing_deadline=600.0)
    async with running_bot(tmp_path, accounts=accounts, options=options) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 1 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job_id = await service.submit(video_request(user, account, fake))
        await wait_for_job(service, job_id, lambda j: j.state == JobState.PROCESSING, within=30)
        harness.clock.advance(601)
        job = await wait_for_job(service, job_id, final, within=30)

        assert job.state == JobState.UNCONFIRMED and job.inits == 1
        assert len(harness.sandbox.publishes) == 1
        told = await user.wait_for(lambda m: "hasn't confirmed" in (m.text or ""))
        assert "won't post it a second time" in (told.text or "")


async def test_daily_cap_is_explained(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0].posting_blocked = "spam_risk_too_many_posts"
    async with running_bot(tmp_path, accounts=accounts, options=fast_options()) as harness:
        user = harness.user()
        account = await linked(harness, user)
        video = write_video(tmp_path / "clip.mp4", 1 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        service = publishing(harness)

        job = await wait_for_job(
            service, await service.submit(video_request(user, account, fake)), final, within=30
        )

        assert job.state == JobState.FAILED and job.outcome_code == "spam_risk_too_many_posts"
        told = await user.wait_for(lambda m: "daily posting limit" in (m.text or ""))
        assert "tomorrow" in (told.text or "")


async def test_scheduled_post_waits_for_its_time(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    options = harness.bot.options
    due = options.clock() + __import__("datetime").timedelta(hours=2)

    job_id = await service.submit(video_request(user, account, fake), not_before=due)
    await user.wait_for(lambda m: "will be posted" in (m.text or "") and "UTC" in (m.text or ""))
    await asyncio.sleep(0.5)  # several worker scans: nothing may happen before the due time
    assert harness.sandbox.publishes == {}
    assert (await service.job(job_id)).state == JobState.QUEUED  # type: ignore[union-attr]

    harness.clock.advance(2 * 3600 + 1)
    job = await wait_for_job(service, job_id, final, within=30)
    assert job.state == JobState.PUBLISHED and len(harness.sandbox.publishes) == 1


async def test_privacy_mismatch_is_explained(harness: Harness, tmp_path: Path) -> None:
    user = harness.user()
    account = await linked(harness, user, open_id="open-bo")  # private: no PUBLIC option
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)

    job = await wait_for_job(
        service, await service.submit(video_request(user, account, fake)), final, within=30
    )

    assert job.state == JobState.FAILED and job.outcome_code == "privacy_level_option_mismatch"
    await user.wait_for(lambda m: "pick privacy again" in (m.text or ""))


__all__ = ["SandboxAccount"]
