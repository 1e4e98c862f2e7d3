"""Texts of /stats @name, /following, /compare and /watch.

Functions take plain values (strings, numbers, datetimes, tuples of those);
no domain type is imported. Numbers are worded with the same helpers /stats
uses, so "12.5K" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.texts.common import esc
from bot.texts.humanize import ago, compact_number, percent, signed_number
from bot.texts.stats import ago_text, day_month

DESC_CHARS = 40
VERIFIED = "☑️"
UNTITLED = "Untitled video"

# -- enabling ---------------------------------------------------------------------

NOT_CONFIGURED = (
    "🔌 Looking up other creators needs a public-data provider, and this bot has none set "
    "up yet.\n\nIf you run this bot: set <code>USER_INFO_API_BASE_URL</code> (profiles and "
    "/following) and/or <code>VIDEO_LIST_API_BASE_URL</code> with "
    "<code>VIDEO_LIST_API_KEY</code> (videos), then restart. The README section "
    "“Any creator's public stats” explains both.\n\n"
    "Your own linked accounts work without it: /stats."
)
NEEDS_PROFILES = (
    "🔌 Looking a creator up by username needs the user-info provider "
    "(<code>USER_INFO_API_BASE_URL</code>), which this bot doesn't have. "
    "Send their sec_user_id instead (it starts with <code>MS4wLjABAAAA</code>)."
)
NEEDS_VIDEOS = (
    "🔌 Creators' videos need the video-list provider (<code>VIDEO_LIST_API_BASE_URL</code> "
    "and <code>VIDEO_LIST_API_KEY</code>), which this bot doesn't have."
)

# -- usage ------------------------------------------------------------------------

FOLLOWING_USAGE = "Who does a creator follow? Send <code>/following @username</code>."
COMPARE_USAGE = (
    "Compare two or three creators side by side: <code>/compare @first @second</code> "
    "(a third is optional)."
)
WATCH_EMPTY = (
    "👀 Your watchlist is empty. Add a creator with <code>/watch @username</code>: I'll "
    "note their numbers every day and tell you when a video of theirs takes off."
)


def not_a_creator(word: str) -> str:
    """A word of /compare or /watch that names no creator."""
    return (
        f"“{esc(word)}” isn't a creator I can look up. Use <code>@username</code>, a "
        "profile link (tiktok.com/@username) or a sec_user_id."
    )


# -- failures ---------------------------------------------------------------------


def not_found(label: str) -> str:
    """No such creator."""
    return f"🤷 I couldn't find <b>{esc(label)}</b> on TikTok. Check the spelling and try again."


VIDEO_NOT_FOUND = (
    "🤷 I couldn't find that video, neither on your linked accounts nor publicly: it may be "
    "private, still processing or deleted."
)


def private_account(label: str) -> str:
    """A private account: no public videos or followings."""
    return f"🔒 <b>{esc(label)}</b> is a private account: their videos and follows aren't public."


PROVIDER_DOWN = (
    "📡 The creator-data service isn't answering right now. Nothing is lost — please try "
    "again in a few minutes."
)
PROVIDER_REFUSED = (
    "😕 The creator-data service couldn't answer that request. Please try again later; "
    "the bot's operator has been told."
)


def rate_limited(seconds: int) -> str:
    """The provider asks everyone to wait."""
    return f"⏳ The creator-data service is busy. Please try again in {seconds} s."


def quota_used(limit: int, resets_at: datetime, now: datetime) -> str:
    """The user's daily lookups are spent."""
    minutes = max(1, int((resets_at - now).total_seconds() // 60) + 1)
    wait = f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"
    return (
        f"🧮 You've used your {limit} creator lookups for today (they pay for an API key). "
        f"The next one frees up in {wait}. Lookups repeated within 10 minutes are free."
    )


def watchlist_full(limit: int) -> str:
    """The user watches the most creators allowed."""
    return (
        f"👀 You already watch {limit} creators, the most I can follow for one person. "
        "Remove one first (/watch)."
    )


# -- /stats @name -----------------------------------------------------------------


def profile_block(
    *,
    username: str,
    nickname: str,
    verified: bool,
    bio: str,
    followers: int | None,
    following: int | None,
    likes: int | None,
    videos: int | None,
) -> str:
    """Name, bio and counters (counters the provider didn't give are left out)."""
    head = f"👤 <b>{esc(nickname)}</b> · @{esc(username)}" if nickname else f"👤 @{esc(username)}"
    lines = [head + (f" {VERIFIED}" if verified else "")]
    if bio:
        lines.append(f"<i>{esc(' '.join(bio.split())[:140])}</i>")
    if followers is not None or following is not None:
        lines.append(f"👥 <b>{_n(followers)}</b> followers · <b>{_n(following)}</b> following")
    if likes is not None or videos is not None:
        lines.append(f"❤️ <b>{_n(likes)}</b> likes · 🎬 <b>{_n(videos)}</b> videos")
    return "\n".join(lines)


def summary_block(
    *,
    sample: int,
    median_views: int | None,
    engagement: float | None,
    posts_per_week: float | None,
    hashtags: Sequence[tuple[str, int, int]],
) -> str:
    """Median views, engagement, frequency and top hashtags of the latest videos.

    `hashtags`: (tag, videos, average views), best first.
    """
    noun = "video" if sample == 1 else "videos"
    lines = [
        f"📊 <b>Last {sample} {noun}</b>",
        f"👁 median <b>{_n(median_views)}</b> views · ⚡ <b>{percent(engagement)}</b> engagement",
        f"📅 {frequency(posts_per_week)}",
    ]
    if hashtags:
        lines.append("🔥 <b>Top hashtags</b> by average views")
        for tag, count, average in hashtags:
            uses = "video" if count == 1 else "videos"
            lines.append(f"#{esc(tag)} — {compact_number(average)} avg views · {count} {uses}")
    return "\n".join(lines)


def frequency(posts_per_week: float | None) -> str:
    """ "3.5 posts a week", "about one post a month"."""
    if posts_per_week is None:
        return "posting frequency: not enough videos to tell"
    if posts_per_week >= 1:
        return f"{posts_per_week:.1f} posts a week"
    per_month = posts_per_week * 30 / 7
    return f"{per_month:.1f} posts a month"


def video_line(
    number: int,
    *,
    desc: str,
    published: datetime,
    now: datetime,
    views: int,
    likes: int,
    comments: int,
    shares: int,
    saves: int,
    engagement: float | None,
) -> str:
    """One video of a list: description, age, then its numbers."""
    return (
        f"{number}. {esc(short_desc(desc))} · {ago_text(ago(published, now))}\n"
        f"    👁 {compact_number(views)}  ❤️ {compact_number(likes)}  "
        f"💬 {compact_number(comments)}  🔁 {compact_number(shares)}  "
        f"🔖 {compact_number(saves)}  ⚡ {percent(engagement)}"
    )


def short_desc(desc: str, limit: int = DESC_CHARS) -> str:
    """The description on one phone line, unescaped."""
    text = " ".join(desc.split()) or UNTITLED
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ENGAGEMENT_LEGEND = "<i>⚡ engagement = (likes + comments + shares + saves) ÷ views</i>"
NO_VIDEOS = "🎬 No public videos."
PRIVATE_VIDEOS = "🔒 Private account: videos aren't public."


def videos_block(lines: Sequence[str], *, first: bool, username: str) -> str:
    """A header, the numbered video lines and the legend."""
    if not lines:
        return NO_VIDEOS if first else "That's all the videos."
    header = "🎬 <b>Latest videos</b>" if first else f"🎬 <b>Older videos of @{esc(username)}</b>"
    return "\n".join([header, *lines, ENGAGEMENT_LEGEND])


def single_video(
    *,
    username: str,
    nickname: str,
    desc: str,
    published: datetime,
    now: datetime,
    views: int,
    likes: int,
    comments: int,
    shares: int,
    saves: int,
    engagement: float | None,
) -> str:
    """/stats <link> for a public video of someone else."""
    by = f"{esc(nickname)} (@{esc(username)})" if nickname else f"@{esc(username)}"
    return "\n".join(
        [
            f"🎬 {esc(short_desc(desc, 120))}",
            f"by {by} · posted {ago_text(ago(published, now))}",
            "",
            f"👁 <b>{compact_number(views)}</b> views",
            f"❤️ <b>{compact_number(likes)}</b> likes",
            f"💬 <b>{compact_number(comments)}</b> comments",
            f"🔁 <b>{compact_number(shares)}</b> shares",
            f"🔖 <b>{compact_number(saves)}</b> saves",
            f"⚡ <b>{percent(engagement)}</b> engagement "
            "(likes + comments + shares + saves ÷ views)",
            "",
            OFFICIAL_NOTE,
        ]
    )


OFFICIAL_NOTE = "<i>Public data from a third-party provider, not TikTok's official API.</i>"
BUTTON_MORE_VIDEOS = "⬇️ More videos"
BUTTON_WATCH = "👀 Watch"
ALL_VIDEOS_SHOWN = "That's all the videos."
CHART_VIEWS = "Views per video"


def chart_title(username: str) -> str:
    """Drawn on the /stats @name chart (plain text)."""
    return f"@{username} · latest videos"


def chart_caption(username: str, count: int) -> str:
    """Under the chart photo."""
    return f"📈 Views of the last {count} videos of <b>@{esc(username)}</b>, oldest to newest"


def chart_time_label(moment: datetime, first: datetime, last: datetime) -> str:
    """A date tick on a chart."""
    return day_month(moment)


# -- /following -------------------------------------------------------------------


def following_header(username: str, total: int | None, first: bool) -> str:
    """ "👥 @lily follows 46 accounts"."""
    if not first:
        return f"👥 <b>More accounts @{esc(username)} follows</b>"
    if total is None:
        return f"👥 <b>Accounts @{esc(username)} follows</b>"
    noun = "account" if total == 1 else "accounts"
    return f"👥 <b>@{esc(username)} follows {compact_number(total)} {noun}</b>"


def followed_line(
    number: int,
    *,
    username: str,
    nickname: str,
    verified: bool,
    followers: int,
    likes: int,
    videos: int,
) -> str:
    """One followed account with its numbers."""
    badge = f" {VERIFIED}" if verified else ""
    name = f" — {esc(nickname)}" if nickname and nickname != username else ""
    return (
        f"{number}. @{esc(username)}{badge}{name}\n"
        f"    👥 {compact_number(followers)} followers · ❤️ {compact_number(likes)} likes · "
        f"🎬 {compact_number(videos)} videos"
    )


FOLLOWS_NOBODY = "They don't follow anyone (publicly)."
BUTTON_MORE_FOLLOWING = "⬇️ More"
ALL_FOLLOWING_SHOWN = "That's everyone they follow."

# -- /compare ---------------------------------------------------------------------

COMPARE_FOLLOWERS = "Followers"
COMPARE_MEDIAN = "Median views (last 20)"
COMPARE_ENGAGEMENT = "Engagement"
COMPARE_FREQUENCY = "Posts per week"


def compare_text(
    rows: Sequence[tuple[str, int | None, int | None, float | None, float | None]],
) -> str:
    """Side by side: (username, followers, median views, engagement, posts a week) each."""
    lines = ["⚖️ <b>Side by side</b> · each creator's last 20 videos", ""]
    for username, followers, median, engagement, per_week in rows:
        lines.append(f"<b>@{esc(username)}</b>")
        lines.append(f"👥 {_n(followers)} followers · 👁 {_n(median)} median views")
        week = f"{per_week:.1f}" if per_week is not None else "–"
        lines.append(f"⚡ {percent(engagement)} engagement · 📅 {week} posts/week")
        lines.append("")
    lines.append(ENGAGEMENT_LEGEND)
    return "\n".join(lines)


def compare_title(usernames: Sequence[str]) -> str:
    """Drawn on the comparison chart (plain text)."""
    return " vs ".join(f"@{u}" for u in usernames)


def compare_caption(usernames: Sequence[str]) -> str:
    """Under the comparison chart."""
    return "⚖️ " + " vs ".join(f"<b>@{esc(u)}</b>" for u in usernames)


def count_label(value: int | None) -> str:
    """A chart bar's label for a count."""
    return _n(value)


def rate_label(value: float | None) -> str:
    """A chart bar's label for a rate."""
    return percent(value)


def per_week_label(value: float | None) -> str:
    """A chart bar's label for posts a week."""
    return f"{value:.1f}" if value is not None else "–"


# -- /watch -----------------------------------------------------------------------


def watching(username: str, median_views: int | None, created: bool) -> str:
    """/watch @name answered."""
    if not created:
        return f"👀 You already watch <b>@{esc(username)}</b>. See your list with /watch."
    usual = f" (median now: {compact_number(median_views)})" if median_views else ""
    return (
        f"👀 Watching <b>@{esc(username)}</b>. I'll note their numbers every day and tell you "
        f"when one of their new videos reaches twice their usual views{usual}.\n"
        "Your list: /watch"
    )


def watch_line(
    number: int,
    *,
    username: str,
    followers: int | None,
    follower_change: int | None,
    since: datetime | None,
    median_views: int | None,
) -> str:
    """One watched creator: followers, the week's change, median views."""
    change = ""
    if follower_change is not None and since is not None:
        change = f" ({signed_number(follower_change)} since {day_month(since)})"
    median = f" · 👁 median {compact_number(median_views)}" if median_views is not None else ""
    return f"{number}. <b>@{esc(username)}</b> — 👥 {_n(followers)}{change}{median}"


def watchlist(lines: Sequence[str]) -> str:
    """/watch alone."""
    return "\n".join(["👀 <b>Your watchlist</b> · updated daily", *lines])


def unwatch_button(username: str) -> str:
    """The button that takes a creator off the list."""
    return f"✖️ @{username}"


def unwatched(username: str) -> str:
    """After the unwatch button."""
    return f"Stopped watching <b>@{esc(username)}</b>."


def breakout_alert(
    *, username: str, desc: str, views: int, median_views: int, published: datetime, now: datetime
) -> str:
    """A watched creator's video took off."""
    factor = views / median_views if median_views else 0.0
    return (
        f"🚀 <b>@{esc(username)}</b> has a video taking off: <b>{compact_number(views)}</b> "
        f"views, {factor:.1f}× their median of {compact_number(median_views)}.\n"
        f"🎬 {esc(short_desc(desc, 80))} · {ago_text(ago(published, now))}"
    )


def _n(value: int | None) -> str:
    return compact_number(value) if value is not None else "–"
