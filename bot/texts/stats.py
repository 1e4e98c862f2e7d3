"""Texts of /stats: profile and numbers, changes, videos, hashtags, the growth chart."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.texts.accounts import SCOPE_NAMES
from bot.texts.common import esc
from bot.texts.facts import (
    AccountFacts,
    BotPostsFacts,
    ChangeFacts,
    FoundVideoFacts,
    HashtagFacts,
    ListingFacts,
    OverviewFacts,
    ProblemFacts,
    ProfileFacts,
    VideoFacts,
)
from bot.texts.humanize import (
    Ago,
    AgoUnit,
    Since,
    SinceUnit,
    ago,
    compact_number,
    engagement_rate,
    percent,
    signed_number,
    since,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TITLE_CHARS = 60
VERIFIED = "☑️"
UNTITLED = "Untitled video"


def _plural(count: int, one: str, many: str) -> str:
    return one if abs(count) == 1 else many


def day_month(moment: datetime, *, year: bool = False) -> str:
    """ "Nov 3" or "Nov 3, 2025" (no locale involved)."""
    text = f"{MONTHS[moment.month - 1]} {moment.day}"
    return f"{text}, {moment.year}" if year else text


def ago_text(value: Ago) -> str:
    """ "just now", "5 min ago", "3 hours ago", "yesterday", "3 days ago", "Nov 3"."""
    n = value.count
    match value.unit:
        case AgoUnit.NOW:
            return "just now"
        case AgoUnit.MINUTES:
            return f"{n} min ago"
        case AgoUnit.HOURS:
            return f"{n} {_plural(n, 'hour', 'hours')} ago"
        case AgoUnit.YESTERDAY:
            return "yesterday"
        case AgoUnit.DAYS:
            return f"{n} days ago"
        case AgoUnit.WEEKS:
            return f"{n} {_plural(n, 'week', 'weeks')} ago"
        case AgoUnit.DATE:
            return day_month(value.moment)
    return day_month(value.moment, year=True)


def since_text(value: Since) -> str:
    """ "in the last 3 hours", "since yesterday", "since Tuesday", "since Nov 3"."""
    n = value.count
    match value.unit:
        case SinceUnit.MINUTES:
            return "in the last minute" if n == 1 else f"in the last {n} minutes"
        case SinceUnit.HOURS:
            return "in the last hour" if n == 1 else f"in the last {n} hours"
        case SinceUnit.YESTERDAY:
            return "since yesterday"
        case SinceUnit.WEEKDAY:
            return f"since {WEEKDAYS[value.moment.weekday()]}"
        case SinceUnit.DATE:
            return f"since {day_month(value.moment)}"
    return f"since {day_month(value.moment, year=True)}"


def video_title(video: VideoFacts, limit: int = TITLE_CHARS) -> str:
    """The title (or description) cut to fit a phone line, unescaped."""
    title = " ".join((video.title or video.description or UNTITLED).split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def video_numbers(video: VideoFacts) -> str:
    """ "👁 12.5K  ❤️ 1.2K  💬 45  🔁 12  ⚡ 8.4%"."""
    rate = engagement_rate(
        views=video.view_count,
        likes=video.like_count,
        comments=video.comment_count,
        shares=video.share_count,
    )
    return (
        f"👁 {compact_number(video.view_count)}  ❤️ {compact_number(video.like_count)}  "
        f"💬 {compact_number(video.comment_count)}  🔁 {compact_number(video.share_count)}  "
        f"⚡ {percent(rate)}"
    )


def _link(video: VideoFacts, text: str) -> str:
    if not video.share_url:
        return esc(text)
    return f'<a href="{html.escape(video.share_url, quote=True)}">{esc(text)}</a>'


def video_age(video: VideoFacts, now: datetime) -> str:
    """How long ago the video was posted ("3 days ago")."""
    return ago_text(ago(datetime.fromtimestamp(video.create_time, now.tzinfo), now))


def video_line(number: int, video: VideoFacts, now: datetime) -> str:
    """One video of a list: title (linked), age, numbers."""
    return (
        f"{number}. {_link(video, video_title(video))} · {video_age(video, now)}\n"
        f"    {video_numbers(video)}"
    )


ENGAGEMENT_LEGEND = "<i>⚡ engagement = (likes + comments + shares) ÷ views</i>"


def profile_line(profile: ProfileFacts, account: AccountFacts) -> str:
    """ "👤 Ana Makes · @ana.makes ☑️"."""
    name = profile.display_name or account.display_name
    username = profile.username or account.username
    parts = [f"👤 <b>{esc(name)}</b>" if name else "👤"]
    if username:
        parts.append(f"· @{esc(username)}")
    if profile.is_verified:
        parts.append(VERIFIED)
    return " ".join(parts)


def change_line(change: ChangeFacts, now: datetime) -> str:
    """ "📈 +320 followers, +1.1K likes since Tuesday" (or "no change")."""
    window = since_text(since(change.since, now))
    items = [
        (change.followers, "follower", "followers"),
        (change.likes, "like", "likes"),
        (change.videos, "video", "videos"),
        (change.following, "following", "following"),
    ]
    moved = [f"<b>{signed_number(n)}</b> {_plural(n, one, many)}" for n, one, many in items if n]
    if not moved:
        return f"📈 No change {window}."
    return f"📈 {', '.join(moved)} {window}"


FIRST_LOOK = "📌 First look at this account: next time I'll show what changed since now."


def hashtag_lines(stats: Sequence[HashtagFacts], sample: int) -> list[str]:
    """The top hashtags block."""
    lines = [f"🔥 <b>Top hashtags</b> · last {sample} {_plural(sample, 'video', 'videos')}"]
    for stat in stats:
        lines.append(
            f"#{esc(stat.tag)} — {compact_number(stat.average_views)} avg views · "
            f"{stat.videos} {_plural(stat.videos, 'video', 'videos')}"
        )
    return lines


def missing_scopes_note(label: str, scopes: tuple[str, ...]) -> str:
    """Which permissions are missing for /stats, and what to do."""
    items = "\n".join(f"• {esc(SCOPE_NAMES.get(s, s))} (<code>{esc(s)}</code>)" for s in scopes)
    return (
        f"🔒 <b>{esc(label)}</b> was linked without:\n{items}\n"
        "Re-link it and keep those boxes ticked to see everything."
    )


def overview(o: OverviewFacts) -> str:
    """The /stats message for one account."""
    lines = [profile_line(o.profile, o.account)]
    if o.numbers is not None:
        n = o.numbers
        lines.append(
            f"👥 <b>{_count(n.followers)}</b> followers · <b>{_count(n.following)}</b> following"
        )
        lines.append(f"❤️ <b>{_count(n.likes)}</b> likes · 🎬 <b>{_count(n.videos)}</b> videos")
        lines.append(change_line(o.change, o.now) if o.change else FIRST_LOOK)
    if o.hashtags:
        lines.append("")
        lines.extend(hashtag_lines(o.hashtags, o.hashtag_sample))
    if o.videos is not None:
        lines.append("")
        lines.extend(video_block(o.videos, o.now, first_number=1, header=LATEST_VIDEOS))
    if o.missing_scopes:
        lines.append("")
        lines.append(missing_scopes_note(o.account.label, o.missing_scopes))
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return compact_number(value) if value is not None else "–"


LATEST_VIDEOS = "🎬 <b>Latest videos</b>"
MORE_VIDEOS = "🎬 <b>Older videos of {label}</b>"
NO_VIDEOS = "No videos on this account yet."


def video_block(
    listing: ListingFacts, now: datetime, *, first_number: int, header: str
) -> list[str]:
    """A header, the numbered videos and the engagement legend."""
    if not listing.videos:
        return [header, NO_VIDEOS]
    lines = [header]
    lines.extend(video_line(first_number + i, video, now) for i, video in enumerate(listing.videos))
    lines.append(ENGAGEMENT_LEGEND)
    return lines


def more_videos(label: str, listing: ListingFacts, now: datetime, first_number: int) -> str:
    """A further page of videos (after "More")."""
    header = MORE_VIDEOS.format(label=esc(label))
    return "\n".join(video_block(listing, now, first_number=first_number, header=header))


def single_video(found: FoundVideoFacts, now: datetime) -> str:
    """/stats <link>: one video's numbers."""
    video = found.video
    rate = engagement_rate(
        views=video.view_count,
        likes=video.like_count,
        comments=video.comment_count,
        shares=video.share_count,
    )
    return "\n".join(
        [
            f"🎬 {_link(video, video_title(video, 120))}",
            f"by {esc(found.account.label)} · posted {video_age(video, now)}",
            "",
            f"👁 <b>{compact_number(video.view_count)}</b> views",
            f"❤️ <b>{compact_number(video.like_count)}</b> likes",
            f"💬 <b>{compact_number(video.comment_count)}</b> comments",
            f"🔁 <b>{compact_number(video.share_count)}</b> shares",
            f"⚡ <b>{percent(rate)}</b> engagement (likes + comments + shares ÷ views)",
        ]
    )


# By LookupProblem value (bot/insights/finder.py).
LOOKUP_PROBLEMS = {
    "not_a_link": (
        "I couldn't find a TikTok video in that. Send /stats with a video link "
        "(like https://www.tiktok.com/@you/video/7301234567890123456 or a vm.tiktok.com "
        "short link) or the video's 19-digit id."
    ),
    "short_link_unreachable": (
        "I couldn't open that short link right now. Please try again in a minute, "
        "or send the full link from the TikTok app (Share → Copy link)."
    ),
    "short_link_not_a_video": (
        "That short link doesn't lead to a TikTok video. Please send the video's own link."
    ),
    "not_found": (
        "That video isn't on any of your linked TikTok accounts (or it's private, still "
        "processing or deleted). I can only show numbers for your own videos."
    ),
    "no_video_scope": (
        "I can't read your videos: your accounts were linked without “reading your videos” "
        "(<code>video.list</code>). Re-link and keep that box ticked."
    ),
}


def lookup_problem(failed: ProblemFacts) -> str:
    """Why no video came out of a link."""
    return LOOKUP_PROBLEMS[failed.problem]


def bot_posts(posts: BotPostsFacts, now: datetime) -> str:
    """The account's posts made through the bot, with numbers."""
    label = esc(posts.account.label)
    if posts.scope_missing:
        count = len(posts.not_visible) + posts.older
        return (
            f"📤 I published {count} {_plural(count, 'post', 'posts')} for <b>{label}</b>, "
            "but I can't read "
            "their numbers: the account was linked without “reading your videos” "
            "(<code>video.list</code>). Re-link it to see them."
        )
    if not posts.videos and not posts.not_visible:
        return f"📤 Nothing posted to <b>{label}</b> through me yet. Send me a video to post!"
    lines = [f"📤 <b>Posted to {label} from this bot</b>"]
    lines.extend(video_line(i + 1, v, now) for i, v in enumerate(posts.videos))
    if posts.videos:
        lines.append(ENGAGEMENT_LEGEND)
    if posts.not_visible:
        count = len(posts.not_visible)
        lines.append(
            f"\n{count} more {_plural(count, 'post isn’t', 'posts aren’t')} visible to me "
            "(private, still processing or removed)."
        )
    if posts.older:
        lines.append(f"…and {posts.older} older {_plural(posts.older, 'post', 'posts')}.")
    return "\n".join(lines)


PICK_ACCOUNT = "📊 Which account's stats?"
DEFAULT_ACCOUNT_BUTTON = "⭐ {label}"
ACCOUNT_BUTTON = "{label}"
BUTTON_MORE = "⬇️ More videos"
BUTTON_BOT_POSTS = "📤 Posts from this bot"
BUTTON_OTHER_ACCOUNT = "👥 Another account"
BUTTON_RELINK = "🔄 Re-link {label}"
NO_MORE_VIDEOS = "That's all the videos."

CHART_FOLLOWERS = "Followers"
CHART_LIKES = "Likes"


def chart_title(label: str) -> str:
    """Drawn on the chart itself (plain text, not HTML)."""
    return f"{label} · growth"


def chart_caption(label: str, first: datetime, now: datetime) -> str:
    """Under the chart photo."""
    return f"📈 Growth of <b>{esc(label)}</b> {since_text(since(first, now))}"


def chart_time_label(moment: datetime, first: datetime, last: datetime) -> str:
    """A time tick: "14:05" within two days, else "Nov 3"."""
    if last - first <= timedelta(days=2):
        return f"{moment:%H:%M}"
    return day_month(moment)
