"""Teams end to end: three people in one group and in their private chats, one approval, one post.

Ana owns the TikTok account and the team, Eddie is promoted to editor, Vic
stays a viewer. Everything goes through the fake Telegram server and the
TikTok sandbox, as the people would do it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.teams import TeamService
from emulators.telegram import BotMessage, FakeChat, FakeUser
from tests.e2e.test_publishing import tap_and_wait
from tests.integration.support import fast_options, write_video
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024
GROUP_ID = -1001234567890
DAY = 24 * 3600
NOT_APPROVER = "Only the account's owner, or a team admin they named, can approve this post."


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


async def until(
    harness: Harness, read: Callable[[TeamService], Awaitable[object]], expected: object
) -> None:
    """Wait until an update with no reply (chat_member) has been handled: read its effect."""
    services = harness.bot.services
    assert services is not None and services.teams is not None
    async with asyncio.timeout(10):
        # Updates run concurrently and a membership change sends nothing to wait on.
        while await read(services.teams) != expected:  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def _status(teams: TeamService) -> str | None:
    team = await teams.team_of_chat(GROUP_ID)
    return team.status if team else None


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
    assert "🚀 Post to TikTok" not in str(composer.buttons)
    composer = await tap_and_wait(team.editor, composer, "👥 Friends", "✅ 👥 Friends")
    composer = await tap_and_wait(team.editor, composer, "⬜ Comment", "✅ Comment")
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
    assert "✅ Comment" in str(composer.buttons)  # the editor's proposal is kept
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(composer, "🚀 Post to TikTok")
    posting = await team.in_group["ana"].wait_for("Approved by @ana · posting…")
    assert posting.message_id == card.message_id and posting.buttons == []
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


async def test_rejection_with_a_picked_reason_edits_the_card_and_tells_the_editor(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Too early")
    composer = await review(team, card)
    note = await team.owner.wait_for("Choose the privacy yourself")
    await team.owner.tap(note, "❌ Reject")
    reasons = await team.owner.wait_for(lambda m: m.find_button("Not on brand") is not None)
    await team.owner.tap(reasons, "Not on brand")
    await team.owner.wait_for("Rejected. @eddie has been told")
    edited = await team.in_group["ana"].wait_for("Rejected by @ana: Not on brand")
    assert edited.message_id == card.message_id and edited.buttons == []
    await team.editor.wait_for("was rejected by @ana: Not on brand")
    # The owner's composer of a rejected request posts nothing.
    query = await team.owner.tap_data(composer.message_id, f"d:{_draft_of(composer)}:po")
    await team.owner.wait_for_answer(query)
    assert harness.sandbox.publishes == {}
    assert harness.tg.errors == []


def _draft_of(composer: BotMessage) -> int:
    data = next(b.callback_data for row in composer.buttons for b in row if b.callback_data)
    assert data is not None and data.startswith("d:")
    return int(data.split(":")[1])


async def test_rejection_with_a_typed_reason(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Wrong logo here")
    await review(team, card)
    note = await team.owner.wait_for("Choose the privacy yourself")
    await team.owner.tap(note, "❌ Reject")
    reasons = await team.owner.wait_for(lambda m: m.find_button("✍️ Type a reason") is not None)
    await team.owner.tap(reasons, "✍️ Type a reason")
    await team.owner.wait_for("Why do you reject it?")
    await team.owner.send_text("The logo is the old one")
    await team.in_group["ana"].wait_for("Rejected by @ana: The logo is the old one")
    await team.editor.wait_for("rejected by @ana: The logo is the old one")
    assert harness.sandbox.publishes == {}


async def test_viewer_non_member_and_the_editor_cannot_approve(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Mine to approve?")
    payload = button_url(card, "🔎 Review").split("start=")[1]
    await team.viewer.send_text("/start " + payload)
    await team.viewer.wait_for(NOT_APPROVER)
    await team.editor.send_text("/start " + payload)  # their own post, not their account
    await team.editor.wait_for(NOT_APPROVER)
    stranger = harness.user(1004, "Sam")
    await stranger.send_text("/start " + payload)
    await stranger.wait_for("You are not a member of this team.")
    # A viewer is offered no team account to send posts to.
    await team.viewer.send_video(write_video(tmp_path / "v.mp4", MIB).path, duration=5)
    kept = await team.viewer.wait_for("Link your TikTok account first")
    assert "team Acme" not in kept.visible_text
    # A viewer cannot change roles either.
    await team.in_group["vic"].send_text("/team")
    listing = await team.in_group["vic"].wait_for("@eddie: editor")
    query = await team.in_group["vic"].tap(listing, "@eddie: editor")
    answer = await team.in_group["vic"].wait_for_answer(query)
    assert answer.text == "Only the team's owner and admins change roles."
    assert harness.sandbox.publishes == {}


async def test_anonymous_admin_is_asked_to_post_as_themselves(harness: Harness) -> None:
    team = await acme(harness)
    await team.group.send_as_group("/team")
    await team.in_group["ana"].wait_for("Post as yourself to use team commands")
    await team.group.send_as_group("/stats")
    await team.in_group["ana"].wait_for(
        lambda m: "Post as yourself" in m.visible_text and m.reply_to_message_id is not None
    )
    channel = harness.tg.channel(-1007777777777, "Acme news")
    await team.group.send_as_channel(channel, "/team")
    refusals = await team.group.wait_for_all("Post as yourself", count=3)
    assert len(refusals) == 3
    assert harness.bot.services is not None and harness.bot.services.teams is not None
    assert await harness.bot.services.teams.role_of(1, 1087968824) is None


async def test_unsharing_cancels_a_pending_request(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Before unsharing")
    payload = button_url(card, "🔎 Review").split("start=")[1]
    await team.owner.send_text("/accounts")
    accounts = await team.owner.wait_for("Your TikTok accounts")
    await team.owner.tap(accounts, "🚫 Stop sharing @ana.makes with Acme")
    await team.owner.wait_for("no longer shared with Acme. 1 pending request(s) cancelled")
    edited = await team.in_group["ana"].wait_for("cancelled: the account is no longer shared")
    assert edited.message_id == card.message_id
    await team.editor.wait_for("was cancelled: the account is no longer shared")
    await team.owner.send_text("/start " + payload)
    await team.owner.wait_for("This request was cancelled")
    # The editor's composer no longer offers the account.
    await team.editor.send_video(write_video(tmp_path / "again.mp4", MIB).path, duration=5)
    kept = await team.editor.wait_for("Link your TikTok account first")
    assert "Acme" not in kept.visible_text
    assert harness.sandbox.publishes == {}


async def test_a_request_expires_after_the_configured_days(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Old news")
    composer = await review(team, card)  # opened in time ...
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    harness.clock.advance(7 * DAY + 60)  # ... posted too late (TEAM_APPROVAL_DAYS=7 default)
    query = await team.owner.tap(composer, "🚀 Post to TikTok")
    answer = await team.owner.wait_for_answer(query)
    assert answer.text is not None and "expired" in answer.text
    await team.owner.send_text("/start " + button_url(card, "🔎 Review").split("start=")[1])
    await team.owner.wait_for("This request expired")
    edited = await team.in_group["ana"].wait_for("⌛ expired")
    assert edited.message_id == card.message_id
    await team.editor.wait_for("expired before it was approved")
    assert harness.sandbox.publishes == {}
    assert harness.tg.errors == []


async def test_double_review_and_double_post_publish_once(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Once only")
    first = _draft_of(await review(team, card))
    notice = await team.owner.wait_for("sent a post for @ana.makes")
    await team.owner.tap(notice, "🔎 Review")  # the private notice's button: the same draft
    # The first composer loses its keyboard (an edit); the live one is the new message.
    second = await team.owner.wait_for(lambda m: "Posting to" in m.visible_text and m.buttons != [])
    assert _draft_of(second) == first
    second = await tap_and_wait(team.owner, second, "🌍 Everyone", "✅ 🌍 Everyone")
    post = f"d:{_draft_of(second)}:po"
    one = await team.owner.tap_data(second.message_id, post)
    two = await team.owner.tap_data(second.message_id, post)
    await team.owner.wait_for_answer(one)
    await team.owner.wait_for_answer(two)
    await team.owner.wait_for(lambda m: "is live" in m.visible_text, timeout=30)
    await team.in_group["ana"].wait_for("Approved by @ana · live:")
    assert len(harness.sandbox.publishes) == 1
    assert len(harness.sandbox.posts("open-ana")) == 1


async def test_restart_between_review_and_post(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Survives restarts")
    composer = await review(team, card)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await harness.restart_bot()
    await team.owner.tap(composer, "🚀 Post to TikTok")
    await team.owner.wait_for(lambda m: "is live" in m.visible_text, timeout=30)
    edited = await team.in_group["ana"].wait_for("Approved by @ana · live:")
    assert edited.message_id == card.message_id
    await team.editor.wait_for("was approved by @ana")
    assert len(harness.sandbox.publishes) == 1


async def test_an_album_through_approval(harness: Harness) -> None:
    from emulators.telegram import AlbumItem
    from tests.support.media import image_bytes

    team = await acme(harness)
    await team.editor.send_album(
        [
            AlbumItem("photo", image_bytes("JPEG", 1080, 1350), caption="Two looks"),
            AlbumItem("photo", image_bytes("JPEG", 1080, 1350)),
        ]
    )
    composer = await team.editor.wait_for("Posting to")
    assert "2 photos" in composer.visible_text and "team Acme" in composer.visible_text
    await team.editor.tap(composer, "📨 Send for approval")
    card = await team.in_group["ana"].wait_for("Waiting for the account owner")
    assert card.kind == "photo"
    owner_composer = await review(team, card)
    owner_composer = await tap_and_wait(team.owner, owner_composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(owner_composer, "🚀 Post to TikTok")
    await team.owner.wait_for(lambda m: "are live" in m.visible_text, timeout=30)
    [publish] = harness.sandbox.publishes.values()
    assert publish.source_info["source"] == "PULL_FROM_URL"
    assert len(publish.source_info["photo_images"]) == 2
    await team.in_group["ana"].wait_for("Approved by @ana · live:")


async def test_leavers_lose_their_role_and_removing_the_bot_suspends(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    team.group.set_status(team.editor, "left")
    await until(harness, lambda t: t.role_of(1, team.editor.id), None)
    await team.in_group["vic"].send_text("/team log")
    log = await team.in_group["vic"].wait_for("latest first")
    assert "@eddie left the group" in log.visible_text
    await team.editor.send_video(write_video(tmp_path / "gone.mp4", MIB).path, duration=5)
    kept = await team.editor.wait_for("Link your TikTok account first")
    assert "Acme" not in kept.visible_text

    team.group.remove_bot(team.owner)
    await until(harness, lambda t: _status(t), "suspended")
    await team.in_group["vic"].send_text("/team")
    await team.in_group["vic"].wait_for("This team is suspended")
    await team.in_group["ana"].send_text("/team")  # a group admin resumes it
    await team.in_group["ana"].wait_for("Tap a member")


async def test_group_stats_and_buttons_of_another_group(harness: Harness) -> None:
    team = await acme(harness)
    lone = harness.tg.group(-1005555555555, "No team")
    lone_vic = lone.member(team.viewer)
    await lone_vic.send_text("/stats")
    pointer = await lone_vic.wait_for("This group has no team yet")
    assert [b.url for row in pointer.buttons for b in row] == [
        f"https://t.me/{harness.tg.bot_username}"
    ]
    await team.in_group["vic"].send_text("/stats")
    stats = await team.in_group["vic"].wait_for("shared accounts")
    assert "@ana.makes" in stats.visible_text and "token" not in stats.visible_text.lower()

    other = harness.tg.group(-1009876543210, "Other")
    other.set_status(team.viewer, "creator")
    vic_there = other.member(team.viewer)
    await vic_there.send_text("/team")
    listing = await vic_there.wait_for("Team Other created")
    acme_listing = next(
        m for m in team.in_group["ana"].messages() if m.find_button("@eddie: editor") is not None
    )
    role_data = acme_listing.find_button("@eddie: editor")
    assert role_data is not None and role_data.callback_data is not None
    query = await vic_there.tap_data(listing.message_id, role_data.callback_data)
    answer = await vic_there.wait_for_answer(query)
    assert answer.text == "That button belongs to another group."
    await team.in_group["ana"].send_text("/team")
    await team.in_group["ana"].wait_for("@eddie: editor")


async def test_media_dropped_in_the_group_continues_in_private(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    video = write_video(tmp_path / "group.mp4", MIB)
    # A viewer's media is group chatter: no answer.
    await team.in_group["vic"].send_video(video.path, duration=5, caption="from vic")
    await team.in_group["eddie"].send_video(video.path, duration=5, caption="From the group")
    reply = await team.in_group["eddie"].wait_for("Continue in our private chat")
    url = button_url(reply, "Continue in private chat")
    assert "Posting to" not in reply.visible_text  # nothing private in the group
    await team.editor.send_text("/start " + url.split("start=")[1])
    composer = await team.editor.wait_for("Posting to")
    assert "team Acme" in composer.visible_text and "From the group" in composer.visible_text
    await team.editor.tap(composer, "📨 Send for approval")
    await team.in_group["ana"].wait_for("Waiting for the account owner")
    replies = [m for m in team.group.messages() if "Continue in our private chat" in m.visible_text]
    assert len(replies) == 1
    assert harness.sandbox.publishes == {}


async def test_unlinking_the_account_cancels_its_requests(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Unlinked soon")
    await team.owner.send_text("/accounts")
    accounts = await team.owner.wait_for("Your TikTok accounts")
    await team.owner.tap(accounts, "acc:1:unlink")
    confirm = await team.owner.wait_for(lambda m: m.find_button("acc:1:unlinkok") is not None)
    await team.owner.tap(confirm, "acc:1:unlinkok")
    edited = await team.in_group["ana"].wait_for("cancelled: the account is no longer shared")
    assert edited.message_id == card.message_id and "@ana.makes" in edited.visible_text
    await team.editor.wait_for("was cancelled")
    await team.in_group["vic"].send_text("/stats")
    stats = await team.in_group["vic"].wait_for("no shared accounts yet")
    assert "@ana.makes" not in stats.visible_text


async def test_an_album_dropped_in_the_group_gets_one_reply_and_continues_whole(
    harness: Harness,
) -> None:
    from emulators.telegram import AlbumItem
    from tests.support.media import image_bytes

    team = await acme(harness)
    photo = image_bytes("JPEG", 1080, 1350)
    await team.in_group["vic"].send_album([AlbumItem("photo", photo), AlbumItem("photo", photo)])
    await team.in_group["eddie"].send_album(
        [AlbumItem("photo", photo, caption="Four looks")] + [AlbumItem("photo", photo)] * 3
    )
    reply = await team.in_group["eddie"].wait_for("Continue in our private chat")
    url = button_url(reply, "Continue in private chat")
    await team.editor.send_text("/start " + url.split("start=")[1])
    composer = await team.editor.wait_for("Posting to")
    assert "4 photos" in composer.visible_text and "team Acme" in composer.visible_text
    assert "Four looks" in composer.visible_text
    await team.editor.tap(composer, "📨 Send for approval")
    card = await team.in_group["ana"].wait_for("Waiting for the account owner")
    # One reply for the whole album (none for the viewer's), then the one card.
    replies = [m for m in team.group.messages() if "Continue in our private chat" in m.visible_text]
    assert (
        len(replies) == 1 and [m.message_id for m in team.group.messages()][-1] == card.message_id
    )
    owner_composer = await review(team, card)
    owner_composer = await tap_and_wait(team.owner, owner_composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(owner_composer, "🚀 Post to TikTok")
    await team.owner.wait_for(lambda m: "are live" in m.visible_text, timeout=30)
    [publish] = harness.sandbox.publishes.values()
    assert len(publish.source_info["photo_images"]) == 4


async def test_group_stats_show_each_shared_accounts_numbers_even_if_one_fails(
    harness: Harness,
) -> None:
    team = await acme(harness)
    await harness.open_link(team.viewer, open_id="open-bo")  # Vic links and shares Bo too
    await team.viewer.wait_for("Linked")
    await team.viewer.send_text("/accounts")
    accounts = await team.viewer.wait_for("Your TikTok accounts")
    await team.viewer.tap(accounts, "👥 Share @bo.private with Acme")
    await team.viewer.wait_for("is shared with Acme")

    await team.in_group["vic"].send_text("/stats")
    stats = await team.in_group["vic"].wait_for("shared accounts")
    text = stats.visible_text
    assert "Ana Makes (@ana.makes)" in text and "Bo (@bo.private)" in text
    assert "1.2K followers · 80 following · ❤️ 45K likes" in text
    assert "token" not in text.lower() and "open-ana" not in text

    # TikTok fails for the first account asked (Ana's): its line says so, Bo's still shows.
    harness.sandbox.faults.fail_endpoint(
        "/v2/user/info/", status=500, code="internal_error", times=1
    )
    await team.in_group["vic"].send_text("/stats")
    partial = await team.in_group["vic"].wait_for("shared accounts")
    lines = partial.visible_text.splitlines()
    ana = next(line for line in lines if "@ana.makes" in line)
    assert "TikTok is not answering for this account right now" in ana
    assert "followers" in partial.visible_text.split("@bo.private")[1]

    stranger = harness.user(1009, "Sam")
    await team.group.member(stranger).send_text("/stats")
    await team.group.member(stranger).wait_for("You are not a member of this team.")


async def test_team_requests_in_the_submitters_and_approvers_queue(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    await submit_video(harness, team, tmp_path, "Queued for approval")
    await team.editor.send_text("/queue")
    mine = await team.editor.wait_for("Team requests")
    assert "#1 · @ana.makes · team Acme · from @eddie" in mine.visible_text
    assert "waiting for approval" in mine.visible_text
    assert mine.find_button("🔎 Review #1") is None  # the editor cannot approve it

    await team.owner.send_text("/queue")
    theirs = await team.owner.wait_for("Team requests")
    await team.owner.tap(theirs, "🔎 Review #1")
    composer = await team.owner.wait_for(lambda m: "Posting to" in m.visible_text)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(composer, "🚀 Post to TikTok")
    await team.in_group["ana"].wait_for("Approved by @ana · live:", timeout=30)

    await team.editor.send_text("/queue")
    later = await team.editor.wait_for(
        lambda m: "Team requests" in m.visible_text and "approved by @ana" in m.visible_text
    )
    assert later.buttons == []
    await team.viewer.send_text("/queue")  # nothing of Vic's: the usual empty queue
    await team.viewer.wait_for("Nothing scheduled or on its way")
    assert not any("Team requests" in m.visible_text for m in team.viewer.messages())


async def test_a_double_tap_on_review_opens_one_draft(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    await submit_video(harness, team, tmp_path, "Twice")
    notice = await team.owner.wait_for("sent a post for")
    one = await team.owner.tap(notice, "🔎 Review")
    two = await team.owner.tap(notice, "🔎 Review")
    await team.owner.wait_for_answer(one)
    await team.owner.wait_for_answer(two)
    composers = [
        await team.owner.wait_for("Posting to"),
        await team.owner.wait_for("Posting to"),
    ]
    assert len({_draft_of(c) for c in composers}) == 1
    assert harness.tg.errors == []


async def test_a_group_album_interrupted_by_a_restart_still_gets_its_one_reply(
    harness: Harness,
) -> None:
    from emulators.telegram import AlbumItem
    from tests.support.media import image_bytes

    team = await acme(harness)
    photo = image_bytes("JPEG", 1080, 1350)
    [first, *_] = await team.in_group["eddie"].send_album(
        [AlbumItem("photo", photo, caption="Across a restart")] + [AlbumItem("photo", photo)] * 2
    )
    group_id = str(first["media_group_id"])
    assert harness.bot.services is not None
    albums = harness.bot.services.albums
    async with asyncio.timeout(10):  # every item is stored: the album is being collected
        while await albums.items_of(team.editor.id, group_id) < 3:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    await harness.restart_bot()  # whoever finishes the album (old timer or resume) replies once
    reply = await team.in_group["eddie"].wait_for("Continue in our private chat")
    await team.editor.send_text(
        "/start " + button_url(reply, "Continue in private chat").split("start=")[1]
    )
    composer = await team.editor.wait_for("Posting to")
    assert "3 photos" in composer.visible_text and "Across a restart" in composer.visible_text
    replies = [m for m in team.group.messages() if "Continue in our private chat" in m.visible_text]
    assert len(replies) == 1
    assert not any("Posting to" in m.visible_text for m in team.group.messages())
