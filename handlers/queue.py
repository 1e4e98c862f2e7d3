"""/queue: scheduled and running posts, with post now, reschedule, edit caption, cancel.

Callback data (short, far below 64 bytes)::

    q:<job>:now | re | type | cap | x | xok | back
    q:<job>:at:<preset>         a reschedule preset (see bot.scheduling.times.Preset)
    qz:<job>:<zone choice>      the time zone, asked once before the first reschedule

Typed answers (a new time, a new caption) reach `text_input` in its own group
while the bot waits for one (UserPreferences.awaiting).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.scheduling.preferences import UserPreferences
from bot.scheduling.queue import Change, PostQueue, QueueEntry
from bot.scheduling.times import Preset, TimeRefused, local, parse_time, preset_time, presets
from bot.scheduling.zones import TimeZoneChoice
from bot.texts import common
from bot.texts import scheduling as t
from handlers import settings, teams
from handlers.context import services, user_id

AWAIT_TIME = "queue_time:"
AWAIT_CAPTION = "queue_caption:"
UTC_ZONE = TimeZoneChoice("UTC")
PRESET_LABELS = {
    Preset.IN_ONE_HOUR: t.BUTTON_IN_ONE_HOUR,
    Preset.THIS_EVENING: t.BUTTON_THIS_EVENING,
    Preset.TOMORROW_MORNING: t.BUTTON_TOMORROW_MORNING,
}


@dataclass(frozen=True, slots=True)
class Tap:
    """One tap on a queue button: who, on which message, about which post."""

    answer: Callable[..., Awaitable[Any]]
    message: Message
    context: ContextTypes.DEFAULT_TYPE
    uid: int
    job: int
    rest: list[str]


def _queue(context: ContextTypes.DEFAULT_TYPE) -> PostQueue:
    queue = services(context).queue
    assert queue is not None, "BotApp builds the post queue"
    return queue


def _prefs(context: ContextTypes.DEFAULT_TYPE) -> UserPreferences:
    prefs = services(context).preferences
    assert prefs is not None, "BotApp builds the preferences service"
    return prefs


def when_text(moment: datetime, zone: TimeZoneChoice) -> str:
    """A due time on the user's clock, with the zone."""
    return t.moment(local(moment, zone), zone.name)


def entry_text(entry: QueueEntry, zone: TimeZoneChoice, note: str = "") -> str:
    """One post of the queue."""
    return t.queue_entry(
        kind=entry.kind,
        state=entry.state.value,
        when=when_text(entry.due, zone),
        account_label=entry.account_label,
        caption_start=entry.caption_start,
        hold_code=entry.hold_reason,
        note=note,
    )


def entry_keyboard(entry: QueueEntry) -> InlineKeyboardMarkup:
    """The post's buttons: all four while it waits; Cancel only (it explains) once running."""
    job = entry.job_id
    cancel = InlineKeyboardButton(t.BUTTON_CANCEL, callback_data=f"q:{job}:x")
    if not entry.waiting:
        return InlineKeyboardMarkup([[cancel]])
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t.BUTTON_POST_NOW, callback_data=f"q:{job}:now"),
                InlineKeyboardButton(t.BUTTON_RESCHEDULE, callback_data=f"q:{job}:re"),
            ],
            [
                InlineKeyboardButton(t.BUTTON_EDIT_CAPTION, callback_data=f"q:{job}:cap"),
                cancel,
            ],
        ]
    )


def time_keyboard(prefix: str, now: datetime, zone: TimeZoneChoice) -> InlineKeyboardMarkup:
    """Presets that apply now, "type a time", and back; callbacks `<prefix>:at:<preset>`."""
    rows = [
        [InlineKeyboardButton(PRESET_LABELS[p.preset], callback_data=f"{prefix}:at:{p.preset}")]
        for p in presets(now, zone)
    ]
    rows.append(
        [
            InlineKeyboardButton(t.BUTTON_TYPE_TIME, callback_data=f"{prefix}:type"),
            InlineKeyboardButton(t.BUTTON_BACK, callback_data=f"{prefix}:back"),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _zone(context: ContextTypes.DEFAULT_TYPE, uid: int) -> TimeZoneChoice | None:
    return await _prefs(context).time_zone(uid)


async def queue_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the user's open posts, one message each with its buttons."""
    message = update.effective_message
    if message is None:
        return
    uid = user_id(update)
    entries = await _queue(context).entries(uid)
    if not entries:
        if not await teams.queue_requests(update, context):  # team requests, if any
            await message.reply_html(t.QUEUE_EMPTY)
        return
    zone = await _zone(context, uid) or UTC_ZONE
    await message.reply_html(t.queue_header(len(entries), zone.name))
    for entry in entries:
        await message.reply_html(entry_text(entry, zone), reply_markup=entry_keyboard(entry))
    await teams.queue_requests(update, context)  # then the team requests in one message


async def _show(
    message: Message, context: ContextTypes.DEFAULT_TYPE, uid: int, job: int, note: str
) -> None:
    """Re-render one entry in place (or say it left the queue)."""
    entry = await _queue(context).entry(uid, job)
    zone = await _zone(context, uid) or UTC_ZONE
    if entry is None:
        await message.edit_text(note or t.change_refused(Change.GONE), parse_mode="HTML")
        return
    await message.edit_text(
        entry_text(entry, zone, note), parse_mode="HTML", reply_markup=entry_keyboard(entry)
    )


async def _update_post_message(
    context: ContextTypes.DEFAULT_TYPE, entry: QueueEntry | None, text: str
) -> None:
    """Bring the post's own message ("will be posted at …") in line with the queue."""
    if entry is None or entry.progress_message_id is None:
        return
    with contextlib.suppress(TelegramError):  # deleted by the user, or unchanged
        await context.bot.edit_message_text(
            text, chat_id=entry.chat_id, message_id=entry.progress_message_id, parse_mode="HTML"
        )


async def queue_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch the `q:` and `qz:` buttons."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or not query.data:
        return
    prefix, *parts = query.data.split(":")
    if len(parts) < 2 or not parts[0].isdigit():
        await query.answer(common.STALE_BUTTON)
        return
    job, action, rest = int(parts[0]), parts[1], parts[2:]
    uid, message = user_id(update), query.message
    if prefix == "qz" and action == "type":
        await query.answer()
        await _prefs(context).expect(uid, settings.zone_awaiting(f"q{job}"))
        await message.reply_html(t.TYPE_ZONE)
        return
    if prefix == "qz":
        zone = settings.picked_zone(action)
        if zone is None:
            await query.answer(common.STALE_BUTTON)
            return
        await _prefs(context).set_time_zone(uid, zone)
        await query.answer()
        await _offer_times(message, context, job, zone)
        return
    handler = _ACTIONS.get(action)
    if handler is None:
        await query.answer(common.STALE_BUTTON)
        return
    await handler(Tap(query.answer, message, context, uid, job, rest))


async def _offer_times(
    message: Message, context: ContextTypes.DEFAULT_TYPE, job: int, zone: TimeZoneChoice
) -> None:
    now = _queue(context).now()
    await message.edit_text(
        t.CHOOSE_TIME, parse_mode="HTML", reply_markup=time_keyboard(f"q:{job}", now, zone)
    )


async def _post_now(tap: Tap) -> None:
    change = await _queue(tap.context).post_now(tap.uid, tap.job)
    if change is not Change.DONE:
        await tap.answer(t.change_refused(change), show_alert=True)
        return
    await tap.answer(t.POSTING_NOW)
    await _show(tap.message, tap.context, tap.uid, tap.job, t.POSTING_NOW)


async def _reschedule(tap: Tap) -> None:
    entry = await _queue(tap.context).entry(tap.uid, tap.job)
    if entry is None or not entry.waiting:
        await tap.answer(
            t.change_refused(Change.GONE if entry is None else Change.RUNNING), show_alert=True
        )
        return
    await tap.answer()
    zone = await _zone(tap.context, tap.uid)
    if zone is None:  # asked once, then remembered (/settings changes it)
        await tap.message.edit_text(
            t.ASK_ZONE, parse_mode="HTML", reply_markup=settings.zone_keyboard(f"qz:{tap.job}")
        )
        return
    await _offer_times(tap.message, tap.context, tap.job, zone)


async def _at_preset(tap: Tap) -> None:
    zone = await _zone(tap.context, tap.uid) or UTC_ZONE
    if not tap.rest or tap.rest[0] not in set(Preset):
        await tap.answer(common.STALE_BUTTON)
        return
    try:
        when = preset_time(Preset(tap.rest[0]), _queue(tap.context).now(), zone)
    except TimeRefused:  # "this evening" tapped after 19:00
        await tap.answer(t.time_problem("past"), show_alert=True)
        return
    await _move(tap, when, zone)


async def _move(tap: Tap, when: datetime, zone: TimeZoneChoice) -> None:
    try:
        change = await _queue(tap.context).reschedule(tap.uid, tap.job, when)
    except TimeRefused as refused:
        await tap.answer(t.time_problem(refused.problem), show_alert=True)
        return
    if change is not Change.DONE:
        await tap.answer(t.change_refused(change), show_alert=True)
        return
    await tap.answer()
    entry = await _queue(tap.context).entry(tap.uid, tap.job)
    if entry is not None:
        await _update_post_message(
            tap.context,
            entry,
            t.scheduled_for(entry.kind, entry.account_label, when_text(when, zone)),
        )
    await _show(tap.message, tap.context, tap.uid, tap.job, t.moved(when_text(when, zone)))


async def _ask_time(tap: Tap) -> None:
    await tap.answer()
    await _prefs(tap.context).expect(tap.uid, f"{AWAIT_TIME}{tap.job}")
    await tap.message.reply_html(t.ASK_TIME)


async def _ask_caption(tap: Tap) -> None:
    entry = await _queue(tap.context).entry(tap.uid, tap.job)
    if entry is None or not entry.waiting:
        await tap.answer(
            t.change_refused(Change.GONE if entry is None else Change.RUNNING), show_alert=True
        )
        return
    await tap.answer()
    await _prefs(tap.context).expect(tap.uid, f"{AWAIT_CAPTION}{tap.job}")
    await tap.message.reply_html(t.ASK_CAPTION)


async def _cancel(tap: Tap) -> None:
    entry = await _queue(tap.context).entry(tap.uid, tap.job)
    if entry is None:
        await tap.answer(t.change_refused(Change.GONE), show_alert=True)
        return
    if not entry.waiting:
        # Running: say why it cannot be cancelled (TikTok has it, or it is on its way).
        await tap.answer(
            t.change_refused(await _queue(tap.context).cancel(tap.uid, tap.job)), show_alert=True
        )
        return
    await tap.answer()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t.BUTTON_CANCEL_YES, callback_data=f"q:{tap.job}:xok"),
                InlineKeyboardButton(t.BUTTON_KEEP, callback_data=f"q:{tap.job}:back"),
            ]
        ]
    )
    await tap.message.edit_text(
        t.cancel_confirm(entry.caption_start), parse_mode="HTML", reply_markup=keyboard
    )


async def _cancel_confirmed(tap: Tap) -> None:
    entry = await _queue(tap.context).entry(tap.uid, tap.job)
    change = await _queue(tap.context).cancel(tap.uid, tap.job)
    if change is not Change.DONE or entry is None:
        await tap.answer(t.change_refused(change), show_alert=True)
        if entry is not None:  # still listed (it started meanwhile): show where it is
            await _show(tap.message, tap.context, tap.uid, tap.job, "")
        return
    await tap.answer()
    text = t.cancelled(entry.kind, entry.account_label)
    await _update_post_message(tap.context, entry, text)
    await tap.message.edit_text(text, parse_mode="HTML")


async def _back(tap: Tap) -> None:
    await tap.answer()
    await _show(tap.message, tap.context, tap.uid, tap.job, "")


_ACTIONS: dict[str, Callable[[Tap], Awaitable[None]]] = {
    "now": _post_now,
    "re": _reschedule,
    "at": _at_preset,
    "type": _ask_time,
    "cap": _ask_caption,
    "x": _cancel,
    "xok": _cancel_confirmed,
    "back": _back,
}


async def text_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed new time or caption for a queued post; anything else passes on."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return
    uid = user_id(update)
    awaiting = await _prefs(context).awaiting(uid) or ""
    if not awaiting.startswith((AWAIT_TIME, AWAIT_CAPTION)):
        return
    job = int(awaiting.partition(":")[2])
    queue = _queue(context)
    if awaiting.startswith(AWAIT_CAPTION):
        change = await queue.edit_caption(uid, job, message.text)
        if change is Change.TOO_LONG:
            await message.reply_html(t.change_refused(change))
            raise ApplicationHandlerStop
        await _prefs(context).expect(uid, None)
        await _reply_entry(message, context, uid, job, change, t.CAPTION_UPDATED)
        raise ApplicationHandlerStop
    zone = await _zone(context, uid) or UTC_ZONE
    try:
        when = parse_time(message.text, queue.now(), zone)
        change = await queue.reschedule(uid, job, when)
    except TimeRefused as refused:
        await message.reply_html(t.time_problem(refused.problem))
        raise ApplicationHandlerStop from None
    await _prefs(context).expect(uid, None)
    note = t.moved(when_text(when, zone))
    if change is Change.DONE:
        entry = await queue.entry(uid, job)
        if entry is not None:
            await _update_post_message(
                context,
                entry,
                t.scheduled_for(entry.kind, entry.account_label, when_text(when, zone)),
            )
    await _reply_entry(message, context, uid, job, change, note)
    raise ApplicationHandlerStop


async def _reply_entry(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    job: int,
    change: Change,
    note: str,
) -> None:
    if change is not Change.DONE:
        await message.reply_html(t.change_refused(change))
        return
    entry = await _queue(context).entry(uid, job)
    zone = await _zone(context, uid) or UTC_ZONE
    if entry is None:
        await message.reply_html(note)
        return
    await message.reply_html(entry_text(entry, zone, note), reply_markup=entry_keyboard(entry))


async def after_zone(message: Message, context: ContextTypes.DEFAULT_TYPE, job: int) -> None:
    """A typed zone answered the question asked before rescheduling: offer the times."""
    zone = await _zone(context, user_id_of(message))
    if zone is None:
        return
    await message.reply_html(
        t.CHOOSE_TIME, reply_markup=time_keyboard(f"q:{job}", _queue(context).now(), zone)
    )


def user_id_of(message: Message) -> int:
    """The id of the user who wrote `message`."""
    assert message.from_user is not None
    return message.from_user.id


settings.AFTER_ZONE["q"] = after_zone
