"""/stats @anyone, /following, /compare and /watch: public creator data through providers.

Services return plain data; bot.texts words it and handlers send it. Calls
that touch the database take the session of the caller's unit of work (one
per Telegram update); the daily job, which has one step per watch, takes a
factory of such units. Provider calls happen before any write, so no
transaction is held open while a provider answers slowly.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.creators.errors import (
    CreatorDataError,
    CreatorPrivate,
    ProviderNotConfigured,
    ProviderUnavailable,
    WatchlistFull,
)
from bot.creators.metrics import Summary, breakouts, summarise
from bot.creators.models import (
    AuthorInfo,
    CreatorProfile,
    CreatorVideo,
    FollowingPage,
    VideoPage,
)
from bot.creators.policy import ClientPolicy
from bot.creators.providers import ProfileProvider, VideoProvider
from bot.creators.refs import CreatorRef
from storage.repositories.creators import CreatorSnapshotRecord, WatchRecord, WatchRepository

log = logging.getLogger(__name__)

VIDEO_PAGE = 20  # videos per message and per provider request; also the sample of every summary
FOLLOWING_PAGE = 20
WATCH_LIMIT = 25  # creators per user: bounds what the daily job spends of the operator's key
DELTA_WINDOW = timedelta(days=7)
BREAKOUT_FACTOR = 2.0
DAILY_WATCH_JOB = "daily-creator-watch"

Unit = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class VideosMissing(StrEnum):
    """Why a report has no videos."""

    NOT_CONFIGURED = "not_configured"
    PRIVATE = "private"
    NO_SEC_UID = "no_sec_uid"  # the profile provider did not say which account to list


@dataclass(frozen=True, slots=True)
class CreatorReport:
    """Everything /stats @name shows."""

    ref: CreatorRef
    username: str  # "" when only a sec_user_id is known and the account has no videos
    profile: CreatorProfile | None
    author: AuthorInfo | None
    page: VideoPage | None
    summary: Summary | None
    videos_missing: VideosMissing | None
    now: datetime

    @property
    def nickname(self) -> str:
        """The display name, from whichever source has it."""
        if self.profile is not None and self.profile.nickname:
            return self.profile.nickname
        return self.author.nickname if self.author else ""

    @property
    def verified(self) -> bool:
        """Whether TikTok verified the account."""
        if self.profile is not None:
            return self.profile.verified
        return self.author.is_verified if self.author else False


@dataclass(frozen=True, slots=True)
class FollowingView:
    """One page of who a creator follows."""

    username: str
    profile: CreatorProfile | None
    page: FollowingPage


@dataclass(frozen=True, slots=True)
class WatchAdded:
    """The outcome of /watch @name."""

    watch: WatchRecord
    created: bool  # False: it was on the list already


@dataclass(frozen=True, slots=True)
class WatchView:
    """A watched creator with their latest numbers and where they stood a week ago."""

    watch: WatchRecord
    latest: CreatorSnapshotRecord | None
    baseline: CreatorSnapshotRecord | None  # the oldest snapshot of the last 7 days


@dataclass(frozen=True, slots=True)
class WatchAlert:
    """A watched creator's video reached twice their median views."""

    watch: WatchRecord
    video: CreatorVideo
    median_views: int


class CreatorService:
    """Public data on any creator, within the operator's provider budget."""

    def __init__(
        self,
        *,
        profiles: ProfileProvider | None,
        profile_policy: ClientPolicy | None,
        videos: VideoProvider | None,
        video_policy: ClientPolicy | None,
        clock: Clock,
    ) -> None:
        self._profiles = profiles
        self._profile_policy = profile_policy
        self._videos = videos
        self._video_policy = video_policy
        self._clock = clock
        # username -> sec_uid: paging buttons carry the (short) username only.
        self._book: OrderedDict[str, str] = OrderedDict()

    @property
    def configured(self) -> bool:
        """Whether any provider is set up."""
        return self._profiles is not None or self._videos is not None

    @property
    def has_profiles(self) -> bool:
        """Whether profiles and followings can be looked up by username."""
        return self._profiles is not None

    def now(self) -> datetime:
        """The service's clock."""
        return self._clock()

    # -- lookups ------------------------------------------------------------------

    async def report(self, user_id: int | None, ref: CreatorRef) -> CreatorReport:
        """Profile, numbers and the latest videos with their summary."""
        if not self.configured:
            raise ProviderNotConfigured("profiles")
        profile = await self._profile(user_id, ref.username) if ref.username else None
        sec_uid = ref.sec_uid or (profile.sec_uid if profile else None) or self._known(ref)
        username = (profile.username if profile else ref.username) or ""
        now = self._clock()
        missing: VideosMissing | None = None
        page = None
        if profile is not None and profile.private:
            missing = VideosMissing.PRIVATE
        elif self._videos is None:
            missing = VideosMissing.NOT_CONFIGURED
        elif sec_uid is None:
            missing = VideosMissing.NO_SEC_UID
        else:
            page = await self._page(user_id, sec_uid, "0")
        author = page.videos[0].author_info if page and page.videos else None
        if author is not None and author.unique_id:
            username = username or author.unique_id
            if profile is None and self._profiles is not None:
                # Asked by sec_user_id: the counters come from the profile by username.
                profile = await self._profile(user_id, username)
        if username and sec_uid:
            self._remember(username, sec_uid)
        return CreatorReport(
            ref=ref,
            username=username,
            profile=profile,
            author=author,
            page=page,
            summary=summarise(page.videos) if page else None,
            videos_missing=missing,
            now=now,
        )

    async def more_videos(self, user_id: int, username: str, cursor: str) -> VideoPage:
        """The page of a creator's videos after `cursor` (from a More button)."""
        if self._videos is None:
            raise ProviderNotConfigured("videos")
        sec_uid = await self._sec_uid(user_id, username)
        return await self._page(user_id, sec_uid, cursor)

    async def following(self, user_id: int, ref: CreatorRef, cursor: int = 0) -> FollowingView:
        """One page of who the creator follows, each with their numbers."""
        if self._profiles is None or self._profile_policy is None:
            raise ProviderNotConfigured("profiles")
        profile = await self._profile(user_id, ref.username) if ref.username else None
        if profile is not None and profile.private:
            raise CreatorPrivate(profile.username)
        sec_uid = ref.sec_uid or (profile.sec_uid if profile else None)
        if sec_uid is None:
            raise ProviderUnavailable("the profile carries no secUid", provider=self._profiles.name)
        username = profile.username if profile else (ref.username or "")
        if username:
            self._remember(username, sec_uid)
        provider = self._profiles
        page = await self._profile_policy.fetch(
            ("following", sec_uid, cursor),
            lambda: provider.following(sec_uid, cursor=cursor, count=FOLLOWING_PAGE),
            user_id=user_id,
        )
        return FollowingView(username, profile, page)

    @property
    def has_videos(self) -> bool:
        """Whether creators' videos can be read."""
        return self._videos is not None

    async def video(self, user_id: int, aweme_id: str) -> CreatorVideo:
        """One public video of any creator (/stats <link> for a video not on a linked account)."""
        if self._videos is None or self._video_policy is None:
            raise ProviderNotConfigured("videos")
        provider = self._videos
        return await self._video_policy.fetch(
            ("video", aweme_id), lambda: provider.video(aweme_id), user_id=user_id
        )

    async def compare(self, user_id: int, refs: list[CreatorRef]) -> list[CreatorReport]:
        """A report per creator, in the order asked (the first error stops it)."""
        return [await self.report(user_id, ref) for ref in refs]

    # -- watchlist ----------------------------------------------------------------

    async def watch(
        self, session: AsyncSession, user_id: int, chat_id: int, ref: CreatorRef
    ) -> WatchAdded:
        """Put a creator on the user's watchlist and take the first snapshot."""
        report = await self.report(user_id, ref)
        sec_uid = ref.sec_uid or (report.profile.sec_uid if report.profile else None)
        sec_uid = sec_uid or self._book.get(report.username)
        if sec_uid is None or not report.username:
            raise ProviderNotConfigured("videos")
        repo = WatchRepository(session)
        existing = await repo.find(user_id, sec_uid)
        if existing is not None:
            return WatchAdded(existing, created=False)
        if await repo.count(user_id) >= WATCH_LIMIT:
            raise WatchlistFull(WATCH_LIMIT)
        watch = await repo.add(
            user_id,
            chat_id=chat_id,
            sec_uid=sec_uid,
            username=report.username,
            nickname=report.nickname,
            now=report.now,
        )
        await repo.add_snapshot(_snapshot_of(watch.id, report))
        return WatchAdded(watch, created=True)

    async def watches(self, session: AsyncSession, user_id: int) -> list[WatchView]:
        """The user's watchlist with the numbers of the last week (no provider call)."""
        repo = WatchRepository(session)
        since = (self._clock() - DELTA_WINDOW).date()
        views = []
        for watch in await repo.of_user(user_id):
            history = await repo.snapshots(watch.id, since=since)
            latest = history[-1] if history else None
            baseline = history[0] if len(history) >= 2 else None
            views.append(WatchView(watch, latest, baseline))
        return views

    async def unwatch(
        self, session: AsyncSession, user_id: int, watch_id: int
    ) -> WatchRecord | None:
        """Take a creator off the list; None when it was not (or no longer) on it."""
        return await WatchRepository(session).remove(user_id, watch_id)

    async def snapshot_watches(self, unit: Unit) -> list[WatchAlert]:
        """Today's snapshot of every watch not yet taken; the alerts to send.

        Safe in several processes at once: the (watch, day) constraint lets one
        snapshot in, and only the process that stored it looks for breakouts,
        each claimed once per (watch, video).
        """
        now = self._clock()
        async with unit() as session:
            due = await WatchRepository(session).due(now.date())
        alerts: list[WatchAlert] = []
        for watch in due:
            self._remember(watch.username, watch.sec_uid)
            ref = (
                CreatorRef(username=watch.username)
                if self._profiles is not None
                else CreatorRef(sec_uid=watch.sec_uid)
            )
            try:
                report = await self.report(None, ref)  # None: the job spends no user's quota
            except CreatorDataError as exc:
                # One creator's trouble must not stop the others' snapshots.
                log.info("watch %s (@%s) skipped today: %s", watch.id, watch.username, exc)
                continue
            async with unit() as session:
                repo = WatchRepository(session)
                snapshot = _snapshot_of(watch.id, report)
                if not await repo.add_snapshot(snapshot):
                    continue  # another process took today's
                median = snapshot.median_views
                videos = report.page.videos if report.page else ()
                since_ts = int(watch.created_at.timestamp())
                for video in breakouts(
                    videos, median=median, since_ts=since_ts, factor=BREAKOUT_FACTOR
                ):
                    assert median is not None
                    claimed = await repo.claim_alert(
                        watch.id,
                        video.aweme_id,
                        views=video.stats.play,
                        median_views=median,
                        now=now,
                    )
                    if claimed:
                        alerts.append(WatchAlert(watch, video, median))
        return alerts

    # -- internals ----------------------------------------------------------------

    async def _profile(self, user_id: int | None, username: str) -> CreatorProfile | None:
        if self._profiles is None or self._profile_policy is None:
            if username in self._book:
                return None  # known from an earlier video listing
            raise ProviderNotConfigured("profiles")
        provider = self._profiles
        profile = await self._profile_policy.fetch(
            ("profile", username), lambda: provider.profile(username), user_id=user_id
        )
        return profile

    async def _page(self, user_id: int | None, sec_uid: str, cursor: str) -> VideoPage:
        assert self._videos is not None and self._video_policy is not None
        provider = self._videos
        return await self._video_policy.fetch(
            ("videos", sec_uid, cursor),
            lambda: provider.videos(sec_uid, cursor=cursor, limit=VIDEO_PAGE),
            user_id=user_id,
        )

    async def _sec_uid(self, user_id: int, username: str) -> str:
        known = self._book.get(username)
        if known is not None:
            return known
        profile = await self._profile(user_id, username)
        if profile is None or profile.sec_uid is None:
            raise ProviderNotConfigured("profiles")
        self._remember(username, profile.sec_uid)
        return profile.sec_uid

    def _known(self, ref: CreatorRef) -> str | None:
        return self._book.get(ref.username) if ref.username else None

    def _remember(self, username: str, sec_uid: str) -> None:
        self._book[username] = sec_uid
        self._book.move_to_end(username)
        while len(self._book) > 10_000:
            self._book.popitem(last=False)


def _snapshot_of(watch_id: int, report: CreatorReport) -> CreatorSnapshotRecord:
    profile = report.profile
    return CreatorSnapshotRecord(
        watch_id=watch_id,
        day=report.now.date(),
        taken_at=report.now,
        followers=profile.followers if profile else None,
        following=profile.following if profile else None,
        likes=profile.likes if profile else None,
        videos=profile.videos if profile else None,
        median_views=report.summary.median_views if report.summary else None,
    )
