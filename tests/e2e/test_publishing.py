"""Posting as a user does it: send media, tap through the composer, get the link.

The pipeline's own edge cases (faults, restarts, resumes) are in
tests/integration; here the assertions are about what the user chose reaching
TikTok exactly, and what the user is told.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from emulators.telegram import AlbumItem, BotMessage, FakeUser
from tests.integration.support import fast_options, write_video
from tests.support.harness import Harness, running_bot
from tests.support.media import image_bytes

MIB = 1024 * 1024


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def buttons(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def has(label: str) -> object:
    return lambda m: label in buttons(m)


async def linked_user(harness: Harness, open_id: str = "open-ana") -> FakeUser:
    user = harness.user()
    await harness.open_link(user, open_id=open_id)
    await user.wait_for("Linked")
    return user


async def tap_and_wait(user: FakeUser, message: BotMessage, label: str, after: str) -> BotMessage:
    await user.tap(message, label)
    return await user.wait_for(has(after))  # type: ignore[arg-type]


async def test_video_reaches_tiktok_exactly_as_chosen(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    video = write_video(tmp_path / "clip.mp4", 3 * MIB + 17)
    await user.send_video(video.path, duration=21, caption="Harbour at dawn #sunrise")
    composer = await user.wait_for("Posting to")
    composer = await tap_and_wait(user, composer, "👥 Friends", "✅ 👥 Friends")
    composer = await tap_and_wait(user, composer, "⬜ Comment", "☑️ Comment")
    composer = await tap_and_wait(user, composer, "⬜ Stitch", "☑️ Stitch")
    composer = await tap_and_wait(
        user, composer, "⬜ AI-generated content", "☑️ AI-generated content"
    )
    composer = await tap_and_wait(
        user, composer, "⬜ Disclose commercial content", "☑️ Disclose commercial content"
    )
    composer = await tap_and_wait(user, composer, "⬜ Your brand", "☑️ Your brand")
    assert harness.sandbox.publishes == {}  # nothing before the Post tap

    await user.tap(composer, "✅ Post to TikTok")
    await user.wait_for("Sending to TikTok")
    done = await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=30)

    [publish] = harness.sandbox.publishes.values()
    info = publish.post_info
    assert info is not None
    assert info["privacy_level"] == "MUTUAL_FOLLOW_FRIENDS"
    assert info["title"] == "Harbour at dawn #sunrise"
    assert (info["disable_comment"], info["disable_duet"], info["disable_stitch"]) == (
        False,
        True,
        False,
    )
    assert info["is_aigc"] is True
    assert info["brand_organic_toggle"] is True and info["brand_content_toggle"] is False
    assert publish.source_info["source"] == "FILE_UPLOAD"
    assert publish.upload_size == video.size and publish.upload_sha256 == video.sha256
    [post] = [p for p in harness.sandbox.posts("open-ana") if p.id == publish.post_id]
    assert post.share_url in (done.text or "")
    assert harness.tg.errors == []


async def test_double_tap_on_post_publishes_once(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    await user.send_video(video.path, duration=9)
    composer = await user.wait_for("Posting to")
    composer = await tap_and_wait(user, composer, "🔒 Only me", "✅ 🔒 Only me")
    post = next(
        b.callback_data for row in composer.buttons for b in row if b.text.startswith("✅ Post")
    )
    assert post is not None
    first = await user.tap_data(composer.message_id, post)
    second = await user.tap_data(composer.message_id, post)
    answers = {(await user.wait_for_answer(q)).text for q in (first, second)}
    assert "This post is already on its way to TikTok." in answers
    await user.wait_for(
        lambda m: "Only me" in (m.text or "") and "posted" in (m.text or ""), timeout=30
    )
    assert len(harness.sandbox.publishes) == 1
    inits = [r for r in harness.sandbox.requests if r.path == "/v2/post/publish/video/init/"]
    assert len(inits) == 1


async def test_album_with_png_and_large_photo_is_pulled_from_our_server(
    harness: Harness,
) -> None:
    user = await linked_user(harness)
    png = image_bytes("PNG", 900, 1200, mode="RGBA")
    large = image_bytes("JPEG", 3000, 2000)
    # Sent "as files" (uncompressed), as creators do: Telegram keeps the PNG a PNG.
    await user.send_album(
        [
            AlbumItem(
                "document",
                image_bytes("JPEG", 1080, 1350),
                caption="Market day\nColours #food",
                file_name="a.jpg",
                mime_type="image/jpeg",
            ),
            AlbumItem("document", png, file_name="sticker.png", mime_type="image/png"),
            AlbumItem("document", large, file_name="big.jpg", mime_type="image/jpeg"),
        ]
    )
    composer = await user.wait_for("Posting to")
    assert "3 photos" in (composer.text or "")
    composer = await tap_and_wait(user, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    composer = await tap_and_wait(user, composer, "🖼 Next cover", "🖼 Next cover")
    await user.tap(composer, "✅ Post to TikTok")
    done = await user.wait_for(lambda m: "Your photos are live" in (m.text or ""), timeout=30)

    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["title"] == "Market day"
    assert publish.post_info["description"] == "Market day\nColours #food"
    assert publish.source_info["photo_cover_index"] == 1
    urls = publish.source_info["photo_images"]
    assert len(urls) == 3
    assert all(u.startswith(harness.settings.public_base_url + "/media/") for u in urls)
    for pulled in publish.images:
        assert pulled.format == "JPEG" and max(pulled.width, pulled.height) <= 1080
    assert "tiktok.com/@ana.makes" in (done.text or "")
    async with httpx.AsyncClient() as client:
        gone = await client.get(urls[0])
    assert gone.status_code == 404  # served only while the job needed them


async def test_inbox_mode_sends_a_draft_to_tiktok(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    video = write_video(tmp_path / "draft.mp4", 2 * MIB)
    await user.send_video(video.path, duration=12, caption="finish in app")
    composer = await user.wait_for("Posting to")
    composer = await tap_and_wait(user, composer, "📤 Mode: post now", "📥 Mode: TikTok inbox")
    await user.tap(composer, "✅ Send to TikTok inbox")
    await user.wait_for(lambda m: "TikTok inbox of" in (m.text or ""), timeout=30)
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is None
    inits = [r.path for r in harness.sandbox.requests if r.path.endswith("/init/")]
    assert inits == ["/v2/post/publish/inbox/video/init/"]


async def test_big_video_in_local_mode_is_uploaded_in_chunks(tmp_path: Path) -> None:
    async with running_bot(
        tmp_path, options=fast_options(chunk_size=10 * MIB), local_mode=True
    ) as harness:
        user = await linked_user(harness)
        video = write_video(tmp_path / "big.mp4", 66 * MIB + 123)
        await user.send_video(video.path, duration=50)
        composer = await user.wait_for("Posting to")
        composer = await tap_and_wait(user, composer, "🌍 Everyone", "✅ 🌍 Everyone")
        await user.tap(composer, "✅ Post to TikTok")
        await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=60)
        [publish] = harness.sandbox.publishes.values()
        assert publish.source_info["total_chunk_count"] == 6
        assert publish.upload_sha256 == video.sha256
        assert len(publish.chunk_log) == 6
