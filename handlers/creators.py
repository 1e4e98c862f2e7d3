"""/stats @name, /following, /compare, /watch: parse, call the creator service, render.

Callback data, routed by pattern (BUTTONS): `crv:<username>:<cursor>:<offset>:<n>`
(more videos: the provider page at `cursor`, from its `offset`th video, numbered
from `n`), `crf:<username>:<cursor>:<n>` (more followings), `crw:add:<username>`
(watch) and `crw:<watch id>:x` (unwatch).
Usernames are at most 24 characters, so every button fits Telegram's 64 bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.creators import (
    CreatorDataError,
    CreatorNotFound,
    CreatorPrivate,
    CreatorRef,
    CreatorReport,
    CreatorService,
    CreatorVideo,
    FollowingView,
    Measure,
    ProviderKeyInvalid,
    ProviderNotConfigured,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
    QuotaExceeded,
    VideoPage,
    VideosMissing,
    WatchlistFull,
    WatchView,
    parse_creator_ref,
    render_comparison,
    video_engagement,
)
from bot.insights import ChartSeries, render_growth_chart
from bot.texts import common
from bot.texts import creators as t
from bot.texts.humanize import compact_number, signed_number
from handlers.context import services, user_id

log = logging.getLogger(__name__)

_MAX_COMPARED = 3
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Videos per message: a provider page holds 20 (the summary's sample), but 20 video
# lines with emoji-rich descriptions could pass Telegram's 4096 characters.
VIDEOS_SHOWN = 10


def _creators(context: ContextTypes.DEFAULT_TYPE) -> CreatorService:
    svc = services(context).creators
    assert svc is not None, "BotApp builds the creator service"
    return svc


def _unit(context: ContextTypes.DEFAULT_TYPE) -> AbstractAsyncContextManager[AsyncSession]:
    """The session of this update's unit of work (handlers/boundary.py opened it)."""
    return services(context).db.transaction()


async def _configured(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    if _creators(context).configured:
        return True
    await message.reply_html(t.NOT_CONFIGURED)
    return False


# -- /stats @name -------------------------------------------------------------------


async def creator_stats(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ref: CreatorRef
) -> None:
    """Reply with a creator's public profile, summary and latest videos, then a views chart."""
    message = update.effective_message
    if message is None or not await _configured(message, context):
        return
    await message.chat.send_action(ChatAction.TYPING)
    report = await _creators(context).report(user_id(update), ref)
    await message.reply_html(
        render_report(report),
        reply_markup=_report_keyboard(report),
        link_preview_options=NO_PREVIEW,
    )
    if report.page is not None and len(report.page.videos) >= 2:
        png = await asyncio.to_thread(views_chart, report.username, report.page)
        await message.reply_photo(
            InputFile(png, filename="views.png"),
            caption=t.chart_caption(report.username, len(report.page.videos)),
            parse_mode="HTML",
        )


async def creator_video(
    message: Message, update: Update, context: ContextTypes.DEFAULT_TYPE, video_id: str
) -> None:
    """Reply with one public video's numbers from the video-list provider."""
    svc = _creators(context)
    video = await svc.video(user_id(update), video_id)
    s = video.stats
    text = t.single_video(
        username=video.author_info.unique_id,
        nickname=video.author_info.nickname,
        desc=video.video_desc,
        published=video.published_at,
        now=svc.now(),
        views=s.play,
        likes=s.like,
        comments=s.comment,
        shares=s.share,
        saves=s.collect,
        engagement=video_engagement(video),
    )
    await message.reply_html(text, link_preview_options=NO_PREVIEW)


def render_report(report: CreatorReport) -> str:
    """The /stats @name message."""
    profile, author = report.profile, report.author
    blocks = [
        t.profile_block(
            username=report.username or report.ref.label,
            nickname=report.nickname,
            verified=report.verified,
            bio=profile.bio if profile else (author.signature if author else ""),
            followers=profile.followers if profile else None,
            following=profile.following if profile else None,
            likes=profile.likes if profile else None,
            videos=profile.videos if profile else None,
        )
    ]
    summary = report.summary
    if summary is not None and summary.sample:
        blocks.append(
            t.summary_block(
                sample=summary.sample,
                median_views=summary.median_views,
                engagement=summary.engagement,
                posts_per_week=summary.posts_per_week,
                hashtags=[(s.tag, s.videos, s.average_views) for s in summary.top_hashtags],
            )
        )
    if report.videos_missing is VideosMissing.PRIVATE:
        blocks.append(t.PRIVATE_VIDEOS)
    elif report.videos_missing is not None:
        blocks.append(t.NEEDS_VIDEOS)
    elif report.page is not None:
        shown = report.page.videos[:VIDEOS_SHOWN]
        blocks.append(_videos_text(shown, report.username, report.now, first_number=1))
    blocks.append(t.OFFICIAL_NOTE)
    return "\n\n".join(blocks)


def _videos_text(
    videos: Sequence[CreatorVideo], username: str, now: datetime, *, first_number: int
) -> str:
    lines = [_video_line(first_number + i, v, now) for i, v in enumerate(videos)]
    return t.videos_block(lines, first=first_number == 1, username=username)


def _video_line(number: int, video: CreatorVideo, now: datetime) -> str:
    s = video.stats
    return t.video_line(
        number,
        desc=video.video_desc,
        published=video.published_at,
        now=now,
        views=s.play,
        likes=s.like,
        comments=s.comment,
        shares=s.share,
        saves=s.collect,
        engagement=video_engagement(video),
    )


def _report_keyboard(report: CreatorReport) -> InlineKeyboardMarkup | None:
    rows = []
    page = report.page
    if page is not None and report.username:
        shown = min(VIDEOS_SHOWN, len(page.videos))
        more = _more_videos_button(report.username, page, "0", shown, shown + 1)
        if more is not None:
            rows.append([more])
    if report.username and report.page is not None:
        rows.append(
            [InlineKeyboardButton(t.BUTTON_WATCH, callback_data=f"crw:add:{report.username}")]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def _more_videos_button(
    username: str, page: VideoPage, cursor: str, offset: int, next_number: int
) -> InlineKeyboardButton | None:
    """More: the rest of this provider page, else the next page, else nothing."""
    if offset < len(page.videos):
        data = f"crv:{username}:{cursor}:{offset}:{next_number}"
    elif page.has_more and page.videos:
        data = f"crv:{username}:{page.next_cursor}:0:{next_number}"
    else:
        return None
    return InlineKeyboardButton(t.BUTTON_MORE_VIDEOS, callback_data=data)


def views_chart(username: str, page: VideoPage) -> bytes:
    """The views of a page's videos, oldest to newest, as a PNG."""
    points = sorted((v.published_at, v.stats.play) for v in page.videos)
    return render_growth_chart(
        [ChartSeries(t.CHART_VIEWS, points)],
        title=t.chart_title(username),
        x_label=t.chart_time_label,
        number=compact_number,
        change=signed_number,
    )


async def _more_videos(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, args: list[str]
) -> None:
    username, cursor, offset, number = args
    svc = _creators(context)
    page = await svc.more_videos(uid, username, cursor)  # the cache has it when offset > 0
    shown = page.videos[int(offset) : int(offset) + VIDEOS_SHOWN]
    if not shown:
        await message.reply_html(t.ALL_VIDEOS_SHOWN)
        return
    more = _more_videos_button(
        username, page, cursor, int(offset) + len(shown), int(number) + len(shown)
    )
    await message.reply_html(
        _videos_text(shown, username, svc.now(), first_number=int(number)),
        reply_markup=InlineKeyboardMarkup([[more]]) if more else None,
        link_preview_options=NO_PREVIEW,
    )


# -- /following ---------------------------------------------------------------------


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the first page of who a creator follows."""
    message = update.effective_message
    if message is None or not await _configured(message, context):
        return
    ref = parse_creator_ref(" ".join(context.args or []))
    if ref is None:
        await message.reply_html(t.FOLLOWING_USAGE)
        return
    await message.chat.send_action(ChatAction.TYPING)
    view = await _creators(context).following(user_id(update), ref)
    await _send_following(message, view, first_number=1)


async def _more_following(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, args: list[str]
) -> None:
    username, cursor, number = args
    view = await _creators(context).following(uid, CreatorRef(username=username), int(cursor))
    await _send_following(message, view, first_number=int(number))


async def _send_following(message: Message, view: FollowingView, *, first_number: int) -> None:
    page = view.page
    lines = [t.following_header(view.username, page.total, first_number == 1)]
    for i, account in enumerate(page.accounts):
        lines.append(
            t.followed_line(
                first_number + i,
                username=account.username,
                nickname=account.nickname,
                verified=account.verified,
                followers=account.followers,
                likes=account.likes,
                videos=account.videos,
            )
        )
    if not page.accounts:
        lines.append(t.FOLLOWS_NOBODY if first_number == 1 else t.ALL_FOLLOWING_SHOWN)
    markup = None
    if page.has_more and page.accounts and view.username:
        data = f"crf:{view.username}:{page.next_cursor}:{first_number + len(page.accounts)}"
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t.BUTTON_MORE_FOLLOWING, callback_data=data)]]
        )
    await message.reply_html("\n".join(lines), reply_markup=markup, link_preview_options=NO_PREVIEW)


# -- /compare -----------------------------------------------------------------------


async def compare(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with two or three creators side by side, then one chart."""
    message = update.effective_message
    if message is None or not await _configured(message, context):
        return
    words = list(context.args or [])
    if not 2 <= len(words) <= _MAX_COMPARED:
        await message.reply_html(t.COMPARE_USAGE)
        return
    refs = []
    for word in words:
        ref = parse_creator_ref(word)
        if ref is None:
            await message.reply_html(t.not_a_creator(word))
            return
        refs.append(ref)
    await message.chat.send_action(ChatAction.TYPING)
    reports = await _creators(context).compare(user_id(update), refs)
    names = [r.username or r.ref.label for r in reports]
    followers = [r.profile.followers if r.profile else None for r in reports]
    medians = [r.summary.median_views if r.summary else None for r in reports]
    rates = [r.summary.engagement if r.summary else None for r in reports]
    weekly = [r.summary.posts_per_week if r.summary else None for r in reports]
    await message.reply_html(
        t.compare_text(list(zip(names, followers, medians, rates, weekly, strict=True)))
    )
    measures = [
        Measure(t.COMPARE_FOLLOWERS, followers, [t.count_label(v) for v in followers]),
        Measure(t.COMPARE_MEDIAN, medians, [t.count_label(v) for v in medians]),
        Measure(t.COMPARE_ENGAGEMENT, rates, [t.rate_label(v) for v in rates]),
        Measure(t.COMPARE_FREQUENCY, weekly, [t.per_week_label(v) for v in weekly]),
    ]
    png = await asyncio.to_thread(
        render_comparison, [f"@{n}" for n in names], measures, title=t.compare_title(names)
    )
    await message.reply_photo(
        InputFile(png, filename="compare.png"), caption=t.compare_caption(names), parse_mode="HTML"
    )


# -- /watch -------------------------------------------------------------------------


async def watch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Add a creator to the watchlist, or show the list when no creator follows /watch."""
    message = update.effective_message
    if message is None:
        return
    uid = user_id(update)
    if not context.args:
        async with _unit(context) as session:
            views = await _creators(context).watches(session, uid)
        text, markup = render_watchlist(views)
        await message.reply_html(text, reply_markup=markup)
        return
    if not await _configured(message, context):
        return
    ref = parse_creator_ref(" ".join(context.args))
    if ref is None:
        await message.reply_html(t.not_a_creator(" ".join(context.args)))
        return
    await _add_watch(message, context, uid, ref)


async def _add_watch(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, ref: CreatorRef
) -> None:
    await message.chat.send_action(ChatAction.TYPING)
    async with _unit(context) as session:
        added = await _creators(context).watch(session, uid, message.chat.id, ref)
        views = await _creators(context).watches(session, uid)
    median = next(
        (v.latest.median_views for v in views if v.watch.id == added.watch.id and v.latest), None
    )
    await message.reply_html(t.watching(added.watch.username, median, added.created))


def render_watchlist(views: list[WatchView]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /watch list and its unwatch buttons."""
    if not views:
        return t.WATCH_EMPTY, None
    lines = []
    for number, view in enumerate(views, start=1):
        latest, baseline = view.latest, view.baseline
        change = None
        if latest and baseline and latest.followers is not None and baseline.followers is not None:
            change = latest.followers - baseline.followers
        lines.append(
            t.watch_line(
                number,
                username=view.watch.username,
                followers=latest.followers if latest else None,
                follower_change=change,
                since=baseline.taken_at if baseline else None,
                median_views=latest.median_views if latest else None,
            )
        )
    buttons = [
        [
            InlineKeyboardButton(
                t.unwatch_button(v.watch.username), callback_data=f"crw:{v.watch.id}:x"
            )
        ]
        for v in views
    ]
    return t.watchlist(lines), InlineKeyboardMarkup(buttons)


async def _watch_from_button(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, args: list[str]
) -> None:
    await _add_watch(message, context, uid, CreatorRef(username=args[1].lower()))


async def _unwatch(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, args: list[str]
) -> None:
    svc = _creators(context)
    async with _unit(context) as session:
        removed = await svc.unwatch(session, uid, int(args[0]))
        views = await svc.watches(session, uid)
    if removed is None:  # tapped twice, or not this user's list
        await message.reply_html(common.STALE_BUTTON)
        return
    text, markup = render_watchlist(views)
    with contextlib.suppress(BadRequest):  # "not modified" after a double tap
        await message.edit_text(text, parse_mode="HTML", reply_markup=markup)
    await message.reply_html(t.unwatched(removed.username))


async def daily_watch(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: today's snapshot of every watched creator, then the alerts."""
    svc = services(context)
    if svc.creators is None or not svc.creators.configured:
        return
    # Each watch's step commits on its own: its snapshot and claimed alerts are
    # durable before the alert goes out, whatever happens to the next watch.
    alerts = await svc.creators.snapshot_watches(svc.db.separate_transaction)
    now = svc.creators.now()
    for alert in alerts:
        video = alert.video
        text = t.breakout_alert(
            username=alert.watch.username,
            desc=video.video_desc,
            views=video.stats.play,
            median_views=alert.median_views,
            published=video.published_at,
            now=now,
        )
        try:
            await context.bot.send_message(alert.watch.chat_id, text, parse_mode="HTML")
        except TelegramError:
            log.warning("could not deliver a watch alert to chat %s", alert.watch.chat_id)


# -- buttons and errors ---------------------------------------------------------------

Action = Callable[[Message, ContextTypes.DEFAULT_TYPE, int, list[str]], Awaitable[None]]
Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _tap(action: Action, *, once: bool = False) -> Button:
    """A button handler: answer, act with the data's fields; `once` removes the used button."""

    @functools.wraps(action)
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        await query.answer()
        data = query.data or ""
        await action(query.message, context, user_id(update), data.split(":")[1:])
        if once:
            with contextlib.suppress(BadRequest):  # "not modified" after a double tap
                await query.message.edit_reply_markup(_without(query.message, data))

    return handle


def _without(message: Message, data: str) -> InlineKeyboardMarkup | None:
    """The message's keyboard minus the used button, so one page is sent once."""
    markup = message.reply_markup
    if markup is None:
        return None
    rows = [[b for b in row if b.callback_data != data] for row in markup.inline_keyboard]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


_NAME = r"[A-Za-z0-9_.]{2,24}"  # a TikTok username
# One handler per button, routed by pattern; anything else (old, forged) is
# answered "no longer active" by the fallback in handlers/__init__.py.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (rf"^crv:{_NAME}:\d{{1,20}}:\d{{1,2}}:\d{{1,5}}$", _tap(_more_videos, once=True)),
    (rf"^crf:{_NAME}:\d{{1,20}}:\d{{1,5}}$", _tap(_more_following, once=True)),
    (rf"^crw:add:{_NAME}$", _tap(_watch_from_button)),
    (r"^crw:\d{1,12}:x$", _tap(_unwatch)),
)


def creator_error_text(error: CreatorDataError) -> str:
    """The reply for a provider failure; operator problems are logged here, once."""
    if isinstance(error, ProviderNotConfigured):
        return t.NEEDS_PROFILES if error.needs == "profiles" else t.NEEDS_VIDEOS
    if isinstance(error, CreatorNotFound) and error.reference.isdigit():
        return t.VIDEO_NOT_FOUND  # an aweme_id
    if isinstance(error, CreatorNotFound):
        ref = parse_creator_ref(error.reference) or parse_creator_ref(f"@{error.reference}")
        return t.not_found(ref.label if ref else error.reference)
    if isinstance(error, CreatorPrivate):
        return t.private_account(f"@{error.username}")
    if isinstance(error, ProviderRateLimited):
        return t.rate_limited(max(1, round(error.retry_after)))
    if isinstance(error, QuotaExceeded):
        return t.quota_used(error.limit, error.resets_at, error.now)
    if isinstance(error, WatchlistFull):
        return t.watchlist_full(error.limit)
    if isinstance(error, ProviderKeyInvalid):
        log.error(
            "the %s provider refused the API key (HTTP %s): check VIDEO_LIST_API_KEY",
            error.provider,
            error.http_status,
        )
        return t.PROVIDER_REFUSED
    if isinstance(error, ProviderRejected):
        log.error("the %s provider rejected a request: %s", error.provider, error)
        return t.PROVIDER_REFUSED
    if isinstance(error, ProviderUnavailable):
        log.warning("the %s provider is unavailable: %s", error.provider, error)
        return t.PROVIDER_DOWN
    log.error("creator data error", exc_info=error)
    return common.INTERNAL_ERROR
