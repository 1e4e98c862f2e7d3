"""Expiry on time: the card turns "⌛ expired" on the periodic beat, with nobody touching it.

The beat is the cluster-once job of bot/app.py (one process per half
minute); the test beats it fast and moves the injected clock instead of
waiting days.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.app import TEAM_EXPIRY_JOB
from handlers.cluster_jobs import half_minute
from storage.models_cluster import ClusterLease
from tests.e2e.test_teams import DAY, acme, submit_video
from tests.integration.support import fast_options
from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    options = dataclasses.replace(fast_options(), team_expiry_every=0.05)
    async with running_bot(tmp_path, options=options) as running:
        yield running


async def beat_done(harness: Harness) -> None:
    """Wait until the expiry job has run for the clock's current period."""
    period = half_minute(harness.bot.options.clock())
    async with asyncio.timeout(10):
        while True:
            async with harness.bot.db.transaction() as session:
                lease = await session.get(ClusterLease, (TEAM_EXPIRY_JOB, period))
                if lease is not None and lease.done:
                    return
            await asyncio.sleep(0.02)  # the beat sends nothing to wait on: read its lease


async def test_the_card_expires_at_the_expiry_time(harness: Harness, tmp_path: Path) -> None:
    team = await acme(harness)
    card = await submit_video(harness, team, tmp_path, "On time")
    assert harness.bot.services is not None and harness.bot.services.teams is not None
    teams = harness.bot.services.teams

    harness.clock.advance(7 * DAY - 60)  # a minute early: the beat leaves it pending
    await beat_done(harness)
    pending = await teams.card(1)
    assert pending is not None and pending.approval.status == "pending"
    [shown] = [m for m in team.group.messages() if m.message_id == card.message_id]
    assert "Waiting for the account owner" in shown.visible_text

    harness.clock.advance(61)  # just past the expiry time: the next beat expires it
    edited = await team.in_group["ana"].wait_for("⌛ expired")
    assert edited.message_id == card.message_id and edited.buttons == []
    await team.editor.wait_for("expired before it was approved")
    async with harness.bot.db.transaction() as session:
        leases = (await session.exec(select(ClusterLease))).all()
    assert any(lease.job == TEAM_EXPIRY_JOB for lease in leases)
    assert harness.sandbox.publishes == {}
    assert harness.tg.errors == []
