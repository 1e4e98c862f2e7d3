"""/stats: account numbers, changes, a growth chart, videos page by page, one video's numbers.

Callback data: `st:<account_id>:show|posts`, `st:0:pick`, and
`st:<account_id>:m:<cursor>:<next number>` for "More videos".
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.creators import CreatorRef, parse_creator_ref
from bot.errors import NoLinkedAccount
from bot.insights import (
    AccountOverview,
    ChartSeries,
    FoundVideo,
    InsightsService,
    LookupFailed,
    LookupProblem,
    VideoListing,
    render_growth_chart,
)
from bot.texts import common
from bot.texts import stats as t
from bot.texts.humanize import compact_number, signed_number
from handlers.context import services, user_id
from handlers.creators import creator_stats, creator_video
from storage.repositories import LinkedAccount

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _insights(context: ContextTypes.DEFAULT_TYPE) -> InsightsService:
    svc = services(context).insights
    assert svc is not None, "BotApp builds the insights service"
    return svc


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the account's numbers, or one video's when a link or id follows /stats."""
    message = update.effective_message
    if message is None:
        return
    uid = user_id(update)
    await message.chat.send_action(ChatAction.TYPING)
    if context.args:
        creator = parse_creator_ref(" ".join(context.args))
        if creator is not None:  # @name, a profile link or a sec_user_id
            await _creator(message, update, context, creator)
            return
        found = await _insights(context).video(uid, " ".join(context.args))
        await _send_video(message, update, context, found)
        return
    accounts = await services(context).accounts.linked(uid)
    if not accounts:
        raise NoLinkedAccount()
    if len(accounts) == 1:
        await send_overview(message, context, uid, accounts[0].id, several=False)
    else:
        await message.reply_html(t.PICK_ACCOUNT, reply_markup=_picker(accounts))


async def _creator(
    message: Message, update: Update, context: ContextTypes.DEFAULT_TYPE, creator: CreatorRef
) -> None:
    """One of the user's own accounts: the official API; anyone else: the creator providers."""
    uid = user_id(update)
    accounts = await services(context).accounts.linked(uid)
    own = next((a for a in accounts if a.username and a.username.lower() == creator.username), None)
    if own is not None:
        await send_overview(message, context, uid, own.id, several=len(accounts) > 1)
        return
    await creator_stats(update, context, creator)


def _stats_tap(action: Action) -> Button:
    """An `st:` button handler: only the user's own accounts; forged data is "no longer active"."""

    @functools.wraps(action)
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        parts = (query.data or "").split(":")
        uid = user_id(update)
        accounts = await services(context).accounts.linked(uid)
        owned = int(parts[1]) in {a.id for a in accounts}
        picking = parts[1:3] == ["0", "pick"] and bool(accounts)
        if not (owned or picking):
            await query.answer(common.STALE_BUTTON)  # forged, or not this user's account
            return
        await query.answer()
        await action(query.message, context, uid, accounts, parts[1:])

    return handle


async def _show(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    accounts: list[LinkedAccount],
    args: list[str],
) -> None:
    await send_overview(message, context, uid, int(args[0]), several=len(accounts) > 1)


async def _pick(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    accounts: list[LinkedAccount],
    args: list[str],
) -> None:
    await message.reply_html(t.PICK_ACCOUNT, reply_markup=_picker(accounts))


async def _posts(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    accounts: list[LinkedAccount],
    args: list[str],
) -> None:
    insights = _insights(context)
    posts = await insights.bot_posts(uid, int(args[0]))
    await message.reply_html(t.bot_posts(posts, insights.now()), link_preview_options=NO_PREVIEW)


async def _more(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    accounts: list[LinkedAccount],
    args: list[str],
) -> None:
    _account, _m, cursor, number = args
    account = next(a for a in accounts if a.id == int(args[0]))
    insights = _insights(context)
    listing = await insights.videos(uid, account.id, int(cursor))
    if listing is None:
        await message.reply_html(t.missing_scopes_note(account.label, ("video.list",)))
    elif not listing.videos:
        await message.reply_html(t.NO_MORE_VIDEOS)
    else:
        await message.reply_html(
            t.more_videos(account.label, listing, insights.now(), int(number)),
            reply_markup=_more_keyboard(listing, int(number) + len(listing.videos)),
            link_preview_options=NO_PREVIEW,
        )
    with contextlib.suppress(BadRequest):  # "not modified" after a double tap
        await message.edit_reply_markup(_without(message, f"st:{':'.join(args)}"))


Action = Callable[
    [Message, ContextTypes.DEFAULT_TYPE, int, list[LinkedAccount], list[str]], Awaitable[None]
]
Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
# One handler per button, routed by PTB's CallbackQueryHandler patterns. A
# More button carries a TikTok cursor (a ms timestamp) and a position.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (r"^st:\d{1,12}:show$", _stats_tap(_show)),
    (r"^st:0:pick$", _stats_tap(_pick)),
    (r"^st:\d{1,12}:posts$", _stats_tap(_posts)),
    (r"^st:\d{1,12}:m:\d{1,16}:\d{1,5}$", _stats_tap(_more)),
)


async def send_overview(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    account_id: int,
    *,
    several: bool,
) -> None:
    """Reply with one account's stats and, once there is history, its growth chart."""
    overview = await _insights(context).overview(uid, account_id)
    await message.reply_html(
        t.overview(overview),
        reply_markup=_overview_keyboard(overview, several=several),
        link_preview_options=NO_PREVIEW,
    )
    if overview.chartable:
        png = await asyncio.to_thread(chart_png, overview)  # CPU work: keep the loop free
        await message.reply_photo(
            InputFile(png, filename="growth.png"),
            caption=t.chart_caption(
                overview.account.label, overview.history[0].taken_at, overview.now
            ),
            parse_mode="HTML",
        )


async def daily_snapshots(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: today's snapshot of every linked account."""
    await _insights(context).snapshot_all()


def chart_png(overview: AccountOverview) -> bytes:
    """The growth chart of an overview's snapshot history."""
    series = []
    for name, points in (
        (t.CHART_FOLLOWERS, [(s.taken_at, s.follower_count) for s in overview.history]),
        (t.CHART_LIKES, [(s.taken_at, s.likes_count) for s in overview.history]),
    ):
        known = [(moment, value) for moment, value in points if value is not None]
        if len(known) >= 2:
            series.append(ChartSeries(name, known))
    return render_growth_chart(
        series,
        title=t.chart_title(overview.account.label),
        x_label=t.chart_time_label,
        number=compact_number,
        change=signed_number,
    )


async def _send_video(
    message: Message,
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    found: FoundVideo | LookupFailed,
) -> None:
    if isinstance(found, FoundVideo):
        text = t.single_video(found, _insights(context).now())
        await message.reply_html(text, link_preview_options=NO_PREVIEW)
        return
    creators = services(context).creators
    if (
        found.problem is LookupProblem.NOT_FOUND
        and found.video_id
        and creators
        and creators.has_videos
    ):
        await creator_video(message, update, context, found.video_id)  # someone else's video
        return
    keyboard = None
    if found.problem is LookupProblem.NO_VIDEO_SCOPE:
        keyboard = InlineKeyboardMarkup([[_relink(a)] for a in found.accounts])
    await message.reply_html(t.lookup_problem(found), reply_markup=keyboard)


def _relink(account: LinkedAccount) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.BUTTON_RELINK.format(label=account.label), callback_data=f"acc:{account.id}:relink"
    )


def _picker(accounts: list[LinkedAccount]) -> InlineKeyboardMarkup:
    # Default first: AccountService.linked already sorts it there.
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    (t.DEFAULT_ACCOUNT_BUTTON if a.is_default else t.ACCOUNT_BUTTON).format(
                        label=a.label
                    ),
                    callback_data=f"st:{a.id}:show",
                )
            ]
            for a in accounts
        ]
    )


def _more_button(listing: VideoListing, next_number: int) -> InlineKeyboardButton | None:
    if not listing.has_more or listing.cursor is None:
        return None
    return InlineKeyboardButton(
        t.BUTTON_MORE, callback_data=f"st:{listing.account_id}:m:{listing.cursor}:{next_number}"
    )


def _more_keyboard(listing: VideoListing, next_number: int) -> InlineKeyboardMarkup | None:
    button = _more_button(listing, next_number)
    return InlineKeyboardMarkup([[button]]) if button else None


def _overview_keyboard(overview: AccountOverview, *, several: bool) -> InlineKeyboardMarkup:
    account = overview.account
    rows: list[list[InlineKeyboardButton]] = []
    if overview.videos is not None:
        more = _more_button(overview.videos, len(overview.videos.videos) + 1)
        if more is not None:
            rows.append([more])
    rows.append([InlineKeyboardButton(t.BUTTON_BOT_POSTS, callback_data=f"st:{account.id}:posts")])
    if overview.missing_scopes:
        rows.append([_relink(account)])
    if several:
        rows.append([InlineKeyboardButton(t.BUTTON_OTHER_ACCOUNT, callback_data="st:0:pick")])
    return InlineKeyboardMarkup(rows)


def _without(message: Message, data: str) -> InlineKeyboardMarkup | None:
    """The message's keyboard minus the button that was just used."""
    markup = message.reply_markup
    if markup is None:
        return None
    rows = [[b for b in row if b.callback_data != data] for row in markup.inline_keyboard]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None
