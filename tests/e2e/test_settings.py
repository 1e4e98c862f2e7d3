"""/settings: choosing the time zone scheduled posts are shown and typed in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulators.telegram import FakeUser
from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path) as running:
        yield running


async def stored_zone(harness: Harness, user: FakeUser) -> str | None:
    services = harness.bot.services
    assert services is not None and services.preferences is not None
    zone = await services.preferences.time_zone(user.id)
    return zone.name if zone else None


async def test_pick_a_common_zone(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/settings")
    overview = await user.wait_for("Settings")
    assert "not chosen yet" in (overview.text or "")
    await user.tap(overview, "Berlin")
    await user.wait_for("Time zone set to Europe/Berlin")
    assert await stored_zone(harness, user) == "Europe/Berlin"

    await user.send_text("/settings")
    overview = await user.wait_for("Settings")
    assert "Europe/Berlin" in (overview.text or "")


async def test_type_a_city_or_an_offset(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/settings")
    await user.tap(await user.wait_for("Settings"), "⌨️ Type a city or UTC offset")
    await user.wait_for("Type your city")
    await user.send_text("Atlantis")
    await user.wait_for("I don't know the time zone “Atlantis”")
    assert await stored_zone(harness, user) is None
    await user.send_text("new york")
    await user.wait_for("Time zone set to America/New_York")
    assert await stored_zone(harness, user) == "America/New_York"

    # Answered: later text is not read as a zone any more.
    await user.send_text("UTC+2")
    reply = await user.wait_for(lambda m: "UTC+02:00" not in (m.text or ""))
    assert "Time zone set" not in (reply.text or "")
    assert await stored_zone(harness, user) == "America/New_York"

    await user.send_text("/settings")
    await user.tap(await user.wait_for("Settings"), "⌨️ Type a city or UTC offset")
    await user.wait_for("Type your city")
    await user.send_text("UTC+5:30")
    done = await user.wait_for("Time zone set to UTC+05:30")
    assert "daylight saving" in (done.text or "")
    assert harness.tg.errors == []
