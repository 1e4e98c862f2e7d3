"""TikTok's media rules as a user meets them: real files, the real bot, fake Telegram, sandbox.

Refusals come before the composer opens, with what is wrong and what to do;
accepted files reach TikTok with the probed duration and Content-Type.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulators.telegram import AlbumItem, BotMessage, FakeUser
from tests.integration.support import fast_options
from tests.support import photos
from tests.support.harness import Harness, running_bot
from tests.support.media import image_bytes


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def plain(message: BotMessage) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", message.text or message.caption or ""))


async def linked_user(harness: Harness) -> FakeUser:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    return user


def composers(harness: Harness, user: FakeUser) -> list[BotMessage]:
    return [m for m in harness.tg.messages(user.id) if "Posting to" in (m.text or "")]


async def post_to_friends(user: FakeUser, composer: BotMessage) -> BotMessage:
    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(
        lambda m: "✅ 👥 Friends" in [b.text for r in m.buttons for b in r]
    )
    await user.tap(composer, "🚀 Post to TikTok")
    return await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=30)


async def test_fragmented_mp4_is_measured_and_posted(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    # Sent as a file with a lying name: judged by content, duration from the fragments.
    await user.send_document(
        video_corpus["fragmented.mp4"], file_name="screen.webm", mime_type="video/webm"
    )
    composer = await user.wait_for("Posting to")
    assert "🎬 Video · 0:03" in (composer.text or "")
    await post_to_friends(user, composer)
    [publish] = harness.sandbox.publishes.values()
    assert publish.upload_content_type == "video/mp4"
    assert publish.media_duration == pytest.approx(3.0, abs=0.05)


async def test_webm_without_duration_gets_one(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    await user.send_video(video_corpus["live.webm"], duration=0, mime_type="video/webm")
    composer = await user.wait_for("Posting to")
    assert "🎬 Video · 0:02" in (composer.text or "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("clip.mkv", "This video is an MKV file; TikTok accepts MP4, MOV or WebM."),
        ("fps120.mp4", "This video is 120 fps; TikTok accepts 23-60 fps. Export it at 30 or 60"),
        ("small.mp4", "This video is 240×320 pixels; TikTok needs 360 to 4096 pixels"),
        ("av1.mp4", "This video is compressed with AV1; TikTok accepts H.264, H.265, VP8 or VP9."),
        ("long600_4.mp4", "This video is 10:00.4 long; TikTok takes videos up to 10:00."),
        ("audio_only.mp4", "This file has no picture, only sound."),
        ("cut_faststart.mp4", "This video can't be read: the file is empty, cut off or damaged"),
    ],
)
async def test_refused_before_the_composer(
    harness: Harness, video_corpus: dict[str, Path], name: str, expected: str
) -> None:
    user = await linked_user(harness)
    await user.send_video(video_corpus[name], duration=5)
    reply = await user.wait_for(lambda m: expected in plain(m))
    assert not reply.buttons
    assert composers(harness, user) == []
    assert harness.sandbox.publishes == {}


async def test_long_document_refused_strictly(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    await user.send_document(video_corpus["long601.mp4"], file_name="a.mp4", mime_type="video/mp4")
    await user.wait_for(lambda m: "This video is 10:01 long" in plain(m))
    assert composers(harness, user) == []


async def test_heic_photo_is_accepted_and_a_damaged_one_refused(harness: Harness) -> None:
    user = await linked_user(harness)
    await user.send_document(photos.truncated_jpeg(), file_name="a.jpg", mime_type="image/jpeg")
    await user.wait_for(lambda m: "This photo is damaged" in plain(m))
    await user.send_document(photos.bomb_png(), file_name="b.png", mime_type="image/png")
    await user.wait_for(lambda m: "more pixels than I can safely convert" in plain(m))
    assert composers(harness, user) == []
    await user.send_document(photos.heic(), file_name="IMG_0001.HEIC", mime_type="image/heic")
    composer = await user.wait_for("Posting to")
    assert "🖼 1 photo" in (composer.text or "")


async def test_album_names_the_damaged_photo(harness: Harness) -> None:
    user = await linked_user(harness)
    good = image_bytes("JPEG", 400, 300)
    await user.send_album(
        [
            AlbumItem("document", good, file_name="1.jpg", mime_type="image/jpeg"),
            AlbumItem("document", good, file_name="2.jpg", mime_type="image/jpeg"),
            AlbumItem(
                "document", photos.truncated_jpeg(), file_name="3.jpg", mime_type="image/jpeg"
            ),
            AlbumItem("document", good, file_name="4.jpg", mime_type="image/jpeg"),
        ]
    )
    # Named by its place and its file name (album items are filed as they are classified).
    reply = await user.wait_for(lambda m: "(3.jpg) is damaged" in plain(m))
    assert re.search(r"Photo \d of 4 \(3\.jpg\) is damaged", plain(reply))
    assert composers(harness, user) == []


async def test_what_the_probe_cannot_decide_is_left_to_tiktok(
    harness: Harness, video_corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.media.reader as reader

    # Reads so small and so few that the probe must give up on this file.
    for name, value in {"BLOCK": 512, "HEAD": 512, "TAIL": 512, "MAX_REQUESTS": 2}.items():
        monkeypatch.setattr(reader, name, value)
    user = await linked_user(harness)
    await user.send_video(video_corpus["fps10.mp4"], duration=1)
    composer = await user.wait_for("Posting to")
    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(
        lambda m: "✅ 👥 Friends" in [b.text for r in m.buttons for b in r]
    )
    await user.tap(composer, "🚀 Post to TikTok")
    done = await user.wait_for(lambda m: "23 to 60 frames per second" in plain(m), timeout=30)
    assert "wasn't posted" in plain(done) or "not posted" in plain(done).lower()
    [publish] = harness.sandbox.publishes.values()
    assert publish.fail_reason == "frame_rate_check_failed"


async def test_empty_and_cut_off_files_are_refused_at_intake(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    await user.send_video(video_corpus["empty.mp4"], duration=3)
    await user.wait_for(lambda m: "This video can't be read" in plain(m))
    await user.send_document(
        video_corpus["cut_moov_end.mp4"], file_name="clip.mp4", mime_type="video/mp4"
    )
    await user.wait_for(lambda m: "This video can't be read" in plain(m))  # a second reply
    assert composers(harness, user) == []
