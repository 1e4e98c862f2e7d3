"""/stats: account numbers and their changes, videos, hashtags, growth charts.

Pure pieces (links, hashtags, chart) have no I/O; the service
talks to TikTok through the token manager and keeps snapshots in storage.
"""

from bot.insights.chart import ChartSeries, render_growth_chart
from bot.insights.finder import FoundVideo, LookupFailed, LookupProblem, VideoFinder
from bot.insights.hashtags import HashtagStat, extract_hashtags, top_hashtags
from bot.insights.links import ShortLink, VideoId, VideoRef, find_video_ref, parse_video_ref
from bot.insights.published import PublishedPosts, PublishJobPosts
from bot.insights.service import (
    DAILY_SNAPSHOT_AT,
    DAILY_SNAPSHOT_JOB,
    AccountOverview,
    BotPosts,
    Change,
    InsightsService,
    Numbers,
    VideoListing,
)
from bot.insights.short_links import ShortLinkResolver, ShortLinkUnreachable

__all__ = [
    "DAILY_SNAPSHOT_AT",
    "DAILY_SNAPSHOT_JOB",
    "AccountOverview",
    "BotPosts",
    "Change",
    "ChartSeries",
    "FoundVideo",
    "HashtagStat",
    "InsightsService",
    "LookupFailed",
    "LookupProblem",
    "Numbers",
    "PublishJobPosts",
    "PublishedPosts",
    "ShortLink",
    "ShortLinkResolver",
    "ShortLinkUnreachable",
    "VideoFinder",
    "VideoId",
    "VideoListing",
    "VideoRef",
    "extract_hashtags",
    "find_video_ref",
    "parse_video_ref",
    "render_growth_chart",
    "top_hashtags",
]
