"""A reviewer's Post on a request that ended says what happened, and nothing is posted.

Rejected, cancelled (unshared) or expired: the owner's composer of the
request may still be on screen; its Post names the outcome instead of a
generic "no longer active".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.test_publishing import tap_and_wait
from tests.e2e.test_teams import DAY, _draft_of, acme, review, submit_video
from tests.integration.support import fast_options
from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


async def test_post_after_rejection_names_who_rejected(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Rejected later")
    composer = await review(team, card)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    note = await team.owner.wait_for("Choose the privacy yourself")
    await team.owner.tap(note, "❌ Reject")
    reasons = await team.owner.wait_for(lambda m: m.find_button("Not now") is not None)
    await team.owner.tap(reasons, "Not now")
    await team.in_group["ana"].wait_for("Rejected by @ana: Not now")
    query = await team.owner.tap_data(composer.message_id, f"d:{_draft_of(composer)}:po")
    answer = await team.owner.wait_for_answer(query)
    assert answer.text == "This request was rejected by @ana; nothing was posted."
    assert harness.sandbox.publishes == {}


async def test_post_after_unsharing_says_cancelled(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Unshared later")
    composer = await review(team, card)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    await team.owner.send_text("/accounts")
    accounts = await team.owner.wait_for("Your TikTok accounts")
    await team.owner.tap(accounts, "🚫 Stop sharing @ana.makes with Acme")
    await team.in_group["ana"].wait_for("cancelled: the account is no longer shared")
    query = await team.owner.tap_data(composer.message_id, f"d:{_draft_of(composer)}:po")
    answer = await team.owner.wait_for_answer(query)
    assert answer.text is not None and "cancelled" in answer.text
    assert "nothing was posted" in answer.text
    assert harness.sandbox.publishes == {}


async def test_post_after_expiry_says_expired(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Expired later")
    composer = await review(team, card)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    harness.clock.advance(7 * DAY + 60)
    await team.in_group["vic"].send_text("/team")  # the group notices the expiry
    await team.in_group["ana"].wait_for("⌛ expired")
    query = await team.owner.tap_data(composer.message_id, f"d:{_draft_of(composer)}:po")
    answer = await team.owner.wait_for_answer(query)
    assert answer.text is not None and "expired; nothing was posted" in answer.text
    assert harness.sandbox.publishes == {}


async def test_post_later_after_rejection_names_who_rejected(
    harness: Harness, tmp_path: Path
) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "Later, rejected")
    composer = await review(team, card)
    composer = await tap_and_wait(team.owner, composer, "🌍 Everyone", "✅ 🌍 Everyone")
    assert composer.find_button("🗓 Post later") is not None
    note = await team.owner.wait_for("Choose the privacy yourself")
    await team.owner.tap(note, "❌ Reject")
    reasons = await team.owner.wait_for(lambda m: m.find_button("Not now") is not None)
    await team.owner.tap(reasons, "Not now")
    await team.in_group["ana"].wait_for("Rejected by @ana: Not now")
    query = await team.owner.tap(composer, "🗓 Post later")
    answer = await team.owner.wait_for_answer(query)
    assert answer.text == "This request was rejected by @ana; nothing was posted."
    assert harness.sandbox.publishes == {}
