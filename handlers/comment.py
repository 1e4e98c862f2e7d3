"""/comment and /comments: write, reply to and delete comments on TikTok.

Callback data (all far below 64 bytes)::

    cmv:<account_id>:<video_id>   a video picked from the list
    cma:<account_id>              show another account's videos in the picker
    cmp:<token>:send|cancel       the pending comment's preview / prompt
    cmc:<comment_row_id>:reply|del|delok|keep   a comment written through the bot

Typed text reaches `text_input`, registered in its own group between the
gate and group 0 (see handlers/__init__.py): it answers only when the user
has a pending comment in the database, and then stops the update with
ApplicationHandlerStop; otherwise it returns and the update falls through
to the composer and the fallbacks untouched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.comments import (
    COMMENT_LIMIT,
    CommentFailed,
    CommentPosted,
    CommentService,
    DeleteOutcome,
    TextRefused,
    VideoPicker,
    clean_comment,
    parse_comment_command,
)
from bot.insights import LookupFailed, LookupProblem
from bot.texts import comments as t
from bot.texts import common
from bot.texts.stats import lookup_problem, video_age, video_title
from handlers.context import services, user_id
from storage.repositories import BotCommentRecord, PendingCommentRecord

VIDEO_BUTTON_TITLE = 28


def _comments(context: ContextTypes.DEFAULT_TYPE) -> CommentService:
    svc = services(context).comments
    assert svc is not None, "BotApp builds the comment service"
    return svc


async def comment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Comment on a linked video right away, or start by picking one of the latest videos."""
    message = update.effective_message
    if message is None:
        return
    uid, svc = user_id(update), _comments(context)
    command = parse_comment_command(message.text or "")
    if command.reference is None:
        await _send_picker(message, svc, await svc.picker(uid))
        return
    if command.text:  # check the text before asking TikTok anything
        cleaned = clean_comment(command.text)
        if isinstance(cleaned, TextRefused):
            await message.reply_html(t.text_refused(cleaned))
            return
    target = await svc.target(uid, command.reference)
    if isinstance(target, LookupFailed):
        problem = (
            t.usage(COMMENT_LIMIT)
            if target.problem is LookupProblem.NOT_A_LINK
            else lookup_problem(target)
        )
        await message.reply_html(problem)
        return
    if command.text:
        outcome = await svc.post(uid, target, command.text, reply_to=command.reply_to)
        await _reply_outcome(message, outcome)
        return
    pending = await svc.begin(uid, message.chat_id, target, reply_to=command.reply_to)
    assert isinstance(pending, PendingCommentRecord)  # no text given, nothing to refuse
    await message.reply_html(t.ask_text(pending, COMMENT_LIMIT), reply_markup=_cancel(pending))


async def comments(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the comments the user wrote through the bot, with Reply and Delete buttons."""
    message = update.effective_message
    if message is None:
        return
    svc = _comments(context)
    written = await svc.recent(user_id(update))
    if not written:
        await message.reply_html(t.NO_COMMENTS)
        return
    rows = [
        [
            InlineKeyboardButton(t.BUTTON_REPLY_N.format(n=n), callback_data=f"cmc:{c.id}:reply"),
            InlineKeyboardButton(t.BUTTON_DELETE_N.format(n=n), callback_data=f"cmc:{c.id}:del"),
        ]
        for n, c in enumerate(written, start=1)
    ]
    await message.reply_html(t.recent(written, svc.now()), reply_markup=InlineKeyboardMarkup(rows))


async def text_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a typed message as the pending comment's text; let anything else fall through."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    svc = _comments(context)
    written = await svc.write(user.id, message.text)
    if written is None:
        return  # no comment pending: the update belongs to the next groups
    if isinstance(written, TextRefused):
        pending = await svc.pending(user.id)
        markup = _cancel(pending) if pending else None
        await message.reply_html(t.text_refused(written), reply_markup=markup)
    else:
        await message.reply_html(t.preview(written), reply_markup=_send_or_cancel(written))
    raise ApplicationHandlerStop


OnTap = Callable[[Update, ContextTypes.DEFAULT_TYPE, Message, list[str]], Coroutine[Any, Any, bool]]
Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _comment_tap(on_tap: OnTap) -> Button:
    """A `cm*:` button handler; forged or foreign data (on_tap -> False) gets "no longer active"."""

    @functools.wraps(on_tap)
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        _prefix, *parts = (query.data or "").split(":")
        if not await on_tap(update, context, query.message, parts):
            await query.answer(common.STALE_BUTTON)

    return handle


async def _on_video(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, parts: list[str]
) -> bool:
    if len(parts) != 2 or not parts[0].isdigit() or not parts[1].isdigit():
        return False
    uid, svc = user_id(update), _comments(context)
    if int(parts[0]) not in {a.id for a in await services(context).accounts.linked(uid)}:
        return False
    assert update.callback_query is not None
    await update.callback_query.answer()
    target = await svc.target_on(uid, int(parts[0]), parts[1])
    pending = await svc.begin(uid, message.chat_id, target)
    assert isinstance(pending, PendingCommentRecord)
    await message.edit_text(
        t.ask_text(pending, COMMENT_LIMIT), parse_mode="HTML", reply_markup=_cancel(pending)
    )
    return True


async def _on_account(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, parts: list[str]
) -> bool:
    if len(parts) != 1 or not parts[0].isdigit():
        return False
    uid, svc = user_id(update), _comments(context)
    if int(parts[0]) not in {a.id for a in await services(context).accounts.linked(uid)}:
        return False
    assert update.callback_query is not None
    await update.callback_query.answer()
    picker = await svc.picker(uid, int(parts[0]))
    text, markup = _picker_view(svc, picker)
    await message.edit_text(text, parse_mode="HTML", reply_markup=markup)
    return True


async def _on_pending(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, parts: list[str]
) -> bool:
    if len(parts) != 2 or parts[1] not in {"send", "cancel"}:
        return False
    uid, svc = user_id(update), _comments(context)
    pending = await svc.pending(uid)
    if pending is None or pending.token != parts[0]:
        return False  # an older preview, or someone else's button
    assert update.callback_query is not None
    await update.callback_query.answer()
    if parts[1] == "cancel":
        await svc.cancel(uid, parts[0])
        await message.edit_text(t.CANCELLED)
        return True
    outcome = await svc.send(uid, parts[0])
    if isinstance(outcome, CommentPosted):
        await message.edit_text(
            t.posted(outcome.comment), parse_mode="HTML", reply_markup=_after(outcome.comment)
        )
    else:
        await message.reply_html(t.problem(outcome.problem, outcome.code))
    return True


async def _on_comment(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, parts: list[str]
) -> bool:
    if len(parts) != 2 or not parts[0].isdigit():
        return False
    uid, svc, row_id, action = user_id(update), _comments(context), int(parts[0]), parts[1]
    written = await svc.get(uid, row_id)
    if written is None or action not in {"reply", "del", "delok", "keep"}:
        return False
    query = update.callback_query
    assert query is not None
    if written.deleted_at is not None and action != "keep":
        await query.answer(t.NOT_YOURS)
        return True
    await query.answer()
    if action == "reply":
        pending = await svc.begin_reply(uid, message.chat_id, row_id)
        if pending is not None:
            await message.reply_html(
                t.ask_text(pending, COMMENT_LIMIT), reply_markup=_cancel(pending)
            )
    elif action == "del":
        await message.reply_html(t.confirm_delete(written), reply_markup=_confirm_delete(written))
    elif action == "keep":
        await message.edit_text(t.DELETE_KEPT)
    else:
        outcome = await svc.delete(uid, row_id)
        text = {
            DeleteOutcome.DELETED: t.deleted(written),
            DeleteOutcome.ALREADY_GONE: t.already_gone(written),
            DeleteOutcome.NOT_FOUND: t.NOT_YOURS,
        }[outcome]
        await message.edit_text(text, parse_mode="HTML")
    return True


async def _send_picker(message: Message, svc: CommentService, picker: VideoPicker) -> None:
    text, markup = _picker_view(svc, picker)
    await message.reply_html(text, reply_markup=markup)


def _picker_view(
    svc: CommentService, picker: VideoPicker
) -> tuple[str, InlineKeyboardMarkup | None]:
    label = common.esc(picker.account.label)
    rows: list[list[InlineKeyboardButton]] = []
    if picker.scope_missing:
        text = t.PICK_NO_SCOPE.format(label=label)
    elif not picker.videos:
        text = t.PICK_NO_VIDEOS.format(label=label)
    else:
        text = t.PICK_VIDEO.format(label=label)
        now = svc.now()
        for video in picker.videos:
            caption = t.VIDEO_BUTTON.format(
                title=video_title(video, VIDEO_BUTTON_TITLE), age=video_age(video, now)
            )
            data = f"cmv:{picker.account.id}:{video.id}"
            rows.append([InlineKeyboardButton(caption, callback_data=data)])
    rows.extend(
        [InlineKeyboardButton(t.ACCOUNT_BUTTON.format(label=a.label), callback_data=f"cma:{a.id}")]
        for a in picker.others
    )
    return text, InlineKeyboardMarkup(rows) if rows else None


async def _reply_outcome(
    message: Message, outcome: CommentPosted | CommentFailed | TextRefused
) -> None:
    if isinstance(outcome, CommentPosted):
        await message.reply_html(t.posted(outcome.comment), reply_markup=_after(outcome.comment))
    elif isinstance(outcome, TextRefused):
        await message.reply_html(t.text_refused(outcome))
    else:
        await message.reply_html(t.problem(outcome.problem, outcome.code))


def _cancel(pending: PendingCommentRecord) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=f"cmp:{pending.token}:cancel")]]
    )


def _send_or_cancel(pending: PendingCommentRecord) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t.BUTTON_SEND, callback_data=f"cmp:{pending.token}:send"),
                InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=f"cmp:{pending.token}:cancel"),
            ]
        ]
    )


def _after(comment: BotCommentRecord) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t.BUTTON_REPLY, callback_data=f"cmc:{comment.id}:reply"),
                InlineKeyboardButton(t.BUTTON_DELETE, callback_data=f"cmc:{comment.id}:del"),
            ]
        ]
    )


def _confirm_delete(comment: BotCommentRecord) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.BUTTON_CONFIRM_DELETE, callback_data=f"cmc:{comment.id}:delok"
                ),
                InlineKeyboardButton(t.BUTTON_KEEP, callback_data=f"cmc:{comment.id}:keep"),
            ]
        ]
    )


# One handler per button family, routed by PTB's CallbackQueryHandler patterns.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (r"^cmv:", _comment_tap(_on_video)),
    (r"^cma:", _comment_tap(_on_account)),
    (r"^cmp:", _comment_tap(_on_pending)),
    (r"^cmc:", _comment_tap(_on_comment)),
)
