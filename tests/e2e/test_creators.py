"""/stats @name, /following, /compare, /watch end to end against both creator emulators.

Expected numbers are computed from the emulators' world (the objects they
answer from), never typed in.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from bot.creators import DAILY_WATCH_JOB
from bot.texts.humanize import compact_number
from emulators.creators import DETAIL_PATH, LIST_PATH, SeededCreator, SeededVideo
from emulators.creators.user_info import FOLLOWINGS_PATH, USER_INFO_PATH
from emulators.telegram import BotMessage
from tests.support.creators import API_KEY, CreatorsBot, creators_bot

DAY = 86_400


def numbers_line(video: SeededVideo) -> str:
    """What the bot must show for a video, computed here from the emulator's data."""
    interactions = video.digg_count + video.comment_count + video.share_count + video.collect_count
    return (
        f"👁 {compact_number(video.play_count)}  ❤️ {compact_number(video.digg_count)}  "
        f"💬 {compact_number(video.comment_count)}  🔁 {compact_number(video.share_count)}  "
        f"🔖 {compact_number(video.collect_count)}  ⚡ {interactions / video.play_count * 100:.1f}%"
    )


def best_tag(videos: Sequence[SeededVideo]) -> tuple[str, int, int]:
    views: dict[str, list[int]] = {}
    for video in videos:
        for tag in set(video.hashtags):
            views.setdefault(tag, []).append(video.play_count)
    ranked = sorted(views.items(), key=lambda kv: (-(sum(kv[1]) // len(kv[1])), -len(kv[1]), kv[0]))
    tag, counts = ranked[0]
    return tag, sum(counts) // len(counts), len(counts)


def median(videos: Sequence[SeededVideo]) -> int:
    return int(statistics.median(v.play_count for v in videos))


def flat(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def creator(bot: CreatorsBot, username: str) -> SeededCreator:
    found = bot.world.by_username(username)
    assert found is not None
    return found


async def test_stats_of_any_creator_numbers_summary_chart_and_paging_to_the_end(
    tmp_path: Path,
) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        lily = creator(bot, "lily_fashion_us")
        videos = lily.public_videos()
        assert len(videos) == 47  # three pages of 20, 20 and 7
        await user.send_text("/stats @lily_fashion_us")
        report = await user.wait_for("Latest videos")
        text = report.visible_text
        assert "Lily Fashion · @lily_fashion_us ☑️" in text
        assert f"{compact_number(lily.followers)} followers" in text
        assert f"{compact_number(lily.following_count)} following" in text
        assert f"{compact_number(lily.likes)} likes · 🎬 {len(videos)} videos" in text
        assert f"median {compact_number(median(videos[:20]))} views" in text
        tag, average, uses = best_tag(videos[:20])
        assert f"#{tag} — {compact_number(average)} avg views · {uses} videos" in text
        for number, video in enumerate(videos[:10], start=1):
            assert f"\n{number}. " in text
            assert numbers_line(video) in text
        assert numbers_line(videos[10]) not in text
        assert flat(report) == ["⬇️ More videos", "👀 Watch"]

        chart = await user.wait_for(lambda m: m.kind == "photo")
        assert chart.photo is not None and chart.photo.read_bytes().startswith(b"\x89PNG")
        assert "Views of the last 20 videos of @lily_fashion_us" in chart.visible_text

        # Ten per message, to the end: 11-20 come from the cached first page.
        pages_seen: list[str] = []
        seen_ids = {report.message_id}
        message = tapped = report
        while "⬇️ More videos" in flat(message):
            tapped = message
            await user.tap(message, "⬇️ More videos")
            message = await user.wait_for(
                lambda m: "Older videos" in m.visible_text and m.message_id not in seen_ids
            )
            seen_ids.add(message.message_id)
            pages_seen.append(message.visible_text)
        assert len(pages_seen) == 4  # 11-20, 21-30, 31-40, 41-47
        everything = "\n".join(pages_seen)
        for number, video in enumerate(videos[10:], start=11):
            assert f"\n{number}. " in everything
            assert numbers_line(video) in everything
        assert "\n48. " not in everything
        # Each used More button is gone, so no page is sent twice.
        await user.wait_for(lambda m: m.message_id == tapped.message_id and not m.buttons)
        live = {m.message_id: m for m in user.messages()}
        assert flat(live[report.message_id]) == ["👀 Watch"]
        assert all(flat(live[i]) == [] for i in seen_ids - {report.message_id})

        pages = bot.videos.calls(LIST_PATH)
        assert [p.query["max_cursor"] for p in pages] == [
            "0",
            str(videos[19].create_ms),
            str(videos[39].create_ms),
        ]
        assert {p.query["limit"] for p in pages} == {"20"}
        assert all(p.authorization == f"Bearer {API_KEY}" for p in pages)
        assert all(p.status == 200 for p in bot.videos.requests)
        assert bot.harness.tg.errors == []


async def test_profile_link_and_sec_user_id_and_a_repeated_lookup_from_the_cache(
    tmp_path: Path,
) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        marco = creator(bot, "chef.marco")
        newest = marco.public_videos()[0]
        await user.send_text("/stats https://www.tiktok.com/@chef.marco?lang=en")
        first = await user.wait_for("Latest videos")
        assert "@chef.marco" in first.visible_text and numbers_line(newest) in first.visible_text
        await user.send_text("/stats @Chef.Marco")
        again = await user.wait_for("Latest videos")
        assert numbers_line(newest) in again.visible_text
        # The second look came from the cache: one request to each provider in all.
        assert len(bot.profiles.calls(USER_INFO_PATH)) == 1
        assert len(bot.videos.calls(LIST_PATH)) == 1

        await user.send_text(f"/stats {marco.sec_uid}")
        by_id = await user.wait_for("Latest videos")
        assert "Marco Cooks · @chef.marco" in by_id.visible_text
        assert numbers_line(newest) in by_id.visible_text
        assert len(bot.videos.calls(LIST_PATH)) == 1  # same account, same page: cached


async def test_a_429_is_honoured_with_its_wait(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        # Someone else on the operator's key (another process) burns the second.
        async with httpx.AsyncClient() as other:
            statuses = [
                (
                    await other.get(
                        bot.videos.base_url + LIST_PATH,
                        params={"sec_user_id": creator(bot, "chef.marco").sec_uid},
                        headers={"Authorization": f"Bearer {API_KEY}"},
                    )
                ).status_code
                for _ in range(4)
            ]
        assert statuses == [200, 200, 200, 429]
        await user.send_text("/stats @runwithpriya")
        report = await user.wait_for("Latest videos")
        assert numbers_line(creator(bot, "runwithpriya").public_videos()[0]) in report.visible_text
        bot_calls = bot.videos.requests[4:]
        assert [r.status for r in bot_calls] == [429, 200]
        # The bot waited what the provider said (15 s on the shared clock), then retried once.
        waited = [w for w in bot.sleep.waits if w > 10]
        assert len(waited) == 1 and 14 < waited[0] <= 15
        assert bot_calls[1].time - bot_calls[0].time >= 14


async def test_the_rate_limiter_keeps_three_requests_a_second(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        names = ["chef.marco", "runwithpriya", "techtok.sam", "plantmom.jo", "daily.dose.dan"]
        for name in names:
            await user.send_text(f"/stats @{name}")
            await user.wait_for("Latest videos")
        calls = bot.videos.calls(LIST_PATH)
        assert len(calls) == 5 and all(c.status == 200 for c in calls)
        times = [c.time for c in calls]
        assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[3:], strict=False))


async def test_quota_refuses_politely_and_cached_lookups_stay_free(tmp_path: Path) -> None:
    async with creators_bot(tmp_path, overrides={"creator_lookups_per_day": 2}) as bot:
        user = bot.harness.user()
        await user.send_text("/stats @chef.marco")  # a profile and a video page: 2 lookups
        await user.wait_for("Latest videos")
        await user.send_text("/stats @techtok.sam")
        refused = await user.wait_for("creator lookups for today")
        assert "You've used your 2 creator lookups" in refused.visible_text
        assert len(bot.profiles.calls(USER_INFO_PATH)) == 1  # refused before asking
        await user.send_text("/stats @chef.marco")
        await user.wait_for("Latest videos")  # from the cache: no lookup spent
        other = bot.harness.user(2002, "Bo")
        await other.send_text("/stats @techtok.sam")
        await other.wait_for("Latest videos")  # the quota is per user


async def test_unknown_users_private_accounts_and_an_outage(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        await user.send_text("/stats @nobody.at.all")
        await user.wait_for("couldn't find @nobody.at.all")
        await user.send_text("/stats MS4wLjABAAAAthisAccountDoesNotExist0123456789")
        await user.wait_for("couldn't find MS4wLjABAAAAthis…")

        quiet = creator(bot, "quiet.corner")
        listed = len(bot.videos.calls(LIST_PATH))
        await user.send_text("/stats @quiet.corner")
        private = await user.wait_for("Private account")
        assert f"{compact_number(quiet.followers)} followers" in private.visible_text
        assert len(bot.videos.calls(LIST_PATH)) == listed  # nothing to list
        await user.send_text("/following @quiet.corner")
        await user.wait_for("@quiet.corner is a private account")

        bot.videos.down = True
        before = len(bot.videos.requests)
        await user.send_text("/stats @chef.marco")
        await user.wait_for("isn't answering right now")
        assert [r.status for r in bot.videos.requests[before:]] == [503, 503, 503]
        assert bot.sleep.waits[-2:] == [1.0, 2.0]  # backed off twice, then told the user
        bot.videos.down = False
        await user.send_text("/stats @chef.marco")
        await user.wait_for("Latest videos")  # failures are not cached


async def test_following_paged_to_the_end(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        lily = creator(bot, "lily_fashion_us")
        follows = [creator(bot, f.unique_id) for f in lily.followings]
        await user.send_text("/following @lily_fashion_us")
        first = await user.wait_for("follows")
        assert f"@lily_fashion_us follows {len(follows)} accounts" in first.visible_text
        seen: list[str] = [first.visible_text]
        page = first
        while "⬇️ More" in flat(page):
            await user.tap(page, "⬇️ More")
            page = await user.wait_for("More accounts @lily_fashion_us follows")
            seen.append(page.visible_text)
        assert len(seen) == 3  # 20 + 20 + 6
        everything = "\n".join(seen)
        for number, account in enumerate(follows, start=1):
            line = (
                f"{number}. @{account.unique_id}"
                if not account.verified
                else f"{number}. @{account.unique_id} ☑️"
            )
            assert line in everything
            assert (
                f"👥 {compact_number(account.followers)} followers · "
                f"❤️ {compact_number(account.likes)} likes · "
                f"🎬 {compact_number(len(account.videos))} videos"
            ) in everything
        cursors = [r.query["minCursor"] for r in bot.profiles.calls(FOLLOWINGS_PATH)]
        assert cursors == [
            "0",
            str(lily.followings[19].followed_at),
            str(lily.followings[39].followed_at),
        ]


async def test_compare_side_by_side_with_one_chart(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        names = ["chef.marco", "techtok.sam", "lily_fashion_us"]
        await user.send_text("/compare " + " ".join(f"@{n}" for n in names))
        table = await user.wait_for("Side by side")
        text = table.visible_text
        for name in names:
            seeded = creator(bot, name)
            sample = seeded.public_videos()[:20]
            views = sum(v.play_count for v in sample)
            rate = (
                sum(
                    v.digg_count + v.comment_count + v.share_count + v.collect_count for v in sample
                )
                / views
            )
            span = (sample[0].create_time - sample[-1].create_time) / (7 * DAY)
            block = text.split(f"@{name}\n", 1)[1].split("\n\n", 1)[0]
            assert f"👥 {compact_number(seeded.followers)} followers" in block
            assert f"👁 {compact_number(median(sample))} median views" in block
            assert f"⚡ {rate * 100:.1f}% engagement" in block
            assert f"📅 {(len(sample) - 1) / span:.1f} posts/week" in block
        chart = await user.wait_for(lambda m: m.kind == "photo")
        assert chart.photo is not None and chart.photo.read_bytes().startswith(b"\x89PNG")
        assert "@chef.marco vs @techtok.sam vs @lily_fashion_us" in chart.visible_text
        assert len(bot.harness.tg.calls_to("sendPhoto")) == 1

        await user.send_text("/compare @chef.marco")
        await user.wait_for("/compare @first @second")
        await user.send_text("/compare @chef.marco video123!")
        await user.wait_for("isn't a creator I can look up")


async def test_watch_a_creator_then_an_alert_after_a_day(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        harness = bot.harness
        user = harness.user()
        marco = creator(bot, "chef.marco")
        await user.send_text("/watch @chef.marco")
        added = await user.wait_for("Watching")
        assert (
            f"median now: {compact_number(median(marco.public_videos()[:20]))}"
            in added.visible_text
        )
        await user.send_text("/watch @chef.marco")
        await user.wait_for("You already watch @chef.marco")

        # Overnight: followers grow and a new video takes off (3x the median).
        harness.clock.advance(DAY)
        marco.followers += 2_150
        usual = median(marco.public_videos()[:20])
        viral = SeededVideo(
            aweme_id="7600000000000000001",
            desc="The 10-minute carbonara everyone asked for #pasta",
            create_time=int(harness.clock.now()) - 3_600,
            duration_ms=41_200,
            play_count=usual * 3,
            digg_count=usual // 4,
            comment_count=usual // 90,
            share_count=usual // 200,
            collect_count=usual // 60,
            hashtags=["pasta"],
        )
        marco.add_video(viral)
        application = harness.bot.application
        assert application is not None and application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(DAILY_WATCH_JOB)
        # Two processes running the daily job at once: one snapshot, one alert.
        await asyncio.gather(job.run(application), job.run(application))
        alert = await user.wait_for("taking off")
        assert f"{compact_number(viral.play_count)} views" in alert.visible_text
        assert "The 10-minute carbonara" in alert.visible_text
        await job.run(application)  # a third run the same day changes nothing
        assert len([m for m in user.messages() if "taking off" in (m.text or "")]) == 1

        await user.send_text("/watch")
        listing = await user.wait_for("Your watchlist")
        assert (
            f"@chef.marco — 👥 {compact_number(marco.followers)} (+{compact_number(2_150)} since"
            in listing.visible_text
        )
        assert flat(listing) == ["✖️ @chef.marco"]
        unwatch = listing.buttons[0][0].callback_data
        assert unwatch is not None
        await user.tap(listing, "✖️ @chef.marco")
        await user.wait_for(
            lambda m: m.message_id == listing.message_id and "empty" in m.visible_text
        )
        await user.wait_for("Stopped watching @chef.marco")
        # The same button again (a double tap), and forged buttons.
        await user.tap_data(listing.message_id, unwatch)
        await user.wait_for("no longer active")
        for forged in ("crv:chef.marco:abc:0:1", "crw:1:y", "crf:../etc:0:1"):
            answer = await user.wait_for_answer(await user.tap_data(listing.message_id, forged))
            assert answer.text == "This button is no longer active."


async def test_watch_button_under_a_report(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        user = bot.harness.user()
        await user.send_text("/stats @plantmom.jo")
        report = await user.wait_for("Latest videos")
        await user.tap(report, "👀 Watch")
        await user.wait_for("Watching @plantmom.jo")
        assert len(bot.videos.calls(LIST_PATH)) == 1  # the watch reused the cached lookup


async def test_without_providers_the_commands_say_how_to_enable_them(tmp_path: Path) -> None:
    async with creators_bot(tmp_path, videos=False, profiles=False) as bot:
        user = bot.harness.user()
        for command in ("/stats @chef.marco", "/following @chef.marco", "/compare @a.b @c.d"):
            await user.send_text(command)
            reply = await user.wait_for("public-data provider")
            assert "USER_INFO_API_BASE_URL" in reply.visible_text
            assert "VIDEO_LIST_API_KEY" in reply.visible_text
        await user.send_text("/watch")
        await user.wait_for("watchlist is empty")


async def test_one_provider_alone(tmp_path: Path) -> None:
    async with creators_bot(tmp_path, videos=False) as bot:
        user = bot.harness.user()
        await user.send_text("/stats @chef.marco")
        reply = await user.wait_for("Marco Cooks")
        assert "need the video-list provider" in reply.visible_text
    async with creators_bot(tmp_path / "videos-only", profiles=False) as bot:
        user = bot.harness.user()
        await user.send_text("/stats @chef.marco")
        await user.wait_for("needs the user-info provider")
        marco = creator(bot, "chef.marco")
        await user.send_text(f"/stats {marco.sec_uid}")
        report = await user.wait_for("Latest videos")
        assert numbers_line(marco.public_videos()[0]) in report.visible_text


async def test_an_invalid_key_is_logged_for_the_operator_and_polite_to_the_user(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wrong_key = "wrong-key-9f8e7d6c5b4a"
    async with creators_bot(tmp_path, api_key=wrong_key) as bot:
        user = bot.harness.user()
        with caplog.at_level(logging.ERROR):
            await user.send_text("/stats @chef.marco")
            reply = await user.wait_for("couldn't answer that request")
        assert wrong_key not in reply.visible_text
        assert [r.status for r in bot.videos.calls(LIST_PATH)] == [401]
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "refused the API key" in logged and "VIDEO_LIST_API_KEY" in logged
        assert wrong_key not in logged


async def test_own_linked_account_stays_on_the_official_api(tmp_path: Path) -> None:
    async with creators_bot(tmp_path) as bot:
        harness = bot.harness
        user = harness.user()
        await harness.open_link(user, open_id="open-ana")
        await user.wait_for(lambda m: "Linked" in m.visible_text and m.kind == "text")
        await user.send_text("/stats @ana.makes")
        overview = await user.wait_for("followers")
        assert "First look" in overview.visible_text  # the official /stats overview
        assert bot.profiles.requests == [] and bot.videos.requests == []


async def test_a_video_link_of_someone_else_comes_from_the_video_list_provider(
    tmp_path: Path,
) -> None:
    async with creators_bot(tmp_path) as bot:
        harness = bot.harness
        user = harness.user()
        await harness.open_link(user, open_id="open-ana")
        await user.wait_for(lambda m: "Linked" in m.visible_text and m.kind == "text")
        video = creator(bot, "lily_fashion_us").public_videos()[0]
        await user.send_text(
            f"/stats https://www.tiktok.com/@lily_fashion_us/video/{video.aweme_id}"
        )
        shown = await user.wait_for("saves")
        text = shown.visible_text
        assert "by Lily Fashion (@lily_fashion_us)" in text
        assert f"{compact_number(video.play_count)} views" in text
        assert f"{compact_number(video.collect_count)} saves" in text
        # Asked TikTok first (the official API, for the user's own videos), then the provider.
        assert any(r.path == "/v2/video/query/" for r in harness.sandbox.requests)
        assert [r.query["aweme_id"] for r in bot.videos.calls(DETAIL_PATH)] == [video.aweme_id]
        await user.send_text("/stats 7000000000000000001")
        await user.wait_for("neither on your linked accounts nor publicly")
