"""One transaction per step: what a failure in the middle leaves behind.

These drive the bot as a user does and check the state the user can see and
act on afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories import PublishJobRepository
from tests.e2e.test_publishing import linked_user, tap_and_wait
from tests.integration.support import fast_options, write_video
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024
YEAR = 366 * 24 * 3600


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


async def test_expired_refresh_token_marks_the_account_and_tells_the_user_once(
    harness: Harness,
) -> None:
    user = await linked_user(harness)
    harness.clock.advance(YEAR)  # beyond TikTok's one-year refresh token lifetime
    await user.send_text("/stats")
    told = await user.wait_for("no longer accepts")
    assert "@ana.makes" in (told.text or "")
    assert any(b.text == "🔄 Re-link @ana.makes" for row in told.buttons for b in row)

    await user.send_text("/accounts")
    listing = await user.wait_for("Your TikTok accounts")
    # The mark survived the error that reported it.
    assert "needs re-link" in (listing.text or "")
    services = harness.bot.services
    assert services is not None
    [account] = await services.accounts.linked(user.id)
    assert account.needs_relink
    told_times = [m for m in user.messages() if "no longer accepts" in (m.text or "")]
    assert len(told_times) == 1
    assert harness.tg.errors == []


class Crash(Exception):
    """The process dies here: nothing after this point reaches the database."""


async def test_crash_between_submit_and_job_creation_leaves_a_draft_to_post_again(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await linked_user(harness)
    video = write_video(tmp_path / "clip.mp4", 1 * MIB)
    await user.send_video(video.path, duration=9)
    composer = await user.wait_for("Posting to")
    composer = await tap_and_wait(user, composer, "🔒 Only me", "✅ 🔒 Only me")

    dead = False
    real_add = PublishJobRepository.add
    real_commit = AsyncSession.commit

    async def crashing_add(self: PublishJobRepository, **kwargs: Any) -> Any:
        nonlocal dead
        dead = True
        raise Crash("killed while creating the job")

    def guarded(
        commit: Callable[[AsyncSession], Coroutine[Any, Any, None]],
    ) -> Callable[[AsyncSession], Coroutine[Any, Any, None]]:
        async def commit_unless_dead(self: AsyncSession) -> None:
            if dead:
                raise Crash("the process is gone")
            await commit(self)

        return commit_unless_dead

    monkeypatch.setattr(PublishJobRepository, "add", crashing_add)
    monkeypatch.setattr(AsyncSession, "commit", guarded(real_commit))
    await user.tap(composer, "🚀 Post to TikTok")
    await user.wait_for("Something went wrong")
    monkeypatch.setattr(PublishJobRepository, "add", real_add)
    monkeypatch.setattr(AsyncSession, "commit", real_commit)
    dead = False
    await harness.restart_bot()

    # The user taps Post again on the same composer: it posts, once.
    again = await user.tap(composer, "🚀 Post to TikTok")
    assert "already on its way" not in ((await user.wait_for_answer(again)).text or "")
    await user.wait_for(
        lambda m: "Only me" in (m.text or "") and "posted" in (m.text or ""), timeout=30
    )
    assert len(harness.sandbox.publishes) == 1
