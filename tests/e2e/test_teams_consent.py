"""Consent by named team admins: the account owner picks who may give the final consent.

Ana owns @ana.makes and names Adam (a team admin) to approve for her. Adam
reviews in the full composer and taps Post; the post goes out with Ana's
account. Everyone else is refused, and taking the right back stops an open
composer at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.teams.roles import Role
from emulators.telegram import BotMessage, FakeUser
from tests.e2e.test_publishing import tap_and_wait
from tests.e2e.test_teams import (
    NOT_APPROVER,
    Team,
    _draft_of,
    acme,
    button_url,
    submit_video,
    until,
)
from tests.integration.support import fast_options
from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


async def with_admin(harness: Harness) -> tuple[Team, FakeUser, FakeUser]:
    """Team Acme plus Adam, a group admin who joins the team as its admin (Adam in the group)."""
    team = await acme(harness)
    adam = harness.user(1005, "Adam")
    await adam.send_text("/start")
    await adam.wait_for("")
    team.group.set_status(adam, "administrator")
    adam_in_group = team.group.member(adam)
    await adam_in_group.send_text("/team")
    await adam_in_group.wait_for("@adam: admin")
    return team, adam, adam_in_group


async def name_adam(team: Team) -> BotMessage:
    """Ana opens the consent picker from /accounts and names Adam."""
    await team.owner.send_text("/accounts")
    accounts = await team.owner.wait_for("Your TikTok accounts")
    await team.owner.tap(accounts, "🔑 Who approves @ana.makes in Acme")
    picker = await team.owner.wait_for(lambda m: m.find_button("⬜ @adam") is not None)
    assert "Now: only you." in picker.visible_text
    return await tap_and_wait(team.owner, picker, "⬜ @adam", "✅ @adam")


async def open_review(person: FakeUser, card: BotMessage) -> BotMessage:
    """Follow the card's Review link into the private chat."""
    await person.send_text("/start " + button_url(card, "🔎 Review").split("start=")[1])
    return await person.wait_for("Posting to")


def post_data(composer: BotMessage) -> str:
    return f"d:{_draft_of(composer)}:po"


async def test_sharing_asks_who_consents_and_only_me_is_the_default(harness: Harness) -> None:
    team, _adam, _ = await with_admin(harness)
    # The share in acme() came with the picker (Adam was not an admin yet).
    first = await team.owner.wait_for("Who gives the final consent")
    assert "Now: only you." in first.visible_text
    picker = await name_adam(team)
    assert "Now: you and @adam." in picker.visible_text
    picker = await tap_and_wait(team.owner, picker, "⬜ Only me", "✅ Only me")
    assert picker.find_button("⬜ @adam") is not None
    await team.in_group["vic"].send_text("/team log")
    log = await team.in_group["vic"].wait_for("latest first")
    assert "let approve @adam" in log.visible_text
    assert "took back approval from @adam" in log.visible_text


async def test_a_named_admin_approves_and_tiktok_gets_one_post_with_his_settings(
    harness: Harness, tmp_path: Path
) -> None:
    team, adam, _ = await with_admin(harness)
    await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Adam decides")
    assert "Waiting for the account owner's approval (or @adam)." in card.visible_text
    notice = await adam.wait_for("sent a post for <b>@ana.makes</b>")
    assert "The account owner named you" in notice.visible_text
    await team.owner.wait_for("sent a post for <b>@ana.makes</b>")

    composer = await open_review(adam, card)
    note = await adam.wait_for("whose owner named you to approve")
    assert "It goes out on @ana.makes" in note.visible_text
    assert "Ana Makes (@ana.makes)" in composer.visible_text
    assert "team Acme" not in composer.visible_text  # Adam's composer posts, it does not forward
    assert "✅ Comment" in str(composer.buttons)  # the editor's proposal is kept
    composer = await tap_and_wait(adam, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    composer = await tap_and_wait(adam, composer, "⬜ Duet", "✅ Duet")
    composer = await tap_and_wait(adam, composer, "✅ Comment", "⬜ Comment")
    await adam.tap(composer, "🚀 Post to TikTok")
    await adam.wait_for(lambda m: "is live" in m.visible_text, timeout=30)

    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert publish.post_info["disable_duet"] is False  # Adam's choices, not the proposal
    assert publish.post_info["disable_comment"] is True
    [post] = harness.sandbox.posts("open-ana")  # Ana's account, with her stored token
    edited = await team.in_group["ana"].wait_for("Approved by @adam · live:")
    assert edited.message_id == card.message_id and post.share_url in edited.visible_text
    await team.editor.wait_for("was approved by @adam")
    told = await team.owner.wait_for("@adam approved a team post on")
    assert post.share_url in told.visible_text
    assert harness.tg.errors == []


async def test_two_approvers_tap_post_at_once_one_post(harness: Harness, tmp_path: Path) -> None:
    team, adam, _ = await with_admin(harness)
    await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Who is first")
    ana_composer = await open_review(team.owner, card)
    adam_composer = await open_review(adam, card)
    assert _draft_of(ana_composer) != _draft_of(adam_composer)  # each reviews in their own composer
    ana_composer = await tap_and_wait(team.owner, ana_composer, "🌍 Everyone", "✅ 🌍 Everyone")
    adam_composer = await tap_and_wait(adam, adam_composer, "👥 Friends", "✅ 👥 Friends")

    ana_tap = await team.owner.tap_data(ana_composer.message_id, post_data(ana_composer))
    adam_tap = await adam.tap_data(adam_composer.message_id, post_data(adam_composer))
    answers = [await team.owner.wait_for_answer(ana_tap), await adam.wait_for_answer(adam_tap)]
    edited = await team.in_group["ana"].wait_for("Approved by @")
    winner = "@ana" if "Approved by @ana" in edited.visible_text else "@adam"
    refused = [a.text for a in answers if a.text]
    assert refused == [f"This post was already approved by {winner}."]
    await team.in_group["ana"].wait_for(f"Approved by {winner} · live:", timeout=30)
    assert len(harness.sandbox.publishes) == 1
    assert len(harness.sandbox.posts("open-ana")) == 1
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    expected = "PUBLIC_TO_EVERYONE" if winner == "@ana" else "MUTUAL_FOLLOW_FRIENDS"
    assert publish.post_info["privacy_level"] == expected


async def test_an_admin_not_named_is_refused(harness: Harness, tmp_path: Path) -> None:
    team, adam, _ = await with_admin(harness)
    card = await submit_video(harness, team, tmp_path, "Only Ana")
    await team.owner.wait_for("sent a post for <b>@ana.makes</b>")
    await adam.send_text("/start " + button_url(card, "🔎 Review").split("start=")[1])
    await adam.wait_for(NOT_APPROVER)
    assert not any("sent a post for" in m.visible_text for m in adam.messages())  # no notice
    assert harness.sandbox.publishes == {}


async def test_revoking_the_right_stops_an_open_composer(harness: Harness, tmp_path: Path) -> None:
    team, adam, _ = await with_admin(harness)
    picker = await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Taken back")
    composer = await open_review(adam, card)
    composer = await tap_and_wait(adam, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await tap_and_wait(team.owner, picker, "✅ @adam", "⬜ @adam")
    query = await adam.tap_data(composer.message_id, post_data(composer))
    answer = await adam.wait_for_answer(query)
    assert answer.text is not None and "can no longer approve" in answer.text
    assert "Nothing was posted" in answer.text
    assert harness.sandbox.publishes == {}
    # The request still waits for Ana, who can post it.
    ana = await open_review(team.owner, card)
    ana = await tap_and_wait(team.owner, ana, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(ana, "🚀 Post to TikTok")
    await team.in_group["ana"].wait_for("Approved by @ana · live:", timeout=30)
    assert len(harness.sandbox.publishes) == 1


async def test_losing_the_admin_role_or_leaving_ends_the_right_at_once(
    harness: Harness, tmp_path: Path
) -> None:
    team, adam, _ = await with_admin(harness)
    await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Role change")
    composer = await open_review(adam, card)
    composer = await tap_and_wait(adam, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.in_group["ana"].send_text("/team")
    listing = await team.in_group["ana"].wait_for(
        lambda m: m.find_button("@adam: admin") is not None
    )
    await tap_and_wait(team.in_group["ana"], listing, "@adam: admin", "@adam: viewer")
    query = await adam.tap_data(composer.message_id, post_data(composer))
    answer = await adam.wait_for_answer(query)
    assert answer.text is not None and "can no longer approve" in answer.text
    await adam.send_text("/start " + button_url(card, "🔎 Review").split("start=")[1])
    await adam.wait_for(NOT_APPROVER)
    assert harness.sandbox.publishes == {}


async def test_a_named_admin_who_leaves_the_group_loses_the_right(
    harness: Harness, tmp_path: Path
) -> None:
    team, adam, _ = await with_admin(harness)
    picker = await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Gone")
    composer = await open_review(adam, card)
    composer = await tap_and_wait(adam, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    team.group.set_status(adam, "left")
    await until(harness, lambda teams: teams.role_of(1, adam.id), None)
    query = await adam.tap_data(composer.message_id, post_data(composer))
    answer = await adam.wait_for_answer(query)
    assert answer.text is not None and "can no longer approve" in answer.text
    assert harness.sandbox.publishes == {}
    # Coming back as an admin does not bring the right back: Ana names people herself.
    team.group.set_status(adam, "administrator")
    await team.group.member(adam).send_text("/team")
    # Wait for the effect itself: earlier listings in the group also say "@adam: admin".
    await until(harness, lambda teams: teams.role_of(1, adam.id), Role.ADMIN)
    await team.owner.tap(picker, "⬜ Only me")  # the picker re-renders from the database
    fresh = await team.owner.wait_for(lambda m: m.find_button("⬜ @adam") is not None)
    assert "Now: only you." in fresh.visible_text


async def test_a_rejection_and_a_post_at_once_end_one_way(harness: Harness, tmp_path: Path) -> None:
    team, adam, _ = await with_admin(harness)
    await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Reject or post")
    await open_review(team.owner, card)
    note = await team.owner.wait_for("Choose the privacy yourself")
    adam_composer = await open_review(adam, card)
    adam_composer = await tap_and_wait(adam, adam_composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.tap(note, "❌ Reject")
    reasons = await team.owner.wait_for(lambda m: m.find_button("Not now") is not None)
    reject = reasons.find_button("Not now")
    assert reject is not None and reject.callback_data is not None

    rejecting = await team.owner.tap_data(reasons.message_id, reject.callback_data)
    posting = await adam.tap_data(adam_composer.message_id, post_data(adam_composer))
    rejected = await team.owner.wait_for_answer(rejecting)
    posted = await adam.wait_for_answer(posting)
    outcome = await team.in_group["ana"].wait_for(
        lambda m: m.message_id == card.message_id and "Waiting" not in m.visible_text
    )
    if "Rejected by @ana" in outcome.visible_text:
        assert posted.text == "This request was rejected by @ana; nothing was posted."
        assert harness.sandbox.publishes == {}
    else:
        assert "Approved by @adam" in outcome.visible_text
        assert rejected.text == "This post was already approved by @adam."
        await team.in_group["ana"].wait_for("Approved by @adam · live:", timeout=30)
        assert len(harness.sandbox.publishes) == 1
    assert harness.tg.errors == []


async def test_a_named_admin_rejects_and_the_owner_is_told(
    harness: Harness, tmp_path: Path
) -> None:
    team, adam, _ = await with_admin(harness)
    await name_adam(team)
    card = await submit_video(harness, team, tmp_path, "Adam says no")
    await open_review(adam, card)
    note = await adam.wait_for("Choose the privacy yourself")
    await adam.tap(note, "❌ Reject")
    reasons = await adam.wait_for(lambda m: m.find_button("Not on brand") is not None)
    await adam.tap(reasons, "Not on brand")
    await adam.wait_for("Rejected. @eddie has been told")
    await team.in_group["ana"].wait_for("Rejected by @adam: Not on brand")
    await team.editor.wait_for("was rejected by @adam: Not on brand")
    await team.owner.wait_for("@adam rejected a team post for @ana.makes: Not on brand")
    assert harness.sandbox.publishes == {}
