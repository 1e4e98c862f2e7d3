"""/stats end to end: the real bot, the fake Telegram server, the sandbox TikTok.

Expected numbers are computed from what the sandbox holds (its accounts and
videos), never typed in: if the bot showed another number, the test fails.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from PIL import Image

from bot.app import RunOptions
from bot.insights import DAILY_SNAPSHOT_JOB
from bot.texts.humanize import compact_number
from emulators.telegram import BotMessage, FakeUser
from emulators.tiktok import SandboxAccount
from emulators.tiktok.records import Video as SandboxVideo
from tests.support.harness import Harness, running_bot

DAY = 86_400
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def ana() -> SandboxAccount:
    return SandboxAccount(
        open_id="open-ana",
        username="ana.makes",
        display_name="Ana Makes",
        is_verified=True,
        follower_count=1_234,
        following_count=80,
        likes_count=45_678,
        seed_videos=12,
    )


def bo() -> SandboxAccount:
    return SandboxAccount(
        open_id="open-bo",
        username="bo.private",
        display_name="Bo",
        private_account=True,
        follower_count=90,
        following_count=12,
        likes_count=310,
        seed_videos=3,
    )


class FakePublishedPosts:
    """Stands in for the publishing feature: which videos the bot posted, per account."""

    def __init__(self) -> None:
        self.ids: dict[int, list[str]] = {}

    async def published_video_ids(self, account_id: int) -> list[str]:
        return list(self.ids.get(account_id, []))


class ShortLinkHost:
    """vm.tiktok.com / vt.tiktok.com / www.tiktok.com/t/ as a MockTransport: url -> Location."""

    def __init__(self) -> None:
        self.redirects: dict[str, str] = {}
        self.requests: list[httpx.Request] = []

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            location = self.redirects.get(str(request.url))
            if location is None:
                return httpx.Response(404)
            return httpx.Response(301, headers={"Location": location})

        return httpx.MockTransport(handler)


@asynccontextmanager
async def stats_bot(
    tmp_path: Path,
    *,
    accounts: Sequence[SandboxAccount] | None = None,
    published: FakePublishedPosts | None = None,
    short_links: ShortLinkHost | None = None,
) -> AsyncIterator[Harness]:
    options = RunOptions(
        published_posts=published or FakePublishedPosts(),
        short_link_transport=(short_links or ShortLinkHost()).transport(),
    )
    async with running_bot(
        tmp_path, accounts=list(accounts or [ana(), bo()]), options=options
    ) as harness:
        yield harness


async def link(
    harness: Harness, user: FakeUser, open_id: str = "open-ana", untick: Sequence[str] = ()
) -> None:
    await harness.open_link(user, open_id=open_id, untick=untick)
    await user.wait_for(lambda m: "Linked" in m.visible_text and m.kind == "text")


def numbers_line(video: SandboxVideo) -> str:
    rate = (video.like_count + video.comment_count + video.share_count) / video.view_count
    return (
        f"👁 {compact_number(video.view_count)}  ❤️ {compact_number(video.like_count)}  "
        f"💬 {compact_number(video.comment_count)}  🔁 {compact_number(video.share_count)}  "
        f"⚡ {rate * 100:.1f}%"
    )


def top_hashtag(videos: Sequence[SandboxVideo]) -> tuple[str, int, int]:
    """The best tag by average views (then use count, then name), computed independently."""
    views: dict[str, list[int]] = {}
    for video in videos:
        for tag in {w[1:].lower() for w in video.title.split() if w.startswith("#")}:
            views.setdefault(tag, []).append(video.view_count)
    ranked = sorted(views.items(), key=lambda kv: (-(sum(kv[1]) // len(kv[1])), -len(kv[1]), kv[0]))
    tag, counts = ranked[0]
    return tag, sum(counts) // len(counts), len(counts)


def flat(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def sandbox_now(harness: Harness) -> datetime:
    return datetime.fromtimestamp(harness.clock.now(), UTC)


async def test_overview_numbers_videos_hashtags_and_paging(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user)
        await user.send_text("/stats")
        overview = await user.wait_for("followers")
        text = overview.visible_text
        account = harness.sandbox.accounts["open-ana"]
        posts = harness.sandbox.posts("open-ana")
        assert "Ana Makes" in text and "@ana.makes" in text and "☑️" in text
        assert f"{compact_number(account.follower_count)} followers" in text
        assert f"{compact_number(account.following_count)} following" in text
        assert f"{compact_number(account.likes_count)} likes" in text
        assert f"{len(posts)} videos" in text
        assert "First look" in text
        for number, video in enumerate(posts[:5], start=1):
            assert f"{number}. {video.title}" in text
            assert numbers_line(video) in text
        assert posts[5].title not in text
        tag, average, uses = top_hashtag(posts[:20])
        first_tag_line = next(line for line in text.splitlines() if line.startswith("#"))
        assert first_tag_line.startswith(f"#{tag} — {compact_number(average)} avg views · {uses}")
        assert flat(overview) == ["⬇️ More videos", "📤 Posts from this bot"]

        await user.tap(overview, "⬇️ More videos")
        page2 = await user.wait_for("Older videos")
        for number, video in enumerate(posts[5:10], start=6):
            assert f"{number}. {video.title}" in page2.visible_text
            assert numbers_line(video) in page2.visible_text
        assert posts[10].title not in page2.visible_text
        # The used More button is gone, so the same page cannot be sent twice.
        await user.wait_for(
            lambda m: m.message_id == overview.message_id and flat(m) == ["📤 Posts from this bot"]
        )

        await user.tap(page2, "⬇️ More videos")
        page3 = await user.wait_for(
            lambda m: "Older videos" in m.visible_text and "11." in m.visible_text
        )
        assert [f"{n}. {v.title}" in page3.visible_text for n, v in enumerate(posts[10:], 11)] == [
            True,
            True,
        ]
        assert flat(page3) == []  # has_more was false: no More button

        pages = [r.json for r in harness.sandbox.requests if r.path == "/v2/video/list/"]
        cursors = [p.get("cursor") for p in pages if p.get("max_count") == 5]
        assert cursors == [None, posts[4].create_ms, posts[9].create_ms]
        assert harness.tg.errors == []


async def test_changes_since_the_previous_look_and_a_growth_chart(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user)
        first_look = sandbox_now(harness)
        await user.send_text("/stats")
        await user.wait_for("First look")
        assert harness.tg.calls_to("sendPhoto") == []  # one point is not a chart

        harness.clock.advance(3 * DAY + 3600)
        account = harness.sandbox.accounts["open-ana"]
        account.follower_count += 320
        account.likes_count += 1_500
        await user.send_text("/stats")
        second = await user.wait_for("+320")
        text = second.visible_text
        weekday = WEEKDAYS[first_look.weekday()]
        assert f"+320 followers, +{compact_number(1_500)} likes since {weekday}" in text
        assert f"{compact_number(account.follower_count)} followers" in text

        chart = await user.wait_for(lambda m: m.kind == "photo")
        assert chart.photo is not None
        png = chart.photo.read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert 10_000 < len(png) < 1_000_000
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width == 1080 and image.height >= 800
        assert "Growth of @ana.makes" in chart.visible_text
        [call] = harness.tg.calls_to("sendPhoto")
        assert call.ok

        harness.clock.advance(3600)
        account.follower_count -= 20
        await user.send_text("/stats")
        third = await user.wait_for("−20")
        assert "−20 followers in the last hour" in third.visible_text
        await user.wait_for(lambda m: m.kind == "photo")
        assert len(harness.tg.calls_to("sendPhoto")) == 2
        assert harness.tg.errors == []


async def test_one_video_by_every_kind_of_link(tmp_path: Path) -> None:
    short_links = ShortLinkHost()
    async with stats_bot(tmp_path, short_links=short_links) as harness:
        user = harness.user()
        await link(harness, user)
        video = harness.sandbox.posts("open-ana")[2]
        short_links.redirects.update(
            {
                "https://vm.tiktok.com/ZMana1/": f"{video.share_url}?_r=1&_t=ZM8abc",
                "https://vt.tiktok.com/ZSana2/": "https://www.tiktok.com/t/ZTana3/",
                "https://www.tiktok.com/t/ZTana3/": f"https://m.tiktok.com/v/{video.id}.html",
            }
        )
        forms = [
            f"{video.share_url}?is_from_webapp=1&sender_device=pc",
            f"https://m.tiktok.com/v/{video.id}.html",
            video.id,
            "https://vm.tiktok.com/ZMana1/",
            "vt.tiktok.com/ZSana2/",
            f"tiktok.com/@ana.makes/video/{video.id}",
        ]
        for form in forms:
            await user.send_text(f"/stats {form}")
            shown = await user.wait_for("engagement (")
            text = shown.visible_text
            assert video.title in text, form
            assert f"{compact_number(video.view_count)} views" in text
            assert f"{compact_number(video.like_count)} likes" in text
            assert f"{compact_number(video.comment_count)} comments" in text
            assert f"{compact_number(video.share_count)} shares" in text
        assert {r.url.host for r in short_links.requests} == {
            "vm.tiktok.com",
            "vt.tiktok.com",
            "www.tiktok.com",
        }
        queries = [r.json for r in harness.sandbox.requests if r.path == "/v2/video/query/"]
        assert all(q["filters"]["video_ids"] == [video.id] for q in queries)

        await user.send_text("/stats hello there")
        await user.wait_for("couldn't find a TikTok video")
        await user.send_text("/stats https://vm.tiktok.com/ZMnowhere/")
        await user.wait_for("doesn't lead to a TikTok video")
        other = harness.sandbox.posts("open-bo")[0]  # Bo's video: not linked here
        await user.send_text(f"/stats {other.share_url}")
        await user.wait_for("isn't on any of your linked TikTok accounts")
        assert harness.tg.errors == []


async def test_missing_scopes_are_named_with_a_relink_button(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user, untick=["user.info.stats", "video.list"])
        await user.send_text("/stats")
        shown = await user.wait_for("linked without")
        text = shown.visible_text
        assert "user.info.stats" in text and "video.list" in text
        assert "followers" not in text.split("linked without")[0]
        assert "🔄 Re-link @ana.makes" in flat(shown)
        asked = {
            r.query.get("fields") for r in harness.sandbox.requests if r.path == "/v2/user/info/"
        }
        assert not any(
            "follower_count" in (f or "") for f in asked
        )  # never asked for what it may not read

        await user.send_text(f"/stats {harness.sandbox.posts('open-ana')[0].id}")
        refused = await user.wait_for("can't read your videos")
        assert "🔄 Re-link @ana.makes" in flat(refused)
        await user.tap(refused, "🔄 Re-link @ana.makes")
        await user.wait_for("sign in to TikTok again")
        assert harness.tg.errors == []


async def test_tiktok_refusals_become_plain_words(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user)
        harness.sandbox.faults.fail_endpoint(
            "/v2/user/info/", status=429, code="rate_limit_exceeded"
        )
        await user.send_text("/stats")
        await user.wait_for("slow down")
        harness.sandbox.faults.fail_endpoint("/v2/video/list/", status=500, code="internal_error")
        await user.send_text("/stats")
        await user.wait_for("isn't answering")
        # A scope revoked at TikTok after linking reads as a missing scope, not a crash.
        harness.sandbox.faults.fail_endpoint(
            "/v2/video/list/", status=401, code="scope_not_authorized", times=2
        )
        await user.send_text("/stats")
        await user.wait_for(
            lambda m: "video.list" in m.visible_text and "followers" in m.visible_text
        )
        texts = [m.visible_text for m in user.messages()]
        assert not any("Traceback" in t or "Error" in t for t in texts)
        assert harness.tg.errors == []


async def test_posts_from_this_bot(tmp_path: Path) -> None:
    published = FakePublishedPosts()
    async with stats_bot(tmp_path, published=published) as harness:
        user = harness.user()
        await link(harness, user)
        services = harness.bot.services
        assert services is not None
        [account] = await services.accounts.linked(user.id)
        posts = harness.sandbox.posts("open-ana")
        published.ids[account.id] = [posts[1].id, posts[4].id, "7399999999999999999"]
        await user.send_text("/stats")
        overview = await user.wait_for("followers")
        await user.tap(overview, "📤 Posts from this bot")
        listed = await user.wait_for("from this bot")
        text = listed.visible_text
        for number, video in ((1, posts[1]), (2, posts[4])):
            assert f"{number}. {video.title}" in text
            assert numbers_line(video) in text
        assert "1 more post isn’t visible" in text

        published.ids[account.id] = []
        await user.tap(overview, "📤 Posts from this bot")
        await user.wait_for("Nothing posted to @ana.makes through me yet")
        assert harness.tg.errors == []


async def test_several_accounts_default_first_and_foreign_buttons(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user, "open-ana")
        await link(harness, user, "open-bo")
        await user.send_text("/stats")
        picker = await user.wait_for("Which account")
        assert flat(picker) == ["⭐ @ana.makes", "@bo.private"]
        await user.tap(picker, "@bo.private")
        shown = await user.wait_for(lambda m: "👤 Bo" in m.visible_text)
        bo_account = harness.sandbox.accounts["open-bo"]
        assert f"{compact_number(bo_account.follower_count)} followers" in shown.visible_text
        assert "👥 Another account" in flat(shown)
        await user.tap(shown, "👥 Another account")
        await user.wait_for("Which account")

        services = harness.bot.services
        assert services is not None
        ana_id = (await services.accounts.linked(user.id))[0].id
        eve = harness.user(3003, "Eve")
        await eve.send_text("/help")
        help_message = await eve.wait_for("What I can do")
        forged = (
            f"st:{ana_id}:show",
            f"st:{ana_id}:posts",
            f"st:{ana_id}:m:1:6",
            "st:0:pick",  # Eve has no account to pick from
            "st:x:show",
            "st:1:show:extra",
            "st",
            "st:",
        )
        for data in forged:
            query_id = await eve.tap_data(help_message.message_id, data)
            answer = await eve.wait_for_answer(query_id)
            assert answer.text == "This button is no longer active.", data
        assert not any("👤" in m.visible_text for m in eve.messages())
        assert harness.tg.errors == []


async def test_daily_snapshot_job(tmp_path: Path) -> None:
    async with stats_bot(tmp_path) as harness:
        user = harness.user()
        await link(harness, user)
        application = harness.bot.application
        assert application is not None and application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(DAILY_SNAPSHOT_JOB)
        before = len([r for r in harness.sandbox.requests if r.path == "/v2/user/info/"])
        await job.run(application)  # what the scheduler does at 04:00 UTC
        infos = [r for r in harness.sandbox.requests if r.path == "/v2/user/info/"][before:]
        assert len(infos) == 1 and "follower_count" in infos[0].query["fields"]
        await job.run(application)  # a second run the same day stores nothing new
        assert (
            len([r for r in harness.sandbox.requests if r.path == "/v2/user/info/"]) == before + 1
        )

        harness.clock.advance(DAY)
        harness.sandbox.accounts["open-ana"].follower_count += 5
        await user.send_text("/stats")
        shown = await user.wait_for("followers")
        assert "+5 followers" in shown.visible_text  # measured against the job's snapshot
        await user.wait_for(lambda m: m.kind == "photo")
        assert harness.tg.errors == []
