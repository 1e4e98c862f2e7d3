"""Edited messages never repeat an action: Telegram sends an edit as a new update,
and the bot already acted on the original (a comment posted, a caption taken)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_comment import accounts, linked_user, live, publishes
from tests.e2e.test_composer import linked_user as linked_poster
from tests.e2e.test_composer import open_video_composer, plain
from tests.support.harness import Harness, running_bot

EDITS_IGNORED = "Edits aren't applied"


async def test_editing_a_sent_comment_command_posts_nothing_more(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[3]
        sent = await user.send_text(f"/comment {video.share_url} Great video")
        await user.wait_for("Comment posted")
        await user.edit_text(sent["message_id"], f"/comment {video.share_url} Great video!!")
        notice = await user.wait_for(EDITS_IGNORED)
        assert "new message" in notice.visible_text
        # The next message is read as usual: the edit left nothing behind.
        await user.send_text("/help")
        await user.wait_for("/comments")
        assert publishes(harness) == 1 and [c.text for c in live(harness)] == ["Great video"]
        assert len([m for m in user.messages() if EDITS_IGNORED in m.visible_text]) == 1
        assert harness.tg.errors == []


async def test_editing_a_sent_caption_changes_nothing(harness: Harness) -> None:
    user = await linked_poster(harness)
    composer = await open_video_composer(harness, user)
    await user.tap(composer, "✏️ Caption")
    await user.wait_for("Send me the caption")
    sent = await user.send_text("Sunset run #running")
    fresh = await user.wait_for(lambda m: "Sunset run" in plain(m) and bool(m.buttons))
    composers = len([m for m in user.messages() if "Posting to" in plain(m)])
    await user.edit_text(sent["message_id"], "Sunrise run #running")
    await user.wait_for(EDITS_IGNORED)
    # The draft keeps the caption as sent; re-rendering the composer shows it.
    await user.tap(fresh, "👥 Friends")
    chosen = await user.wait_for(
        lambda m: "✅ 👥 Friends" in [b.text for r in m.buttons for b in r]
    )
    assert "Sunset run" in plain(chosen) and "Sunrise" not in plain(chosen)
    assert len([m for m in user.messages() if "Posting to" in plain(m)]) == composers
    assert harness.tg.errors == []
