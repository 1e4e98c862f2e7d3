"""Teams end to end: three people in one group and in their private chats, one approval, one post.

Ana owns the TikTok account and the team, Eddie is promoted to editor, Vic
stays a viewer. Everything goes through the fake Telegram server and the
TikTok sandbox, as the people would do it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulators.telegram import BotMessage, FakeChat, FakeUser
from tests.e2e.test_publishing import tap_and_wait
from tests.integration.support import fast_options, write_video
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024
GROUP_ID = -1001234567890
DAY = 24 * 3600


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


@dataclass
class Team:
    """The three people, their views of the group, and the group."""

    group: FakeChat
    owner: FakeUser
    editor: FakeUser
    viewer: FakeUser
    in_group: dict[str, FakeUser]


def button_url(message: BotMessage, label: str) -> str:
    found = message.find_button(label)
    assert found is not None and found.url is not None, message
    return found.url


async def acme(harness: Harness) -> Team:
    """Ana links her account, creates team Acme, promotes Eddie to editor and shares."""
    owner = harness.user(1001, "Ana")
    editor = harness.user(1002, "Eddie")
    viewer = harness.user(1003, "Vic")
    await harness.open_link(owner, open_id="open-ana")
    await owner.wait_for("Linked")
    group = harness.tg.group(GROUP_ID, "Acme")
    group.set_status(owner, "creator")
    in_group = {
        name: group.member(u) for name, u in (("ana", owner), ("eddie", editor), ("vic", viewer))
    }
    for person in (editor, viewer):
        await person.send_text("/start")
        await person.wait_for("")
    await in_group["ana"].send_text("/team")
    await in_group["ana"].wait_for("Team Acme created")
    for name in ("eddie", "vic"):  # members who talk to the bot become viewers
        await in_group[name].send_text("/team")
        await in_group[name].wait_for(f"@{name}: viewer")
    listing = await in_group["ana"].wait_for(
        lambda m: "@vic: viewer" in m.visible_text and bool(m.buttons)
    )
    await tap_and_wait(in_group["ana"], listing, "@eddie: viewer", "@eddie: editor")

    await owner.send_text("/accounts")
    accounts = await owner.wait_for("Your TikTok accounts")
    await owner.tap(accounts, "👥 Share @ana.makes with Acme")
    await owner.wait_for("is shared with Acme")
    return Team(group, owner, editor, viewer, in_group)


async def submit_video(harness: Harness, team: Team, tmp_path: Path, caption: str) -> BotMessage:
    """Eddie sends a video, proposes Friends and comments, and sends it for approval."""
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    await team.editor.send_video(video.path, duration=9, caption=caption)
    composer = await team.editor.wait_for("Posting to")
    assert "Ana Makes (@ana.makes) · team Acme" in composer.visible_text
    assert "✅ Post to TikTok" not in str(composer.buttons)
    composer = await tap_and_wait(team.editor, composer, "👥 Friends", "✅ 👥 Friends")
    composer = await tap_and_wait(team.editor, composer, "⬜ Comment", "☑️ Comment")
    await team.editor.tap(composer, "📨 Send for approval")
    await team.editor.wait_for("Sent to Acme for approval")
    card = await team.in_group["ana"].wait_for("Waiting for the account owner")
    assert harness.sandbox.publishes == {}  # nothing reaches TikTok on the editor's tap
    return card


async def review(team: Team, card: BotMessage) -> BotMessage:
    """Ana follows the card's Review link into her private chat: the full composer."""
    url = button_url(card, "🔎 Review")
    await team.owner.send_text("/start " + url.split("start=")[1])
    return await team.owner.wait_for("Posting to")


async def test_editor_submits_owner_approves_one_post_with_her_settings(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Launch day #acme")
    assert "From @eddie" in card.visible_text and "Launch day #acme" in card.visible_text
    assert "Proposed: Friends, comments" in card.visible_text
    await team.owner.wait_for("sent a post for @ana.makes")

    composer = await review(team, card)
    assert "✅ 👥 Friends" not in str(composer.buttons)  # privacy is chosen by hand
    assert "☑️ Comment" in str(composer.buttons)  # the editor's proposal is kept
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(composer, "✅ Post to TikTok")
    await team.owner.wait_for(lambda m: "is live" in m.visible_text, timeout=30)

    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert publish.post_info["title"] == "Launch day #acme"
    assert publish.post_info["disable_comment"] is False
    [post] = harness.sandbox.posts("open-ana")
    edited = await team.in_group["ana"].wait_for("Approved by @ana")
    assert post.share_url in edited.visible_text and edited.message_id == card.message_id
    told = await team.editor.wait_for("was approved by @ana")
    assert post.share_url in told.visible_text
    await team.in_group["vic"].send_text("/team log")
    log = await team.in_group["vic"].wait_for("latest first")
    for word in ("created the team", "changed a role", "shared", "submitted", "approved", "posted"):
        assert word in log.visible_text
    assert harness.tg.errors == []
