"""The composer's Post later: pick a time in your zone, the post goes out then as composed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.publishing.jobs import JobState
from bot.scheduling.zones import TimeZoneChoice
from emulators.telegram import BotMessage, FakeUser
from tests.integration.support import (
    fast_options,
    jobs_of,
    publishing,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def buttons(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def tap_until(user: FakeUser, message: BotMessage, label: str, shows: str) -> BotMessage:
    await user.tap(message, label)
    return await user.wait_for(lambda m: shows in buttons(m))


async def linked_user(harness: Harness) -> FakeUser:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    return user


async def composed(harness: Harness, user: FakeUser, tmp_path: Path, caption: str) -> BotMessage:
    """A video with Friends and Comment chosen, ready to post."""
    video = write_video(tmp_path / f"{len(caption)}.mp4", 2 * MIB + 3)
    await user.send_video(video.path, duration=15, caption=caption)
    composer = await user.wait_for("Posting to")
    assert "🗓 Post later" not in buttons(composer)  # no privacy chosen yet: nothing to schedule
    composer = await tap_until(user, composer, "👥 Friends", "✅ 👥 Friends")
    return await tap_until(user, composer, "⬜ Comment", "✅ Comment")


async def test_post_later_goes_out_at_the_chosen_time_with_the_chosen_settings(
    harness: Harness, tmp_path: Path
) -> None:
    user = await linked_user(harness)
    composer = await composed(harness, user, tmp_path, "Sunrise tomorrow #later")
    await user.tap(composer, "🗓 Post later")
    await user.tap(await user.wait_for("Which time zone"), "Berlin")
    times = await user.wait_for("When should your video go out")
    await user.tap(times, "Tomorrow 09:00")
    done = await user.wait_for("Scheduled for")
    assert "09:00 (Europe/Berlin)" in (done.text or "")
    assert harness.sandbox.publishes == {}
    own = await user.wait_for("will be posted to")  # the post's own message, same clock
    assert "09:00 (Europe/Berlin)" in (own.text or "") and "/queue" in (own.text or "")

    services = harness.bot.services
    assert services is not None
    [job] = await jobs_of(harness, user.id)
    berlin = TimeZoneChoice("Europe/Berlin").tz
    assert job.state == JobState.QUEUED and job.not_before.astimezone(berlin).hour == 9
    harness.clock.advance((job.not_before - harness.bot.options.clock()).total_seconds() + 1)
    await wait_for_job(publishing(harness), job.id, lambda j: j.final, within=30)
    await user.wait_for("is live")
    [publish] = harness.sandbox.publishes.values()
    assert publish.post_info is not None
    assert publish.post_info["title"] == "Sunrise tomorrow #later"
    assert publish.post_info["privacy_level"] == "MUTUAL_FOLLOW_FRIENDS"
    assert publish.post_info["disable_comment"] is False
    assert publish.post_info["disable_duet"] is True


async def test_a_typed_time_in_the_remembered_zone(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    assert harness.bot.services is not None and harness.bot.services.preferences is not None
    await harness.bot.services.preferences.set_time_zone(user.id, TimeZoneChoice("UTC-05:00"))
    composer = await composed(harness, user, tmp_path, "Typed time")
    await user.tap(composer, "🗓 Post later")
    times = await user.wait_for("When should your video go out")  # the zone is not asked again
    await user.tap(times, "⌨️ Type a time")
    await user.wait_for("For example")
    await user.send_text("2020-01-01 10:00")
    await user.wait_for("That time has already passed")
    await user.send_text("in 40 days")
    await user.wait_for("up to 30 days ahead")
    await user.send_text("in 90 min")
    done = await user.wait_for("Scheduled for")
    assert "(UTC-05:00)" in (done.text or "")
    [job] = await jobs_of(harness, user.id)
    due_in = job.not_before - harness.bot.options.clock()
    assert timedelta(minutes=89) < due_in <= timedelta(minutes=90)
    # Answered: the next text is not read as a time.
    await user.send_text("in 2 hours")
    reply = await user.wait_for(lambda m: "Scheduled for" not in (m.text or ""))
    assert "Rescheduled" not in (reply.text or "")
    assert len(await jobs_of(harness, user.id)) == 1


async def test_post_later_then_back_to_the_composer(harness: Harness, tmp_path: Path) -> None:
    user = await linked_user(harness)
    assert harness.bot.services is not None and harness.bot.services.preferences is not None
    await harness.bot.services.preferences.set_time_zone(user.id, TimeZoneChoice("Asia/Tokyo"))
    composer = await composed(harness, user, tmp_path, "Changed my mind")
    await user.tap(composer, "🗓 Post later")
    times = await user.wait_for("When should your video go out")
    await user.tap(times, "↩️ Back to the post")
    back = await user.wait_for(lambda m: "✅ 👥 Friends" in buttons(m))
    await user.tap(back, "🚀 Post to TikTok")
    await user.wait_for("is live", timeout=30)
    assert len(harness.sandbox.publishes) == 1
