"""/comment and /comments end to end: the real bot, the fake Telegram server, the sandbox.

What TikTok received is read back from the sandbox (`sandbox.comments`,
`sandbox.requests`), so every assertion is about what really happened there.
"""

from __future__ import annotations

from pathlib import Path

from bot.app import BotApp
from emulators.telegram import BotMessage, FakeUser
from emulators.tiktok import SandboxAccount, SandboxComment
from tests.support.harness import Harness, running_bot

PUBLISH = "/v2/comment/publish/"
STALE = "This button is no longer active."


def accounts() -> list[SandboxAccount]:
    return [
        SandboxAccount(
            open_id="open-ana",
            username="ana.makes",
            display_name="Ana Makes",
            follower_count=1_200,
            seed_videos=10,
        ),
        SandboxAccount(open_id="open-bo", username="bo.private", display_name="Bo", seed_videos=2),
    ]


def live(harness: Harness) -> list[SandboxComment]:
    return [c for c in harness.sandbox.comments.values() if not c.deleted]


def flat(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def data_of(message: BotMessage) -> list[str]:
    return [b.callback_data for row in message.buttons for b in row if b.callback_data]


def publishes(harness: Harness) -> int:
    return len([r for r in harness.sandbox.requests if r.path == PUBLISH])


async def linked_user(harness: Harness, user_id: int = 1001, name: str = "Ana") -> FakeUser:
    user = harness.user(user_id, name)
    await harness.open_link(user, open_id="open-ana" if user_id == 1001 else "open-bo")
    await user.wait_for("Linked")
    return user


async def test_comment_with_a_link_and_text_posts_right_away(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[3]
        await user.send_text(f"/comment {video.share_url}?is_from_webapp=1 Great video 🔥\nSo good")
        posted = await user.wait_for("Comment posted")
        [comment] = live(harness)
        assert (comment.video_id, comment.text, comment.open_id) == (
            video.id,
            "Great video 🔥\nSo good",
            "open-ana",
        )
        assert comment.reply_to_comment_id is None
        assert video.title in posted.visible_text and "Great video 🔥" in posted.visible_text
        assert flat(posted) == ["↩️ Reply", "🗑 Delete"]

        await user.send_text("/comments")
        listing = await user.wait_for("Your comments from this bot")
        assert "Great video 🔥 So good" in listing.visible_text
        assert video.title in listing.visible_text
        assert harness.tg.errors == []


async def test_comment_by_picking_a_recent_video(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        posts = harness.sandbox.posts("open-ana")
        await user.send_text("/comment")
        picker = await user.wait_for("Which video")
        # The eight newest videos, newest first, each button naming its video id.
        assert [d.rsplit(":", 1)[1] for d in data_of(picker)] == [v.id for v in posts[:8]]
        assert all(d.startswith("cmv:") and len(d.encode()) <= 64 for d in data_of(picker))
        await user.tap(picker, data_of(picker)[2])
        prompt = await user.wait_for("Send me your comment")
        assert posts[2].title in prompt.visible_text and flat(prompt) == ["✖️ Cancel"]

        await user.send_text("Love this\nsecond line")
        preview = await user.wait_for("Send it?")
        assert "Love this\nsecond line" in preview.visible_text
        assert publishes(harness) == 0  # nothing goes to TikTok before Send
        await user.send_text("Love this, changed my mind")  # a new text replaces the old one
        newer = await user.wait_for(lambda m: "changed my mind" in m.visible_text)
        stale = await user.tap(preview, "✅ Send")  # the older preview's Send is stale now
        assert (await user.wait_for_answer(stale)).text == STALE
        await user.tap(newer, "✅ Send")
        await user.wait_for("Comment posted")
        [comment] = live(harness)
        assert (comment.video_id, comment.text) == (posts[2].id, "Love this, changed my mind")

        # Sent: the step is over, so a plain message is not a comment any more.
        await user.send_text("hello there")
        await user.wait_for("send me one")
        assert len(live(harness)) == 1
        # The comment texts were consumed by the comment step alone: the fallback (or the
        # composer) answered only the last, unrelated message.
        assert [m.visible_text for m in user.messages()].count(
            next(m.visible_text for m in user.messages() if "send me one" in m.visible_text)
        ) == 1
        assert harness.tg.errors == []


async def test_replies_by_button_and_by_command(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[0]
        await user.send_text(f"/comment {video.id} First!")
        posted = await user.wait_for("Comment posted")
        [parent] = live(harness)

        await user.tap(posted, "↩️ Reply")
        prompt = await user.wait_for("Send me your reply")
        assert "«First!»" in prompt.visible_text
        await user.send_text("Replying to myself")
        preview = await user.wait_for("Your reply on")
        await user.tap(preview, "✅ Send")
        await user.wait_for("Reply posted")
        reply = next(c for c in live(harness) if c.text == "Replying to myself")
        assert (reply.video_id, reply.reply_to_comment_id) == (video.id, parent.comment_id)

        await user.send_text(f"/comment {video.share_url} reply:{parent.comment_id} And again")
        await user.wait_for(
            lambda m: "Reply posted" in m.visible_text and "And again" in m.visible_text
        )
        again = next(c for c in live(harness) if c.text == "And again")
        assert again.reply_to_comment_id == parent.comment_id

        await user.send_text(f"/comment {video.id} reply:7399999999999999999 Hello?")
        await user.wait_for("isn't on that video any more")
        assert len(live(harness)) == 3
        assert harness.tg.errors == []


async def test_delete_from_the_confirmation_and_from_the_list(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        first, second = harness.sandbox.posts("open-ana")[:2]
        await user.send_text(f"/comment {first.id} Delete me")
        posted = await user.wait_for("Comment posted")
        await user.send_text(f"/comment {second.id} Keep me")
        await user.wait_for(lambda m: "Keep me" in m.visible_text)
        comments_before = second.comment_count

        await user.tap(posted, "🗑 Delete")
        confirm = await user.wait_for("Delete this comment from TikTok?")
        row = _row(confirm)
        await user.tap(confirm, "Yes, delete it")
        await user.wait_for("Deleted from")
        deleted = next(c for c in harness.sandbox.comments.values() if c.text == "Delete me")
        assert deleted.deleted
        delete_calls = [r.json for r in harness.sandbox.requests if r.path == "/v2/comment/delete/"]
        assert delete_calls == [{"video_id": first.id, "comment_id": deleted.comment_id}]

        # A second tap on the old confirmation deletes nothing more.
        query_id = await user.tap_data(confirm.message_id, f"cmc:{row}:delok")
        answer = await user.wait_for_answer(query_id)
        assert (
            answer.text == "That comment isn't one you wrote through me (or it's already deleted)."
        )
        assert len([r for r in harness.sandbox.requests if r.path == "/v2/comment/delete/"]) == 1

        await user.send_text("/comments")
        listing = await user.wait_for("Your comments from this bot")
        assert "Keep me" in listing.visible_text and "Delete me" not in listing.visible_text
        await user.tap(listing, "🗑 Delete #1")
        confirm2 = await user.wait_for("Delete this comment from TikTok?")
        await user.tap(confirm2, "No, keep it")
        await user.wait_for("the comment stays")
        assert [c.text for c in live(harness)] == ["Keep me"]
        assert second.comment_count == comments_before
        assert harness.tg.errors == []


def _row(confirm: BotMessage) -> str:
    return data_of(confirm)[0].split(":")[1]


async def test_invalid_text_never_reaches_tiktok(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[0]
        await user.send_text(f"/comment {video.id} {'a' * 151}")
        await user.wait_for("That's 151 characters, and TikTok allows 150")
        # 76 emoji look like 76 characters but are 152 UTF-16 units.
        await user.send_text(f"/comment {video.id} {'🔥' * 76}")
        await user.wait_for("That's 152 characters")

        await user.send_text(f"/comment {video.id}")
        prompt = await user.wait_for("Send me your comment")
        await user.send_text("\u3000 \u3000")  # only (Unicode) whitespace
        await user.wait_for("Your comment is empty")
        await user.send_text("b" * 200)
        await user.wait_for("That's 200 characters")
        assert publishes(harness) == 0
        await user.send_text("🔥" * 75)  # exactly 150 units: fine
        preview = await user.wait_for("Send it?")
        await user.tap(preview, "✅ Send")
        await user.wait_for("Comment posted")
        assert [c.text for c in live(harness)] == ["🔥" * 75]
        assert flat(prompt) == ["✖️ Cancel"]
        assert harness.tg.errors == []


async def test_unknown_videos_and_non_links(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        await user.send_text("/comment 7399999999999999999 hi")
        await user.wait_for("TikTok can't find that video")
        await user.send_text("/comment hello there")
        await user.wait_for("/comment — pick one of your latest videos")
        assert live(harness) == []
        # A video of someone else's account: commented on as the default account.
        other = harness.sandbox.posts("open-bo")[0]
        await user.send_text(f"/comment {other.id} Nice one")
        await user.wait_for("Comment posted")
        assert [(c.video_id, c.open_id) for c in live(harness)] == [(other.id, "open-ana")]
        assert harness.tg.errors == []


async def test_cancel_and_text_falls_through_without_a_pending_comment(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        await user.send_text("just chatting")
        await user.wait_for("send me one")  # the fallback, not the comment handler
        await user.send_text("/comment")
        picker = await user.wait_for("Which video")
        await user.tap(picker, picker.buttons[0][0].text)
        prompt = await user.wait_for("Send me your comment")
        await user.tap(prompt, "✖️ Cancel")
        await user.wait_for("no comment was sent")
        await user.send_text("still chatting")
        await user.wait_for(
            lambda m: "send me one" in m.visible_text and m.message_id > prompt.message_id
        )
        assert publishes(harness) == 0
        assert harness.tg.errors == []


async def test_a_restart_loses_nothing(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[1]
        await user.send_text(f"/comment {video.id}")
        await user.wait_for("Send me your comment")
        old = harness.bot
        await old.stop()
        harness.bot = BotApp(old.settings, old.options)  # same database, fresh memory
        await harness.bot.start()
        await user.send_text("Written across a restart")
        preview = await user.wait_for("Send it?")
        await user.tap(preview, "✅ Send")
        await user.wait_for("Comment posted")
        assert [(c.video_id, c.text) for c in live(harness)] == [
            (video.id, "Written across a restart")
        ]


async def test_buttons_of_someone_else_do_nothing(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        ana = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[0]
        await ana.send_text(f"/comment {video.id} Mine")
        posted = await ana.wait_for("Comment posted")
        row = data_of(posted)[0].split(":")[1]
        await ana.send_text(f"/comment {video.id}")
        await ana.wait_for("Send me your comment")
        await ana.send_text("Pending text")
        preview = await ana.wait_for("Send it?")
        token = data_of(preview)[0].split(":")[1]

        bo = await linked_user(harness, 2002, "Bo")
        await bo.send_text("/help")
        mine = await bo.wait_for("What I can do")
        services = harness.bot.services
        assert services is not None
        ana_account = (await services.accounts.linked(ana.id))[0].id
        for data in (
            f"cmc:{row}:delok",
            f"cmc:{row}:reply",
            f"cmp:{token}:send",
            f"cmv:{ana_account}:{video.id}",
            f"cma:{ana_account}",
            "cmc:x:del",
            "cmp:a:b:c",
            "cmz:1",
        ):
            query_id = await bo.tap_data(mine.message_id, data)
            assert (await bo.wait_for_answer(query_id)).text == STALE, data
        assert [c.text for c in live(harness)] == ["Mine"]
        await ana.tap(preview, "✅ Send")  # Ana's own step is untouched
        await ana.wait_for(
            lambda m: "Comment posted" in m.visible_text and "Pending text" in m.visible_text
        )
        assert harness.tg.errors == []


async def test_tiktok_trouble_keeps_the_comment_for_another_try(tmp_path: Path) -> None:
    async with running_bot(tmp_path, accounts=accounts()) as harness:
        user = await linked_user(harness)
        video = harness.sandbox.posts("open-ana")[0]
        await user.send_text(f"/comment {video.id}")
        await user.wait_for("Send me your comment")
        await user.send_text("Worth the wait")
        preview = await user.wait_for("Send it?")
        harness.sandbox.faults.fail_endpoint(PUBLISH, status=429, code="rate_limit_exceeded")
        await user.tap(preview, "✅ Send")
        await user.wait_for("slow down")
        assert live(harness) == []
        await user.tap(preview, "✅ Send")  # the same button works again
        await user.wait_for("Comment posted")
        assert [c.text for c in live(harness)] == ["Worth the wait"]
        assert [r.error_code for r in harness.sandbox.requests if r.path == PUBLISH] == [
            "rate_limit_exceeded",
            "ok",
        ]
        texts = [m.visible_text for m in user.messages()]
        assert not any("Traceback" in text for text in texts)
        # handlers/errors.on_error answers the (already answered) tap once more; Telegram
        # refuses that second answer, harmlessly. Nothing else may have failed.
        assert {call.method for call in harness.tg.errors} <= {"answerCallbackQuery"}
