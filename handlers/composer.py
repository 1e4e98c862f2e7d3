"""The post composer: one message with inline keyboards, re-rendered on every tap.

Callback data is `d:<draft_id>:<action>[:<arg>]`; the draft row holds the
state, so buttons keep working after a restart and stay far below 64 bytes.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import httpx
from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.errors import NoLinkedAccount
from bot.publishing.composer import Refused, Toggle, ToggleView
from bot.publishing.drafts import (
    ComposerState,
    DraftNotFound,
    NeedsApproval,
    NotYourDraft,
    TextField,
    media_refs,
    text_limit,
)
from bot.publishing.requests import MediaKind, PostMode
from bot.publishing.sources import FileTooBig, FileUnavailable
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    utf16_len,
)
from bot.services import Services
from bot.teams import Closed, TeamRefused
from bot.texts import common
from bot.texts import composer as t
from bot.texts import media as tm
from bot.texts import teams as tt
from bot.tiktok import PostingRefused, RateLimited, TikTokUnavailable
from handlers.context import services, user_id
from handlers.keyboards import link_button
from handlers.media_previews import send_cover_choices, send_photo_previews, send_video_preview
from handlers.team_refusals import ended_review, refusal_text

log = logging.getLogger(__name__)

TOGGLE_CODES = {
    "c": Toggle.COMMENT,
    "d": Toggle.DUET,
    "s": Toggle.STITCH,
    "ai": Toggle.AIGC,
    "cc": Toggle.DISCLOSE,
    "bo": Toggle.BRAND_ORGANIC,
    "bc": Toggle.BRAND_CONTENT,
}
CODE_OF = {toggle: code for code, toggle in TOGGLE_CODES.items()}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def render(state: ComposerState) -> tuple[str, InlineKeyboardMarkup]:
    """The composer message for a state: text and keyboard."""
    draft, choices, view, creator = state.draft, state.choices, state.view, state.creator
    d = f"d:{draft.id}"
    kind = MediaKind(draft.kind)
    what = "video" if kind is MediaKind.VIDEO else "photo"
    refs = media_refs(draft)
    duration = refs[0].duration if refs and kind is MediaKind.VIDEO else None
    media = t.media_line(draft.kind, len(refs), duration, choices.cover_index)
    if kind is MediaKind.VIDEO and choices.cover_timestamp_ms is not None:
        media += " · " + tm.cover_chosen(choices.cover_timestamp_ms)
    posting_to = t.posting_to(creator.nickname or state.account.display_name, creator.username)
    if state.team is not None:
        posting_to += tt.team_suffix(state.team)
    lines = [
        posting_to,
        media,
        "",
    ]
    rows: list[list[InlineKeyboardButton]] = []
    if state.accounts_count > 1:
        rows.append([_button(t.BUTTON_SWITCH_ACCOUNT, f"{d}:ac")])
    if view.show_caption and kind is MediaKind.VIDEO:
        lines.append(
            t.quoted("Caption", choices.title, VIDEO_CAPTION_LIMIT, utf16_len(choices.title))
        )
        row = [_button(t.BUTTON_EDIT_CAPTION, f"{d}:et")]
        if choices.direct:  # the cover is part of post_info, which inbox drafts do not send
            row.append(_button(tm.BUTTON_CHOOSE_COVER, f"{d}:vc"))
        rows.append(row)
    if view.show_photo_text:
        lines.append(t.quoted("Title", choices.title, PHOTO_TITLE_LIMIT, utf16_len(choices.title)))
        lines.append(
            t.quoted(
                "Description",
                choices.description,
                PHOTO_DESCRIPTION_LIMIT,
                utf16_len(choices.description),
            )
        )
        row = [
            _button(t.BUTTON_EDIT_TITLE, f"{d}:et"),
            _button(t.BUTTON_EDIT_DESCRIPTION, f"{d}:ed"),
        ]
        if len(refs) > 1:
            row.append(_button(t.BUTTON_COVER, f"{d}:cv"))
        rows.append(row)
    if view.privacy:
        chosen = next((p for p in view.privacy if p.selected), None)
        lines.append(
            t.PRIVACY_CHOSEN.format(label=t.PRIVACY_LABELS.get(chosen.level, chosen.level))
            if chosen
            else t.PRIVACY_HEADER
        )
        rows.append(
            [
                _button(
                    t.privacy_button(p.level, p.selected, p.allowed),
                    f"{d}:pv:{i}" if p.allowed else f"{d}:x:{p.why_not}",
                )
                for i, p in enumerate(view.privacy)
            ]
        )
    if view.interactions:
        allowed = [t.TOGGLE_LABELS[tv.toggle.value] for tv in view.interactions if tv.on]
        lines.append(t.interactions_header(draft.kind, allowed))
        rows.append([_toggle_button(d, tv) for tv in view.interactions])
    if view.aigc is not None:
        rows.append([_toggle_button(d, view.aigc)])
    if view.disclose is not None:
        rows.append([_toggle_button(d, view.disclose)])
    if view.disclosure_options:
        rows.append([_toggle_button(d, tv) for tv in view.disclosure_options])
    if view.label_notice is not None:
        lines.append("🏷 " + t.NOTICE[view.label_notice.value].format(what=what))
    mode = choices.mode
    rows.append(
        [
            # The chosen side answers "already chosen"; the other one switches.
            _button(t.mode_button(label, mode is side), f"{d}:md" + ("=" if mode is side else ""))
            for side, label in (
                (PostMode.DIRECT, t.BUTTON_MODE_DIRECT),
                (PostMode.INBOX, t.BUTTON_MODE_INBOX),
            )
        ]
    )
    if mode is PostMode.INBOX:
        lines.append(t.INBOX_NOTE)
    if view.unaudited_notice:
        lines.append(t.UNAUDITED_NOTE)
    for blocker in view.blockers:
        if blocker.value != "choose_privacy":
            lines.append(
                "⚠️ "
                + t.BLOCKERS[blocker.value].format(
                    max=t.human_duration(creator.max_video_post_duration_sec)
                )
            )
    lines += ["", f"<i>{t.PROCESSING_NOTE}</i>", t.DECLARATION[view.declaration.value]]
    if view.can_post:
        post = t.BUTTON_POST if mode is PostMode.DIRECT else t.BUTTON_SEND_INBOX
    else:
        post = t.BUTTON_POST_BLOCKED.format(reason=t.BLOCKED_SHORT[view.blockers[0].value])
    if state.team is not None:  # a team's account: its owner consents (handlers/teams.py)
        rows.append(
            [_button(tt.BUTTON_SEND, f"ta:{draft.id}:send"), _button(t.BUTTON_CANCEL, f"{d}:cx")]
        )
        return "\n".join(lines), InlineKeyboardMarkup(rows)
    if view.can_post:
        rows.append([_button(t.BUTTON_POST_LATER, f"dl:{draft.id}:start")])
    rows.append([_button(post, f"{d}:po"), _button(t.BUTTON_CANCEL, f"{d}:cx")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _toggle_button(d: str, tv: ToggleView) -> InlineKeyboardButton:
    label = t.toggle_button(t.TOGGLE_LABELS[tv.toggle.value], tv.on, tv.available)
    data = f"{d}:tg:{CODE_OF[tv.toggle]}" if tv.available else f"{d}:x:{tv.why_not}"
    return _button(label, data)


async def _send_preview(bot: Bot, svc: Services, state: ComposerState) -> Message | None:
    """Show the user's own media as TikTok will get it: a video's still, converted photos.

    Falls back to echoing the media by file_id when no still or photo can be made.
    """
    refs = media_refs(state.draft)
    chat_id = state.draft.chat_id
    if not refs:
        return None
    try:
        if state.draft.kind == MediaKind.VIDEO:
            return await send_video_preview(bot, svc, chat_id, refs[0])
        shown = await send_photo_previews(bot, svc, chat_id, list(refs))
        if shown is not None:
            return shown
    except (FileTooBig, FileUnavailable, httpx.HTTPError):
        log.info("draft %s: no preview of the media, echoing it", state.draft.id)
    first = refs[0]
    if first.as_document:
        return await bot.send_document(chat_id, first.file_id)
    if state.draft.kind == MediaKind.VIDEO:
        return await bot.send_video(chat_id, first.file_id)
    if len(refs) == 1:
        return await bot.send_photo(chat_id, first.file_id)
    photos = [r for r in refs if not r.as_document][:10]
    if len(photos) < 2:
        return await bot.send_photo(chat_id, photos[0].file_id) if photos else None
    sent = await bot.send_media_group(chat_id, [InputMediaPhoto(r.file_id) for r in photos])
    return sent[0] if sent else None


def _retry_keyboard(draft_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(t.BUTTON_RETRY, f"d:{draft_id}:op"),
                _button(t.BUTTON_CANCEL, f"d:{draft_id}:cx"),
            ]
        ]
    )


async def show_composer(bot: Bot, svc: Services, telegram_user_id: int, draft_id: int) -> None:
    """Open (or re-open) a draft's composer as a new message at the bottom of the chat.

    Used from handlers and from jobs (album debounce), so it reports the
    expected problems itself instead of relying on the update error handler.
    """
    try:
        state = await svc.drafts.open(telegram_user_id, draft_id)
    except (DraftNotFound, NotYourDraft):
        return
    except NoLinkedAccount:
        draft = await svc.drafts.owned_open(telegram_user_id, draft_id)
        url = await svc.links.start(telegram_user_id=telegram_user_id, chat_id=draft.chat_id)
        what = "video" if draft.kind == MediaKind.VIDEO else "photos"
        await bot.send_message(
            draft.chat_id, t.NEED_ACCOUNT.format(what=what), reply_markup=link_button(url)
        )
        return
    except (TikTokUnavailable, RateLimited) as outage:
        draft = await svc.drafts.owned_open(telegram_user_id, draft_id)
        text = (
            common.TIKTOK_RATE_LIMITED
            if isinstance(outage, RateLimited)
            else (common.TIKTOK_UNAVAILABLE)
        )
        await bot.send_message(
            draft.chat_id, text, reply_markup=_retry_keyboard(draft_id), parse_mode="HTML"
        )
        return
    except PostingRefused as refusal:
        draft = await svc.drafts.owned_open(telegram_user_id, draft_id)
        reason = t.CREATOR_REASONS.get(refusal.code) or t.CANNOT_POST_GENERIC.format(
            code=common.esc(refusal.code)
        )
        await bot.send_message(
            draft.chat_id,
            t.CANNOT_POST_NOW.format(account="your account", reason=reason),
            parse_mode="HTML",
            reply_markup=_retry_keyboard(draft_id),
        )
        return
    draft = state.draft
    reply_to = None
    if draft.composer_message_id is None:
        preview = await _send_preview(bot, svc, state)
        reply_to = preview.message_id if preview else None
    else:
        # Strip the old composer's buttons: the new one at the bottom is the live one.
        with contextlib.suppress(BadRequest):
            # No reply_markup at all removes the keyboard (an empty one is refused).
            await bot.edit_message_reply_markup(draft.chat_id, draft.composer_message_id)
    text, keyboard = render(state)
    message = await bot.send_message(
        draft.chat_id,
        text,
        parse_mode="HTML",
        reply_markup=keyboard,
        reply_to_message_id=reply_to,
        disable_web_page_preview=True,
    )
    await svc.drafts.set_composer_message(draft, message.message_id)


async def _refresh(bot: Bot, svc: Services, query_message: object, state: ComposerState) -> None:
    text, keyboard = render(state)
    if isinstance(query_message, Message):
        try:
            await query_message.edit_text(
                text, parse_mode="HTML", reply_markup=keyboard, disable_web_page_preview=True
            )
            return
        except BadRequest as exc:
            if "not modified" in exc.message:
                return
            if "message to edit not found" not in exc.message.lower():
                raise
    # The tapped composer is gone (deleted, or inaccessible): show a fresh one.
    await show_composer(bot, svc, state.draft.telegram_user_id, state.draft.id)


Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
Tap = Callable[[CallbackQuery, ContextTypes.DEFAULT_TYPE, Services, int, int], Awaitable[None]]


def _composer_tap(tap: Tap) -> Button:
    """A composer button handler: the query, services, user and draft id, parsed once.

    A button of someone else's draft, or of a draft that is gone, gets its
    own short answer (a callback query is answered once, here).
    """

    @functools.wraps(tap)
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, match = update.callback_query, context.match
        if query is None or match is None:
            return
        try:
            await tap(query, context, services(context), user_id(update), int(match["draft"]))
        except NotYourDraft:
            await query.answer(t.NOT_YOURS, show_alert=True)
        except DraftNotFound:
            await query.answer(t.DRAFT_GONE)

    return handle


def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    assert context.match is not None
    return str(context.match["arg"])


async def _show(
    query: CallbackQuery,
    context: ContextTypes.DEFAULT_TYPE,
    result: ComposerState | Refused,
    *,
    answered: bool,
) -> None:
    """Re-render the composer after a change, or say why the rules refused it."""
    if isinstance(result, Refused):
        await query.answer(t.WHY[result.why.value], show_alert=True)
        return
    if not answered:
        await query.answer()
    await _refresh(context.bot, services(context), query.message, result)


@_composer_tap
async def why_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Explain why a greyed-out choice is unavailable (`d:<draft>:x:<why>`)."""
    await svc.drafts.owned_open(uid, draft)  # ownership and liveness first
    why = _arg(context)
    await query.answer(t.WHY.get(why) or t.BLOCKERS.get(why, common.STALE_BUTTON), show_alert=True)


@_composer_tap
async def open_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Open the composer of a kept draft (`d:<draft>:op`)."""
    await query.answer()
    await show_composer(context.bot, svc, uid, draft)


@_composer_tap
async def cancel_button(
    query: CallbackQuery, _context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Discard the draft (`d:<draft>:cx`)."""
    await svc.drafts.cancel(uid, draft)
    await query.answer()
    await query.edit_message_text(t.CANCELLED)


@_composer_tap
async def edit_text_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Ask for the caption/title (`d:<draft>:et`) or the description (`d:<draft>:ed`)."""
    field = TextField.TITLE if _arg(context) == "t" else TextField.DESCRIPTION
    stored = await svc.drafts.ask_for_text(uid, draft, field)
    await query.answer()
    if stored.kind == MediaKind.VIDEO:
        prompt = t.ASK_CAPTION
    else:
        prompt = t.ASK_TITLE if field is TextField.TITLE else t.ASK_DESCRIPTION
    await context.bot.send_message(stored.chat_id, prompt)


@_composer_tap
async def post_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Post (`d:<draft>:po`)."""
    await _post(query, context, svc, uid, draft)


@_composer_tap
async def privacy_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Choose the privacy option at an index (`d:<draft>:pv:<n>`)."""
    await _show(
        query,
        context,
        await svc.drafts.choose_privacy(uid, draft, int(_arg(context))),
        answered=False,
    )


@_composer_tap
async def toggle_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Flip a switch (`d:<draft>:tg:<code>`)."""
    toggle = TOGGLE_CODES.get(_arg(context))
    if toggle is None:
        await query.answer(common.STALE_BUTTON)
        return
    await _show(query, context, await svc.drafts.flip(uid, draft, toggle), answered=False)


@_composer_tap
async def mode_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Post now <-> TikTok inbox (`d:<draft>:md`)."""
    await _show(query, context, await svc.drafts.switch_mode(uid, draft), answered=False)


@_composer_tap
async def chosen_mode_button(
    query: CallbackQuery, _context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """The mode already chosen (`d:<draft>:md=`): nothing changes."""
    await svc.drafts.owned_open(uid, draft)  # ownership and liveness first
    await query.answer(t.ALREADY_CHOSEN)


@_composer_tap
async def cover_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Next photo as the cover (`d:<draft>:cv`)."""
    await _show(query, context, await svc.drafts.next_cover(uid, draft), answered=False)


@_composer_tap
async def account_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Post to the next linked account (`d:<draft>:ac`)."""
    await query.answer()  # creator info is fetched: answer before TikTok is asked
    await _show(query, context, await svc.drafts.switch_account(uid, draft), answered=True)


@_composer_tap
async def choose_cover_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Send the cover candidates of the video (`d:<draft>:vc`)."""
    stored = await svc.drafts.owned_open(uid, draft)
    await query.answer()
    refs = media_refs(stored)
    if stored.kind != MediaKind.VIDEO or not refs:
        return
    try:
        await send_cover_choices(context.bot, svc, stored.chat_id, stored.id, refs[0])
    except (FileTooBig, FileUnavailable, httpx.HTTPError):
        await context.bot.send_message(stored.chat_id, tm.COVER_UNAVAILABLE)


@_composer_tap
async def cover_frame_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft: int
) -> None:
    """Use one frame of the contact sheet as the cover, or TikTok's (`d:<draft>:vt:<ms>|-`)."""
    arg = _arg(context)
    result = await svc.drafts.choose_video_cover(uid, draft, None if arg == "-" else int(arg))
    if isinstance(result, Refused):
        await query.answer(t.WHY[result.why.value], show_alert=True)
        return
    await query.answer(tm.cover_chosen(result.choices.cover_timestamp_ms))
    with contextlib.suppress(BadRequest):  # the sheet keeps its picture, loses its buttons
        await query.edit_message_reply_markup(None)
    await _refresh_composer(context.bot, svc, result)


async def _refresh_composer(bot: Bot, svc: Services, state: ComposerState) -> None:
    """Re-render the draft's composer message from a tap on another message."""
    message_id = state.draft.composer_message_id
    text, keyboard = render(state)
    if message_id is not None:
        try:
            await bot.edit_message_text(
                text,
                state.draft.chat_id,
                message_id,
                parse_mode="HTML",
                reply_markup=keyboard,
                disable_web_page_preview=True,
            )
            return
        except BadRequest as exc:
            if "not modified" in exc.message:
                return
    # The composer message is gone: show a fresh one at the bottom.
    await show_composer(bot, svc, state.draft.telegram_user_id, state.draft.id)


# At most 12 digits: a longer id matches no button (the stale answer), never the DB.
_DRAFT = r"^d:(?P<draft>\d{1,12}):"
# One handler per button, routed by PTB's CallbackQueryHandler patterns.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (_DRAFT + r"x:(?P<arg>\w+)$", why_button),
    (_DRAFT + r"op$", open_button),
    (_DRAFT + r"cx$", cancel_button),
    (_DRAFT + r"e(?P<arg>[td])$", edit_text_button),
    (_DRAFT + r"po$", post_button),
    (_DRAFT + r"pv:(?P<arg>\d+)$", privacy_button),
    (_DRAFT + r"tg:(?P<arg>\w+)$", toggle_button),
    (_DRAFT + r"md$", mode_button),
    (_DRAFT + r"md=$", chosen_mode_button),
    (_DRAFT + r"cv$", cover_button),
    (_DRAFT + r"ac$", account_button),
    (_DRAFT + r"vc$", choose_cover_button),
    (_DRAFT + r"vt:(?P<arg>\d{1,9}|-)$", cover_frame_button),
)


async def _post(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, svc: Services, uid: int, draft_id: int
) -> None:
    try:
        state, job_id = await svc.drafts.submit(uid, draft_id)
    except NeedsApproval:
        await query.answer(tt.SEND_INSTEAD, show_alert=True)
        return
    except (Closed, TeamRefused) as refused:  # a team request ended, or the right was revoked
        await query.answer(refusal_text(refused), show_alert=True)
        return
    except DraftNotFound:
        # The usual second tap of a double tap: the first one is already posting.
        # A team reviewer's draft closed with its request says what happened;
        # anything else (cancelled, forged, never existed) is simply gone.
        if await svc.drafts.was_submitted(uid, draft_id):
            await query.answer(t.ALREADY_SUBMITTED)
            return
        ended = await ended_review(svc, uid, draft_id)
        await query.answer(ended or t.DRAFT_GONE, show_alert=ended is not None)
        return
    if job_id is None:
        blocker = state.view.blockers[0].value
        await query.answer(
            t.BLOCKERS[blocker].format(
                max=t.human_duration(state.creator.max_video_post_duration_sec)
            ),
            show_alert=True,
        )
        return
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(t.SUBMITTED, parse_mode="HTML")


async def text_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take typed caption/title/description for a draft that asked for it."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return
    text = message.text.strip()
    command = text.split()[0].split("@")[0] if text.startswith("/") else ""
    if command and command != "/skip":
        return  # other commands pass through untouched
    svc = services(context)
    draft = await svc.drafts.awaiting_text(update.effective_user.id)
    if draft is None:
        return
    # Plain text: Telegram formatting means nothing to TikTok.
    value = "" if command == "/skip" else text
    field = TextField(draft.awaiting or TextField.TITLE.value)
    stored, limit = await svc.drafts.set_text(draft, value)
    if limit is not None:
        await message.reply_text(
            t.TEXT_TOO_LONG.format(used=utf16_len(value), limit=text_limit(draft, field))
        )
        raise ApplicationHandlerStop
    await show_composer(context.bot, svc, stored.telegram_user_id, stored.id)
    raise ApplicationHandlerStop
