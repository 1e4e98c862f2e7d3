"""TikTok's webhooks end to end: the sandbox signs and delivers, the bot verifies and acts.

A post's outcome arrives as an event (status polling is only a slow safety
net then); TikTok's duplicates change nothing; forged, stale and replayed
deliveries are refused and change nothing; authorization.removed unlinks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from bot.app import RunOptions
from bot.publishing.jobs import JobState
from bot.publishing.webhook_wait import WebhookOutcomes, WebhookTuning
from bot.publishing.webhooks import WebhookService
from bot.publishing.worker import PublishService
from bot.tiktok import PublishingAPI, VideosAPI
from emulators.telegram import BotMessage, FakeUser
from emulators.tiktok.paths import STATUS_FETCH
from emulators.tiktok.webhooks import (
    AUTHORIZATION_REMOVED,
    PUBLICLY_AVAILABLE,
    PUBLISH_COMPLETE,
    signature_header,
)
from handlers.job_events import chat_job_events
from handlers.telegram_files import TelegramFileLocator
from storage.models_webhooks import WebhookEvent
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
from tests.support.harness import CLIENT_KEY, CLIENT_SECRET, Harness, running_bot

MIB = 1024 * 1024


def webhook_options() -> RunOptions:
    """Fast publishing; the safety-net poll far enough out that a test never needs it."""
    options = fast_options()
    options.webhooks = WebhookTuning(first_poll=30.0, poll_every=30.0, check_every=0.2)
    return options


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=webhook_options(), tiktok_webhooks=True) as running:
        yield running


def status_polls(harness: Harness) -> int:
    return sum(1 for r in harness.sandbox.requests if r.path == STATUS_FETCH)


def buttons(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def post_public_video(harness: Harness, user: FakeUser, tmp_path: Path) -> BotMessage:
    """Send a video, choose Everyone, tap Post; the message with the link."""
    video = write_video(tmp_path / "clip.mp4", 1 * MIB + 5)
    await user.send_video(video.path, duration=9, caption="Harbour at dawn")
    composer = await user.wait_for("Posting to")
    await user.tap(composer, "🌍 Everyone")
    composer = await user.wait_for(lambda m: "✅ 🌍 Everyone" in buttons(m))
    await user.tap(composer, "🚀 Post to TikTok")
    return await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=30)


async def linked_user(harness: Harness) -> FakeUser:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    return user


async def deliver(harness: Harness, body: bytes, header: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["TikTok-Signature"] = header
    async with httpx.AsyncClient() as client:
        response = await client.post(
            harness.settings.tiktok_webhook_url, content=body, headers=headers
        )
    return response.status_code


def removal_body(harness: Harness, open_id: str = "open-ana") -> bytes:
    payload = {
        "client_key": CLIENT_KEY,
        "event": AUTHORIZATION_REMOVED,
        "create_time": int(harness.clock.now()),
        "user_openid": open_id,
        "content": json.dumps({"reason": 1}),
    }
    return json.dumps(payload).encode()


async def stored_events(harness: Harness) -> list[WebhookEvent]:
    async with harness.bot.db.transaction() as session:
        return list((await session.exec(select(WebhookEvent))).all())


async def needs_relink(harness: Harness, user: FakeUser) -> bool:
    services = harness.bot.services
    assert services is not None
    [account] = await services.accounts.linked(user.id)
    return account.needs_relink


async def test_publish_completes_through_the_webhook_with_few_status_polls(
    harness: Harness, tmp_path: Path
) -> None:
    user = await linked_user(harness)
    done = await post_public_video(harness, user, tmp_path)

    [publish] = harness.sandbox.publishes.values()
    [post] = [p for p in harness.sandbox.posts("open-ana") if p.id == publish.post_id]
    assert post.share_url in (done.text or "")
    with_webhooks = status_polls(harness)
    assert with_webhooks <= 2
    [public] = harness.sandbox.webhooks.sent(PUBLICLY_AVAILABLE)
    assert public.status == 200

    # The same post without webhooks polls until TikTok is done.
    async with running_bot(tmp_path / "polling", options=fast_options()) as polling:
        user = await linked_user(polling)
        done = await post_public_video(polling, user, tmp_path / "polling")
        without_webhooks = status_polls(polling)
        assert polling.sandbox.webhooks.sent() == []
    assert without_webhooks > with_webhooks
    print(f"status polls: {with_webhooks} with webhooks, {without_webhooks} without")


async def test_a_duplicated_event_sends_one_message(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    harness.sandbox.webhooks.duplicate_next(2)  # complete and publicly_available, twice each
    await post_public_video(harness, user, tmp_path)
    await harness.sandbox.webhooks.wait_idle()

    sent = harness.sandbox.webhooks.sent()
    assert [d.event for d in sent].count(PUBLICLY_AVAILABLE) == 2
    assert [d.event for d in sent].count(PUBLISH_COMPLETE) == 2
    assert all(d.status == 200 for d in sent)  # duplicates are answered, not refused
    assert len(await stored_events(harness)) == 2
    links = [m for m in user.messages() if "is live" in (m.text or "")]
    assert len(links) == 1
    assert len(harness.sandbox.publishes) == 1


async def test_forged_stale_and_replayed_deliveries_are_refused_and_change_nothing(
    harness: Harness, tmp_path: Path
) -> None:
    user = await linked_user(harness)
    await post_public_video(harness, user, tmp_path)
    await harness.sandbox.webhooks.wait_idle()
    events_before = len(await stored_events(harness))
    messages_before = len(user.messages())
    [public] = harness.sandbox.webhooks.sent(PUBLICLY_AVAILABLE)
    now = int(harness.clock.now())
    body = removal_body(harness)

    assert await deliver(harness, public.body, public.signature) == 403  # replay
    assert await deliver(harness, body, None) == 401
    assert await deliver(harness, body, signature_header("not-the-secret", now, body)) == 401
    assert await deliver(harness, body, "t=abc,s=00") == 401
    tampered = body.replace(b"open-ana", b"open-bo")
    assert await deliver(harness, tampered, signature_header(CLIENT_SECRET, now, body)) == 401
    assert await deliver(harness, body, signature_header(CLIENT_SECRET, now - 301, body)) == 403

    assert len(await stored_events(harness)) == events_before
    assert len(user.messages()) == messages_before
    assert not await needs_relink(harness, user)
    # The same body, properly signed now, is accepted: the refusals were about the signature.
    assert await deliver(harness, body, signature_header(CLIENT_SECRET, now, body)) == 200
    await user.wait_for("removed this bot's access")
    assert await needs_relink(harness, user)


async def progress_message_stored(service: PublishService, job_id: int) -> None:
    """Return once the job's own chat message id is in the database."""
    while (job := await service.job(job_id)) is None or job.progress_message_id is None:  # noqa: ASYNC110
        await asyncio.sleep(0.01)  # no event marks this write: poll the row


async def teaser_scheduled(
    harness: Harness, tmp_path: Path
) -> tuple[FakeUser, PublishService, int]:
    """Ana, linked, with a video due in 3 hours: her, the publishing service, the job."""
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "later.mp4", 1 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    due = harness.bot.options.clock() + timedelta(hours=3)
    job_id = await service.submit(
        video_request(user, account, fake, title="Launch day teaser"), not_before=due
    )
    return user, service, job_id


async def test_authorization_removed_unlinks_and_cancels_scheduled_posts(
    harness: Harness, tmp_path: Path
) -> None:
    user, service, job_id = await teaser_scheduled(harness, tmp_path)
    # The usual order: the post's message id is stored before the event (the
    # other order is test_access_removed_while_the_post_message_is_on_its_way).
    await asyncio.wait_for(progress_message_stored(service, job_id), 10)

    harness.sandbox.webhooks.duplicate_next()
    harness.sandbox.remove_authorization("open-ana")
    notice = await user.wait_for("removed this bot's access")

    assert "Launch day teaser" in (notice.text or "")
    assert "cancelled" in (notice.text or "")
    await user.wait_for("Cancelled: your video will not be posted")  # its own message too
    job = await service.job(job_id)
    assert job is not None and job.state == JobState.CANCELLED.value
    assert await needs_relink(harness, user)
    # The duplicate delivery of the event is answered 200 and tells nobody twice.
    await harness.sandbox.webhooks.wait_idle()
    removed = harness.sandbox.webhooks.sent(AUTHORIZATION_REMOVED)
    assert [d.status for d in removed] == [200, 200]
    assert len([m for m in user.messages() if "removed this bot's access" in (m.text or "")]) == 1
    assert harness.sandbox.publishes == {}


async def test_access_removed_while_the_post_message_is_on_its_way(
    harness: Harness, tmp_path: Path
) -> None:
    """The post's own message still ends "Cancelled" when the event beats its reply."""
    # Telegram shows "will be posted", but the bot hears back only after the event.
    held = harness.tg.hold_answer("sendMessage", containing="will be posted")
    user, service, job_id = await teaser_scheduled(harness, tmp_path)
    await asyncio.wait_for(held.reached.wait(), 10)
    harness.sandbox.remove_authorization("open-ana")
    await user.wait_for("removed this bot's access")
    job = await service.job(job_id)
    assert job is not None and job.state == JobState.CANCELLED.value
    assert job.progress_message_id is None  # the event came first

    held.release()
    await user.wait_for("Cancelled: your video will not be posted")
    assert not [m for m in user.messages() if "will be posted" in (m.text or "")]


async def test_polling_is_the_safety_net_when_no_event_comes(tmp_path: Path) -> None:
    options = fast_options()
    options.webhooks = WebhookTuning(first_poll=0.5, poll_every=0.5, check_every=0.1)
    async with running_bot(tmp_path, options=options, tiktok_webhooks=True) as harness:
        harness.sandbox.apps[CLIENT_KEY].webhook_url = ""  # events lost on the way
        user = await linked_user(harness)
        done = await post_public_video(harness, user, tmp_path)
        [publish] = harness.sandbox.publishes.values()
        assert publish.post_id is not None and publish.post_id in (done.text or "")
        assert 1 <= status_polls(harness) <= 4
        assert harness.sandbox.webhooks.sent() == []


async def test_a_delayed_event_still_beats_the_safety_net(harness: Harness, tmp_path: Path) -> None:
    harness.sandbox.webhooks.delay = 0.5  # TikTok takes its time to call back
    user = await linked_user(harness)
    await post_public_video(harness, user, tmp_path)
    assert status_polls(harness) == 0
    [public] = harness.sandbox.webhooks.sent(PUBLICLY_AVAILABLE)
    assert public.status == 200


async def test_a_private_post_made_public_later_gets_its_link(
    harness: Harness, tmp_path: Path
) -> None:
    user = await linked_user(harness)
    video = write_video(tmp_path / "quiet.mp4", 1 * MIB)
    await user.send_video(video.path, duration=9, caption="Quiet launch")
    composer = await user.wait_for("Posting to")
    await user.tap(composer, "🔒 Only me")
    composer = await user.wait_for(lambda m: "✅ 🔒 Only me" in buttons(m))
    await user.tap(composer, "🚀 Post to TikTok")
    await user.wait_for(lambda m: "Only me" in (m.text or "") and "posted" in (m.text or ""))
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_id is not None

    harness.sandbox.make_public(publish.publish_id)
    public = await user.wait_for("is public now")
    assert f"/video/{publish.post_id}" in (public.text or "")
    [job] = await jobs_of(harness, user.id)
    assert job.share_url is not None and publish.post_id in job.share_url

    harness.sandbox.make_private(publish.publish_id)
    hidden = await user.wait_for("is no longer public")
    assert job.share_url in (hidden.text or "")


async def test_an_event_received_by_another_process_finishes_the_job(
    harness: Harness, tmp_path: Path
) -> None:
    """The webhook reaches this bot's web server; the job runs in a second worker process."""
    user = harness.user()
    account = await linked(harness, user)
    bot, services = harness.bot, harness.bot.services
    assert services is not None and bot.application is not None and bot.webhooks is not None
    await publishing(harness).stop()  # only the other process runs jobs now
    elsewhere = WebhookService(  # the other process's own (its route gets nothing)
        db=bot.db, cipher=bot.cipher, clock=bot.options.clock, client_secret=CLIENT_SECRET
    )
    other = PublishService(
        db=bot.db,
        cipher=bot.cipher,
        tokens=services.tokens,
        api=PublishingAPI(services.tiktok),
        videos=VideosAPI(services.tiktok),
        clock=bot.options.clock,
        data_dir=harness.settings.data_dir,
        public_base_url=harness.settings.public_base_url,
        tuning=fast_tuning(),
        webhooks=WebhookOutcomes(elsewhere, WebhookTuning(first_poll=30.0, check_every=0.2)),
    )
    other.connect(
        events=chat_job_events(bot.application.bot, other),
        files=TelegramFileLocator(bot.application.bot, local_mode=False),
    )
    await other.start()
    try:
        video = write_video(tmp_path / "elsewhere.mp4", 1 * MIB)
        fake = harness.tg.add_file(video.path, kind="video")
        job_id = await other.submit(video_request(user, account, fake, title="Across processes"))
        done = await wait_for_job(other, job_id, lambda j: j.final, within=30)
    finally:
        await other.stop()
    assert done.state == JobState.PUBLISHED and done.share_url is not None
    assert status_polls(harness) == 0
    await user.wait_for("is live")
