"""The cover picker and the previews, end to end: the chosen frame's timestamp reaches TikTok."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulators.telegram import BotMessage, FakeUser
from tests.integration.support import fast_options
from tests.support.harness import Harness, running_bot
from tests.support.media import image_bytes


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def plain(message: BotMessage) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", message.text or message.caption or ""))


def labels(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def linked_user(harness: Harness) -> FakeUser:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    return user


async def test_chosen_cover_frame_reaches_tiktok(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    await user.send_video(video_corpus["fragmented.mp4"], duration=3)
    composer = await user.wait_for("Posting to")
    preview = next(
        m for m in harness.tg.messages(user.id) if m.message_id == composer.reply_to_message_id
    )
    assert preview.kind == "photo" and "0:03 · 360×640" in plain(preview)
    await user.tap(composer, "🖼 Choose cover")
    sheet = await user.wait_for(lambda m: "Choose the cover" in plain(m))
    assert sheet.kind == "photo" and labels(sheet)[:4] == ["1", "2", "3", "4"]
    await user.tap(sheet, "3")
    composer = await user.wait_for(lambda m: "cover: frame at 0:01.9" in plain(m))
    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(lambda m: "✅ 👥 Friends" in labels(m))
    await user.tap(composer, "🚀 Post to TikTok")
    await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=30)
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["video_cover_timestamp_ms"] == pytest.approx(1875, abs=34)


async def test_back_to_tiktoks_cover_sends_no_timestamp(
    harness: Harness, video_corpus: dict[str, Path]
) -> None:
    user = await linked_user(harness)
    await user.send_video(video_corpus["plain.mp4"], duration=1)
    composer = await user.wait_for("Posting to")
    await user.tap(composer, "🖼 Choose cover")
    sheet = await user.wait_for(lambda m: "Choose the cover" in plain(m))
    await user.tap(sheet, "2")
    composer = await user.wait_for(lambda m: "cover: frame at 0:00.4" in plain(m))
    assert labels(sheet) == []  # the used sheet lost its buttons (live message)
    await user.tap(composer, "🖼 Choose cover")
    sheet = await user.wait_for(lambda m: "Choose the cover" in plain(m))
    await user.tap(sheet, "TikTok's choice")
    composer = await user.wait_for(
        lambda m: "Posting to" in plain(m) and "cover: frame" not in plain(m)
    )
    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(lambda m: "✅ 👥 Friends" in labels(m))
    await user.tap(composer, "🚀 Post to TikTok")
    await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=30)
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert "video_cover_timestamp_ms" not in publish.post_info


async def test_photos_preview_is_what_tiktok_gets(harness: Harness) -> None:
    user = await linked_user(harness)
    await user.send_document(
        image_bytes("PNG", 3000, 2000), file_name="a.png", mime_type="image/png"
    )
    composer = await user.wait_for("Posting to")
    preview = next(
        m for m in harness.tg.messages(user.id) if m.message_id == composer.reply_to_message_id
    )
    assert preview.kind == "photo" and "As TikTok will get them" in plain(preview)
