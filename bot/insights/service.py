"""/stats: an account's numbers, what changed since the last look, its videos.

Every look stores a snapshot (and a daily job stores one for every linked
account), so changes and the growth chart need no TikTok history API.
Services return plain data; bot.texts words it and handlers send it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

from bot.accounts import AccountService, TokenManager
from bot.clock import Clock
from bot.errors import AccountNeedsRelink
from bot.insights.finder import LIST_SCOPE, FoundVideo, LookupFailed, VideoFinder
from bot.insights.hashtags import HashtagStat, top_hashtags
from bot.insights.published import PublishedPosts
from bot.tiktok import (
    ScopeMissing,
    TikTokClient,
    TikTokError,
    UserInfo,
    Video,
    VideosAPI,
    user_fields_for,
)
from storage.db import Database
from storage.repositories import LinkedAccount, SnapshotRecord, SnapshotRepository

log = logging.getLogger(__name__)

A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")

STATS_SCOPE = "user.info.stats"
PAGE_SIZE = 5  # videos per message: readable on a phone without scrolling forever
HASHTAG_SAMPLE = 20  # recent videos the hashtag ranking looks at (TikTok's page maximum)
BOT_POSTS_SHOWN = 15  # keeps the list far below Telegram's 4096 characters
HISTORY = timedelta(days=90)  # how far back the chart reaches
FEW_DAYS = timedelta(days=3)  # a history this short is charted by the hour, longer by the day
DAILY_GAP = timedelta(hours=20)  # the daily job skips accounts looked at more recently
# Same moment every day, so daily points are comparable; early UTC morning is quiet.
DAILY_SNAPSHOT_AT = time(4, 0, tzinfo=UTC)
DAILY_SNAPSHOT_JOB = "daily-stats-snapshots"
PROFILE_FIELDS = ("open_id", "display_name", "username", "is_verified")
STATS_FIELDS = ("follower_count", "following_count", "likes_count", "video_count")


@dataclass(frozen=True, slots=True)
class Numbers:
    """An account's public counters (None: not readable)."""

    followers: int | None
    following: int | None
    likes: int | None
    videos: int | None


@dataclass(frozen=True, slots=True)
class Change:
    """How the counters moved since `since` (unknown counters count as no change)."""

    since: datetime
    followers: int
    following: int
    likes: int
    videos: int

    @property
    def any(self) -> bool:
        """Whether anything moved."""
        return any((self.followers, self.following, self.likes, self.videos))


@dataclass(frozen=True, slots=True)
class VideoListing:
    """One page of an account's videos and how to get the next."""

    account_id: int
    videos: tuple[Video, ...]
    cursor: int | None
    has_more: bool


@dataclass(frozen=True, slots=True)
class AccountOverview:
    """Everything /stats shows for one account."""

    account: LinkedAccount
    profile: UserInfo
    numbers: Numbers | None
    change: Change | None
    history: tuple[SnapshotRecord, ...]
    videos: VideoListing | None
    hashtags: tuple[HashtagStat, ...]
    hashtag_sample: int
    missing_scopes: tuple[str, ...]
    now: datetime

    @property
    def chartable(self) -> bool:
        """Whether the history has two moments with a follower count to draw a line between."""
        return len({s.taken_at for s in self.history if s.follower_count is not None}) >= 2


@dataclass(frozen=True, slots=True)
class BotPosts:
    """The account's posts made through the bot, with their current numbers."""

    account: LinkedAccount
    videos: tuple[Video, ...]
    not_visible: tuple[str, ...]  # posted, but TikTok does not list them (private, removed)
    scope_missing: bool = False
    older: int = 0  # posts beyond the newest BOT_POSTS_SHOWN, left out of the message


class InsightsService:
    """Reads numbers from TikTok and keeps the snapshots that make changes visible."""

    def __init__(
        self,
        *,
        db: Database,
        accounts: AccountService,
        tokens: TokenManager,
        client: TikTokClient,
        videos: VideosAPI,
        finder: VideoFinder,
        published: PublishedPosts,
        clock: Clock,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._tokens = tokens
        self._client = client
        self._videos = videos
        self._published = published
        self._clock = clock
        self._finder = finder

    def now(self) -> datetime:
        """The service's clock (the moment "3 days ago" is measured from)."""
        return self._clock()

    async def overview(self, user_id: int, account_id: int) -> AccountOverview:
        """Profile, numbers, change since the previous look, videos and top hashtags."""
        account = await self._accounts.owned(user_id, account_id)
        now = self._clock()
        (profile, stats_ok), listing, sample = await _all(
            self._profile(account), self.videos(user_id, account_id), self._sample(account)
        )
        sample = sample if listing is not None else []
        missing = tuple(
            scope
            for scope, ok in ((STATS_SCOPE, stats_ok), (LIST_SCOPE, listing is not None))
            if not ok
        )
        numbers = change = None
        history: list[SnapshotRecord] = []
        if stats_ok:
            numbers = Numbers(
                profile.follower_count,
                profile.following_count,
                profile.likes_count,
                profile.video_count,
            )
            change, history = await self._record(account.id, numbers, now, source="look")
        return AccountOverview(
            account=account,
            profile=profile,
            numbers=numbers,
            change=change,
            history=tuple(history),
            videos=listing,
            hashtags=tuple(top_hashtags(sample)),
            hashtag_sample=len(sample),
            missing_scopes=missing,
            now=now,
        )

    async def numbers(self, account: LinkedAccount) -> Numbers | None:
        """The account's public counters now (None: the stats scope is not granted); no snapshot."""
        profile, stats_ok = await self._profile(account)
        if not stats_ok:
            return None
        return Numbers(
            profile.follower_count,
            profile.following_count,
            profile.likes_count,
            profile.video_count,
        )

    async def videos(
        self, user_id: int, account_id: int, cursor: int | None = None
    ) -> VideoListing | None:
        """A page of the account's videos, newest first; None without video.list."""
        account = await self._accounts.owned(user_id, account_id)
        if LIST_SCOPE not in account.scopes:
            return None

        async def page(token: str) -> VideoListing:
            got = await self._videos.page(token, cursor=cursor, max_count=PAGE_SIZE)
            return VideoListing(account.id, got.videos, got.cursor, got.has_more)

        try:
            return await self._tokens.call(account.id, page)
        except ScopeMissing:
            return None

    async def video(self, user_id: int, reference: str) -> FoundVideo | LookupFailed:
        """One video's numbers from a link or id the user sent."""
        video_id = await self._finder.video_id(reference)
        if isinstance(video_id, LookupFailed):
            return video_id
        return await self._finder.find(user_id, video_id)

    async def bot_posts(self, user_id: int, account_id: int) -> BotPosts:
        """Posts published through the bot, each with TikTok's current numbers."""
        account = await self._accounts.owned(user_id, account_id)
        every = await self._published.published_video_ids(account.id)
        ids, older = every[:BOT_POSTS_SHOWN], max(0, len(every) - BOT_POSTS_SHOWN)
        if not ids:
            return BotPosts(account, (), ())
        if LIST_SCOPE not in account.scopes:
            return BotPosts(account, (), tuple(ids), scope_missing=True, older=older)

        async def query(token: str) -> list[Video]:
            return await self._videos.query(token, ids)

        try:
            found = {v.id: v for v in await self._tokens.call(account.id, query)}
        except ScopeMissing:
            return BotPosts(account, (), tuple(ids), scope_missing=True, older=older)
        return BotPosts(
            account,
            tuple(found[i] for i in ids if i in found),
            tuple(i for i in ids if i not in found),
            older=older,
        )

    async def snapshot_all(self) -> int:
        """Store today's snapshot of every linked account that allows it; return how many."""
        now = self._clock()
        async with self._db.transaction() as session:
            due = await SnapshotRepository(session).accounts_due(
                scope=STATS_SCOPE, taken_before=now - DAILY_GAP
            )
        stored = 0
        for account_id in due:
            try:
                info = await self._tokens.call(
                    account_id,
                    lambda token: self._client.user_info(token, list(("open_id", *STATS_FIELDS))),
                )
            except (TikTokError, AccountNeedsRelink) as exc:
                # One account's trouble must not stop the others' snapshots.
                log.info("daily snapshot of account %s skipped: %s", account_id, exc)
                continue
            numbers = Numbers(
                info.follower_count, info.following_count, info.likes_count, info.video_count
            )
            await self._record(account_id, numbers, now, source="daily")
            stored += 1
        return stored

    async def _profile(self, account: LinkedAccount) -> tuple[UserInfo, bool]:
        """The profile with counters when allowed; the flag says whether they came."""
        fields = user_fields_for(account.scopes, (*PROFILE_FIELDS, *STATS_FIELDS))
        stats_ok = STATS_SCOPE in account.scopes
        try:
            return await self._user_info(account.id, fields), stats_ok
        except ScopeMissing:
            # Granted when linking, revoked in TikTok since: show what is still allowed.
            basic = [f for f in fields if f not in STATS_FIELDS]
            return await self._user_info(account.id, basic), False

    async def _user_info(self, account_id: int, fields: list[str]) -> UserInfo:
        async def fetch(token: str) -> UserInfo:
            return await self._client.user_info(token, fields)

        return await self._tokens.call(account_id, fetch)

    async def _sample(self, account: LinkedAccount) -> list[Video]:
        if LIST_SCOPE not in account.scopes:
            return []

        async def page(token: str) -> list[Video]:
            return list((await self._videos.page(token, max_count=HASHTAG_SAMPLE)).videos)

        try:
            return await self._tokens.call(account.id, page)
        except ScopeMissing:
            return []

    async def _record(
        self, account_id: int, numbers: Numbers, now: datetime, *, source: str
    ) -> tuple[Change | None, list[SnapshotRecord]]:
        """Store a snapshot; return the change since the previous one and the history."""
        async with self._db.transaction() as session:
            repo = SnapshotRepository(session)
            # "Since your last look" first; the daily job's points only when there was none.
            previous = await repo.latest(account_id, source=source) or await repo.latest(account_id)
            await repo.add(
                account_id,
                taken_at=now,
                follower_count=numbers.followers,
                following_count=numbers.following,
                likes_count=numbers.likes,
                video_count=numbers.videos,
                source=source,
            )
            since = now - HISTORY
            oldest = await repo.oldest(account_id, since=since)
            # A few days: the shape of each day (hourly); longer: one point a day.
            few_days = oldest is None or now - oldest <= FEW_DAYS
            history = await repo.history(account_id, since=since, per="hour" if few_days else "day")
        return (change_between(previous, numbers) if previous else None), history


async def _all(
    first: Coroutine[Any, Any, A], second: Coroutine[Any, Any, B], third: Coroutine[Any, Any, C]
) -> tuple[A, B, C]:
    """Run three calls at once; if one fails, cancel the others and raise its error as is.

    (asyncio.gather would leave the others running after a failure, and a
    TaskGroup would wrap the error in an ExceptionGroup the error handler
    does not know.)
    """
    tasks = (
        asyncio.ensure_future(first),
        asyncio.ensure_future(second),
        asyncio.ensure_future(third),
    )
    try:
        a, b, c = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return a, b, c


def change_between(previous: SnapshotRecord, now: Numbers) -> Change:
    """What moved from a stored snapshot to the numbers just read."""

    def delta(before: int | None, after: int | None) -> int:
        return after - before if before is not None and after is not None else 0

    return Change(
        since=previous.taken_at,
        followers=delta(previous.follower_count, now.followers),
        following=delta(previous.following_count, now.following),
        likes=delta(previous.likes_count, now.likes),
        videos=delta(previous.video_count, now.videos),
    )
