"""Groups, channels and shared identities: the bot acts only for one person, in private."""

from __future__ import annotations

from pathlib import Path

from emulators.telegram import BotMessage
from emulators.tiktok import SandboxAccount
from tests.support.harness import Harness, running_bot


def urls(message: BotMessage) -> list[str]:
    return [b.url for row in message.buttons for b in row if b.url]


async def test_channel_posts_are_ignored(harness: Harness) -> None:
    channel = harness.tg.channel(-1005551, "Ana's news")
    await channel.post("/start")
    await channel.post("/link")
    await channel.post("hello")
    # A later update: once it is answered, the bot has read past the channel posts.
    user = harness.user()
    await user.send_text("/help")
    await user.wait_for("What I can do")
    assert channel.messages() == []
    assert [c for c in harness.tg.calls if c.params.get("chat_id") == str(channel.id)] == []


async def test_group_commands_point_to_the_private_chat(harness: Harness) -> None:
    group = harness.tg.group(-1007001, "Friends")
    ana = harness.user()
    requests_before = len(harness.sandbox.requests)
    await group.send_text(ana, "/link")
    await group.send_text(ana, "/accounts@tiktok_test_bot")
    await group.send_text(ana, "/comment 7300000000000000001 nice")
    await group.send_text(ana, "/help")
    [help_reply] = await group.wait_for_all("What I can do")
    assert "/comments" in (help_reply.text or "")
    replies = await group.wait_for_all("private chat", count=3)
    bot = harness.tg.bot_username
    assert sorted(u for m in replies for u in urls(m)) == sorted(
        [
            f"https://t.me/{bot}?start=link",
            f"https://t.me/{bot}?start=accounts",
            f"https://t.me/{bot}",
        ]
    )
    # No sign-in link was made, and nothing reached TikTok.
    assert not any("tiktok" in u and "auth" in u for m in group.messages() for u in urls(m))
    assert len(harness.sandbox.requests) == requests_before


async def test_anonymous_admins_and_channels_are_refused_with_a_reason(harness: Harness) -> None:
    group = harness.tg.group(-1007002, "Creators")
    channel = harness.tg.channel(-1005552, "Studio")
    await group.send_as_group("/accounts")
    await group.send_as_channel(channel, "/link")
    await group.send_as_group("just chatting")  # not for the bot: no answer
    refusals = await group.wait_for_all("can't tell who is behind", count=2)
    assert all(urls(m) == [f"https://t.me/{harness.tg.bot_username}"] for m in refusals)
    ana = harness.user()
    await group.send_text(ana, "/help")
    await group.wait_for_all("What I can do")
    assert len(group.messages()) == 3


async def test_group_text_is_never_a_caption_or_a_comment(tmp_path: Path) -> None:
    accounts = [
        SandboxAccount(open_id="open-ana", username="ana.makes", display_name="Ana", seed_videos=3)
    ]
    async with running_bot(tmp_path, accounts=accounts) as harness:
        ana = harness.user()
        await harness.open_link(ana)
        await ana.wait_for("Linked")
        video = harness.sandbox.posts("open-ana")[0]
        await ana.send_text(f"/comment {video.id}")
        await ana.wait_for("Send me your comment")
        group = harness.tg.group(-1007003, "Friends")
        await group.send_text(ana, "hello group, this is not a comment")
        await ana.send_text("My real comment")
        preview = await ana.wait_for("Send it?")
        assert "My real comment" in (preview.text or "")
        assert group.messages() == []
        assert not any("hello group" in (m.text or "") for m in ana.messages())
