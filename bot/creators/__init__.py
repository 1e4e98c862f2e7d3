"""Public data on any TikTok creator through third-party providers.

TikTok's official API only shows the user's own linked accounts; these
adapters read public profiles, videos and followings from providers the
operator configures (docs/providers.md). Layers: `providers` (protocols) <-
`video_list_api` / `user_info_api` (httpx adapters, `normalise`) <- `policy`
(rate limit, retries, cache, quota) <- `service` (what the commands need).
"""

from bot.creators.chart import Measure, render_comparison
from bot.creators.errors import (
    CreatorDataError,
    CreatorNotFound,
    CreatorPrivate,
    ProviderAction,
    ProviderKeyInvalid,
    ProviderNotConfigured,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
    QuotaExceeded,
    WatchlistFull,
)
from bot.creators.metrics import Summary, TagStat, video_engagement
from bot.creators.models import (
    AuthorInfo,
    CreatorProfile,
    CreatorVideo,
    FollowedAccount,
    FollowingPage,
    VideoPage,
)
from bot.creators.refs import CreatorRef, parse_creator_ref, parse_creator_refs
from bot.creators.service import (
    DAILY_WATCH_JOB,
    CreatorReport,
    CreatorService,
    FollowingView,
    VideosMissing,
    WatchAdded,
    WatchAlert,
    WatchView,
)
from bot.creators.setup import build_creator_service

__all__ = [
    "DAILY_WATCH_JOB",
    "AuthorInfo",
    "CreatorDataError",
    "CreatorNotFound",
    "CreatorPrivate",
    "CreatorProfile",
    "CreatorRef",
    "CreatorReport",
    "CreatorService",
    "CreatorVideo",
    "FollowedAccount",
    "FollowingPage",
    "FollowingView",
    "Measure",
    "ProviderAction",
    "ProviderKeyInvalid",
    "ProviderNotConfigured",
    "ProviderRateLimited",
    "ProviderRejected",
    "ProviderUnavailable",
    "QuotaExceeded",
    "Summary",
    "TagStat",
    "VideoPage",
    "VideosMissing",
    "WatchAdded",
    "WatchAlert",
    "WatchView",
    "WatchlistFull",
    "build_creator_service",
    "parse_creator_ref",
    "parse_creator_refs",
    "render_comparison",
    "video_engagement",
]
