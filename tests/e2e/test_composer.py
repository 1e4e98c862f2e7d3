"""Intake and the post composer, end to end, up to (and including) the Post tap's checks.

Publishing itself is covered in tests/e2e/test_publishing.py; here nothing may
reach TikTok's posting endpoints, which is part of what is asserted.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from emulators.telegram import AlbumItem, BotMessage, FakeUser
from emulators.tiktok import SandboxAccount
from tests.support.harness import Harness, default_accounts, running_bot
from tests.support.media import image_bytes, mp4_bytes, webm_bytes

POSTING_PATHS = (
    "/v2/post/publish/video/init/",
    "/v2/post/publish/inbox/video/init/",
    "/v2/post/publish/content/init/",
)


def posting_calls(harness: Harness) -> list[str]:
    return [r.path for r in harness.sandbox.requests if r.path in POSTING_PATHS]


def plain(message: BotMessage) -> str:
    """What the user reads (HTML tags and entities resolved)."""
    return html.unescape(re.sub(r"<[^>]+>", "", message.text or message.caption or ""))


def buttons(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def linked_user(harness: Harness, open_id: str = "open-ana") -> FakeUser:
    user = harness.user()
    await harness.open_link(user, open_id=open_id)
    await user.wait_for("Linked")
    return user


async def open_video_composer(
    harness: Harness, user: FakeUser, *, duration: int = 42, caption: str | None = None
) -> BotMessage:
    await user.send_video(mp4_bytes(duration), duration=duration, caption=caption)
    return await user.wait_for("Posting to")


async def test_video_composer_follows_tiktoks_rules(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user, caption="first try #cats")
    preview = harness.tg.messages(user.id)[-2]
    # The preview is a still of the user's own video with its length and size.
    assert preview.kind == "photo" and composer.reply_to_message_id == preview.message_id
    assert "🎬 0:42 · 360×640" in (preview.caption or "")
    text = plain(composer)
    assert "Posting to Ana Makes (@ana.makes)" in text
    assert "🎬 Video · 0:42" in text and "first try #cats" in text
    assert "Who can see this post?" in text
    labels = buttons(composer)
    # No privacy preselected; interactions off; Post blocked until privacy is chosen.
    assert [b for b in labels if b.endswith(("Everyone", "Friends", "Only me"))] == [
        "🌍 Everyone",
        "👥 Friends",
        "🔒 Only me",
    ]
    assert {"⬜ Comment", "⬜ Duet", "⬜ Stitch", "⬜ AI-generated content"} <= set(labels)
    assert "⬜ Disclose commercial content" in labels
    assert "⛔ Post — choose who can see it" in labels
    assert "Music Usage Confirmation" in text and "Branded Content Policy" not in text
    # The declaration sits right above the Post button, with its link.
    assert text.rstrip().endswith("you agree to TikTok's Music Usage Confirmation.")
    assert 'href="https://www.tiktok.com/legal/page/global/music-usage-confirmation/en"' in (
        composer.text or ""
    ) or any("music-usage" in str(e.get("url", "")) for e in composer.entities)

    query = await user.tap(composer, "⛔ Post — choose who can see it")
    assert (await user.wait_for_answer(query)).text == "Choose who can see this post."

    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(lambda m: "✅ 👥 Friends" in buttons(m))
    await user.tap(composer, "⬜ Comment")
    composer = await user.wait_for(lambda m: "☑️ Comment" in buttons(m))
    assert "✅ Post to TikTok" in buttons(composer)
    assert posting_calls(harness) == []
    creator_calls = [r for r in harness.sandbox.requests if r.path.endswith("creator_info/query/")]
    assert len(creator_calls) == 1  # fetched fresh when the composer opened
    assert harness.tg.errors == []


async def test_creator_disabled_interactions_are_unavailable(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0] = SandboxAccount(
        open_id="open-ana",
        username="ana.makes",
        display_name="Ana Makes",
        duet_disabled=True,
        comment_disabled=True,
    )
    async with running_bot(tmp_path, accounts=accounts) as harness:
        user = await linked_user(harness)
        composer = await open_video_composer(harness, user)
        labels = buttons(composer)
        assert "🚫 Duet" in labels and "🚫 Comment" in labels and "⬜ Stitch" in labels
        query = await user.tap(composer, "🚫 Duet")
        answer = await user.wait_for_answer(query)
        assert answer.show_alert and "privacy settings" in (answer.text or "")


async def test_commercial_disclosure_and_branded_content_rules(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user)
    await user.tap(composer, "🔒 Only me")
    composer = await user.wait_for(lambda m: "✅ 🔒 Only me" in buttons(m))
    await user.tap(composer, "⬜ Disclose commercial content")
    composer = await user.wait_for(lambda m: "☑️ Disclose commercial content" in buttons(m))
    labels = buttons(composer)
    assert "⬜ Your brand" in labels
    # Branded content cannot be private: unavailable while "Only me" is chosen.
    assert "🚫 Branded content" in labels
    assert "⛔ Post — choose your brand or branded content" in labels
    assert "promotes yourself, a third party, or both" in (composer.text or "")
    query = await user.tap(composer, "🚫 Branded content")
    assert "can't be set to private" in ((await user.wait_for_answer(query)).text or "")

    await user.tap(composer, "⬜ Your brand")
    composer = await user.wait_for(lambda m: "☑️ Your brand" in buttons(m))
    assert "labeled as 'Promotional content'" in (composer.text or "")
    assert "✅ Post to TikTok" in buttons(composer)

    await user.tap(composer, "🌍 Everyone")
    composer = await user.wait_for(lambda m: "✅ 🌍 Everyone" in buttons(m))
    await user.tap(composer, "⬜ Branded content")
    composer = await user.wait_for(lambda m: "☑️ Branded content" in buttons(m))
    text = plain(composer)
    assert "labeled as 'Paid partnership'" in text
    assert "you agree to TikTok's Branded Content Policy and Music Usage Confirmation." in text
    # ...and the other direction: with branded content on, "Only me" is unavailable.
    assert "🚫 🔒 Only me" in buttons(composer)
    query = await user.tap(composer, "🚫 🔒 Only me")
    assert "can't be set to private" in ((await user.wait_for_answer(query)).text or "")
    assert posting_calls(harness) == []


async def test_inbox_mode_hides_what_tiktok_ignores(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user)
    await user.tap(composer, "📤 Mode: post now")
    composer = await user.wait_for(lambda m: "📥 Mode: TikTok inbox" in buttons(m))
    labels = buttons(composer)
    assert not any("Everyone" in b or "Comment" in b or "Disclose" in b for b in labels)
    assert "✏️ Caption" not in labels
    assert "✅ Send to TikTok inbox" in labels
    assert "open the app" in (composer.text or "")


async def test_caption_edit_counts_utf16_and_refuses_too_long(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user)
    await user.tap(composer, "✏️ Caption")
    await user.wait_for("Send me the caption")
    await user.send_text("😀" * 1101)  # 2202 UTF-16 units
    refusal = await user.wait_for("TikTok allows 2200")
    assert "2202" in (refusal.text or "")
    await user.send_text("Sunset run 🌅 #running")
    fresh = await user.wait_for(lambda m: "Sunset run" in (m.text or "") and bool(m.buttons))
    assert "(22/2200)" in plain(fresh)
    # The old composer lost its buttons; the new one is the live one.
    old = next(m for m in harness.tg.messages(user.id) if m.message_id == composer.message_id)
    assert old.buttons == []
    await user.tap(fresh, "✏️ Caption")
    await user.wait_for("Send me the caption")
    await user.send_text("/skip")
    cleared = await user.wait_for(lambda m: "Caption: none yet" in plain(m))
    assert cleared.buttons


async def test_foreign_forged_and_finished_drafts(harness: Harness) -> None:
    ana = await linked_user(harness)
    composer = await open_video_composer(harness, ana)
    bo = harness.user(2002, "Bo")
    draft_id = next(b.callback_data for row in composer.buttons for b in row if b.callback_data)
    assert draft_id is not None
    draft = draft_id.split(":")[1]
    query = await bo.tap_data(composer.message_id, f"d:{draft}:pv:0")
    assert (await bo.wait_for_answer(query)).text == "That's someone else's draft."
    query = await bo.tap_data(composer.message_id, f"d:{draft}:po")
    assert (await bo.wait_for_answer(query)).text == "That's someone else's draft."
    query = await ana.tap_data(composer.message_id, f"d:{draft}:pv:99")
    assert "doesn't offer" in ((await ana.wait_for_answer(query)).text or "")
    query = await ana.tap_data(composer.message_id, "d:999999:pv:0")
    assert (await ana.wait_for_answer(query)).text == "This draft is no longer active."
    query = await ana.tap_data(composer.message_id, "d:zz:\u202e")
    assert (await ana.wait_for_answer(query)).text == "This button is no longer active."

    await ana.tap(composer, "✖️ Cancel")
    await ana.wait_for("Draft discarded")
    query = await ana.tap_data(composer.message_id, f"d:{draft}:pv:0")
    assert (await ana.wait_for_answer(query)).text == "This draft is no longer active."
    assert posting_calls(harness) == []


async def test_album_becomes_one_photo_post_and_more_photos_join_it(harness: Harness) -> None:
    user = await linked_user(harness)
    jpeg = image_bytes("JPEG", 1200, 900)
    await user.send_album(
        [
            AlbumItem("photo", jpeg, caption="Trip day 1\nBeach, food and friends #travel"),
            AlbumItem("photo", jpeg),
            AlbumItem("photo", jpeg),
        ]
    )
    composer = await user.wait_for("Posting to")
    text = composer.text or ""
    assert "🖼 3 photos · cover: photo 1" in text
    assert "Trip day 1" in text and "#travel" in text
    labels = buttons(composer)
    assert "⬜ Comment" in labels
    assert not any("Duet" in b or "Stitch" in b or "AI-generated" in b for b in labels)
    composers = [m for m in harness.tg.messages(user.id) if "Posting to" in (m.text or "")]
    assert len(composers) == 1

    await user.tap(composer, "🖼 Next cover")
    await user.wait_for(lambda m: "cover: photo 2" in (m.text or ""))

    await user.send_photo(image_bytes("JPEG", 800, 800), width=800, height=800)
    await user.wait_for("Added 1 photo — 4 in this post now")
    await user.wait_for(lambda m: "🖼 4 photos" in (m.text or "") and bool(m.buttons))
    # The per-user intake lock is gone once the photos are filed (no table growing per user).
    assert harness.bot.services is not None
    assert len(harness.bot.services.drafts._intake_locks) == 0


async def test_mixed_album_and_several_videos_are_explained(harness: Harness) -> None:
    user = await linked_user(harness)
    await user.send_album(
        [AlbumItem("photo", image_bytes("JPEG", 10, 10)), AlbumItem("video", mp4_bytes(5))]
    )
    await user.wait_for(lambda m: "either one video or up to 35 photos" in plain(m))
    await user.send_album([AlbumItem("video", mp4_bytes(5)), AlbumItem("video", mp4_bytes(6))])
    await user.wait_for("one video at a time")
    assert not any("Posting to" in (m.text or "") for m in harness.tg.messages(user.id))


async def test_files_are_judged_by_content_not_name(harness: Harness) -> None:
    user = await linked_user(harness)
    await user.send_document(b"%PDF-1.7 not a video", file_name="clip.mp4", mime_type="video/mp4")
    await user.wait_for("I can't post this file")
    await user.send_document(
        image_bytes("GIF", 8, 8, mode="P"), file_name="funny.mp4", mime_type="video/mp4"
    )
    await user.wait_for("GIFs can't be posted")
    # A real MP4 sent as a file with a misleading name: duration read from the file.
    await user.send_document(
        mp4_bytes(75, size=400_000), file_name="notes.txt", mime_type="text/plain"
    )
    composer = await user.wait_for("Posting to")
    assert "🎬 Video · 1:15" in (composer.text or "")
    await user.send_document(
        webm_bytes(9.6), file_name="x.bin", mime_type="application/octet-stream"
    )
    composer = await user.wait_for(lambda m: "🎬 Video · 0:10" in (m.text or ""))
    await user.send_document(
        image_bytes("PNG", 640, 480), file_name="pic.png", mime_type="image/png"
    )
    composer = await user.wait_for(lambda m: "🖼 1 photo" in (m.text or ""))
    # The preview is the photo converted as TikTok will get it.
    preview = next(
        m
        for m in reversed(harness.tg.messages(user.id))
        if m.kind == "photo" and "As TikTok will get them" in (m.caption or "")
    )
    assert preview.message_id == composer.reply_to_message_id


async def test_video_over_the_creators_limit_is_blocked(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0] = SandboxAccount(
        open_id="open-ana",
        username="ana.makes",
        display_name="Ana Makes",
        max_video_post_duration_sec=60,
    )
    async with running_bot(tmp_path, accounts=accounts) as harness:
        user = await linked_user(harness)
        composer = await open_video_composer(harness, user, duration=61)
        assert "longer than TikTok allows for your account (1:00 min)" in (composer.text or "")
        await user.tap(composer, "🔒 Only me")
        composer = await user.wait_for(lambda m: "✅ 🔒 Only me" in buttons(m))
        assert "⛔ Post — video too long" in buttons(composer)


async def test_oversized_video_in_cloud_mode_is_explained(harness: Harness) -> None:
    user = await linked_user(harness)
    big = harness.data_dir.parent / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)
    await user.send_video(big, duration=30)
    message = await user.wait_for("up to 20 MB")
    assert "25 MB" in (message.text or "") and "local" in (message.text or "")
    assert [c for c in harness.tg.calls if c.method == "getFile"] == []
    # Just over the limit: never "20 MB" in a sentence saying the limit is 20 MB.
    near = harness.data_dir.parent / "near.mp4"
    with near.open("wb") as handle:
        handle.truncate(21_040_996)
    await user.send_video(near, duration=30)
    close = await user.wait_for(
        lambda m: "up to 20 MB" in (m.text or "") and "20.1 MB" in (m.text or "")
    )
    assert "This file is 20.1 MB" in close.visible_text


async def test_media_before_linking_is_kept_and_continued(harness: Harness) -> None:
    user = harness.user()
    await user.send_video(mp4_bytes(12), duration=12, caption="kept for later")
    prompt = await user.wait_for("I've kept your video")
    url = next(b.url for row in prompt.buttons for b in row if b.url)
    assert url is not None
    await harness.follow_authorize(url, confirm_as=user)
    linked = await user.wait_for("Linked")
    await user.tap(linked, "▶️ Continue with your video")
    composer = await user.wait_for("Posting to")
    assert "kept for later" in (composer.text or "")


async def test_creator_who_cannot_post_now_is_stopped_early(tmp_path: Path) -> None:
    accounts = default_accounts()
    accounts[0] = SandboxAccount(
        open_id="open-ana",
        username="ana.makes",
        display_name="Ana Makes",
        posting_blocked="spam_risk_too_many_posts",
    )
    async with running_bot(tmp_path, accounts=accounts) as harness:
        user = await linked_user(harness)
        await user.send_video(mp4_bytes(5), duration=5)
        message = await user.wait_for("can't post right now")
        assert "today's posting limit" in (message.text or "")
        assert "🔄 Try again" in buttons(message)
        assert not any("Posting to" in (m.text or "") for m in harness.tg.messages(user.id))


async def test_unaudited_app_explains_the_limits_up_front(tmp_path: Path) -> None:
    async with running_bot(tmp_path, settings_overrides={"tiktok_app_audited": False}) as harness:
        user = await linked_user(harness)
        composer = await open_video_composer(harness, user)
        text = composer.text or ""
        assert "isn't audited yet" in text and "PRIVATE" in text
        labels = buttons(composer)
        assert "🚫 🌍 Everyone" in labels and "🔒 Only me" in labels
        query = await user.tap(composer, "🚫 🌍 Everyone")
        assert "only accepts 'Only me'" in ((await user.wait_for_answer(query)).text or "")


async def test_switch_account_fetches_fresh_creator_info(harness: Harness) -> None:
    user = await linked_user(harness)
    await harness.open_link(user, open_id="open-bo")
    await user.wait_for(lambda m: "Linked" in (m.text or "") and "@bo.private" in (m.text or ""))
    composer = await open_video_composer(harness, user)
    assert "Ana Makes" in (composer.text or "")
    await user.tap(composer, "🔒 Only me")
    composer = await user.wait_for(lambda m: "✅ 🔒 Only me" in buttons(m))
    await user.tap(composer, "🔁 Post to another account")
    switched = await user.wait_for(lambda m: "(@bo.private)" in (m.text or ""))
    labels = buttons(switched)
    assert "👤 Followers" in labels and "🔒 Only me" in labels  # private account's options
    assert "✅ 🔒 Only me" not in labels  # chosen again for the new account


async def test_tiktok_outage_while_opening_keeps_the_draft(harness: Harness) -> None:
    user = await linked_user(harness)
    harness.sandbox.faults.fail_endpoint(
        "/v2/post/publish/creator_info/query/", status=503, code="internal_error", times=1
    )
    await user.send_video(mp4_bytes(8), duration=8, caption="still here")
    outage = await user.wait_for("TikTok isn't answering")
    await user.tap(outage, "🔄 Try again")
    composer = await user.wait_for("Posting to")
    assert "still here" in plain(composer)


async def test_album_interrupted_by_a_restart_still_opens(harness: Harness) -> None:
    user = await linked_user(harness)
    jpeg = image_bytes("JPEG", 640, 480)
    sent = await user.send_album(
        [AlbumItem("photo", jpeg, caption="after restart"), AlbumItem("photo", jpeg)]
    )
    group = sent[0]["media_group_id"]
    services = harness.bot.services
    assert services is not None
    for _ in range(200):  # until both items are stored in the collecting album
        if await services.albums.items_of(user.id, group) == 2:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the album never reached the database")
    # The debounce timer dies with the process; the restarted bot must pick the album up.
    await harness.restart_bot()
    composer = await user.wait_for("Posting to")
    assert "2 photos" in plain(composer) and "after restart" in plain(composer)
    composers = [m for m in harness.tg.messages(user.id) if "Posting to" in (m.text or "")]
    assert len(composers) == 1


async def test_a_burst_of_single_photos_opens_one_composer(harness: Harness) -> None:
    """Photos sent one by one: not one creator-info call and two messages per photo."""
    user = await linked_user(harness)
    jpeg = image_bytes("JPEG", 800, 800)
    await user.send_photo(jpeg, width=800, height=800)
    await user.wait_for("Posting to")
    before = len(harness.tg.messages(user.id))
    infos_before = len([r for r in harness.sandbox.requests if "creator_info" in r.path])
    for _ in range(15):
        await user.send_photo(jpeg, width=800, height=800)
    await user.wait_for(lambda m: "🖼 16 photos" in (m.text or "") and bool(m.buttons))
    later = harness.tg.messages(user.id)[before:]
    added = [m for m in later if "Added" in (m.text or "")]
    assert sum(int((m.text or "").split()[1]) for m in added) == 15
    # One note and one composer per burst (a very slow machine may split a burst once).
    assert len(later) <= 6, [m.text for m in later]
    infos = [r for r in harness.sandbox.requests if "creator_info" in r.path]
    assert len(infos) - infos_before <= 2
    assert harness.tg.errors == []


async def test_forged_draft_ids_get_a_clear_answer(harness: Harness) -> None:
    """A 40-digit id never reaches the database; an unknown one isn't 'on its way'."""
    user = await linked_user(harness)
    await user.send_text("/help")
    help_message = await user.wait_for("What I can do")
    huge = await user.tap_data(help_message.message_id, f"d:{'9' * 40}:po")
    assert (await user.wait_for_answer(huge)).text == "This button is no longer active."
    unknown = await user.tap_data(help_message.message_id, "d:987654:po")
    assert (await user.wait_for_answer(unknown)).text == "This draft is no longer active."
    huge_account = await user.tap_data(help_message.message_id, f"acc:{'9' * 40}:unlink")
    assert (await user.wait_for_answer(huge_account)).text == "This button is no longer active."
    await user.send_text("/help")
    await user.wait_for("What I can do")
    assert not any("Something went wrong" in m.visible_text for m in user.messages())
    assert harness.tg.errors == []
