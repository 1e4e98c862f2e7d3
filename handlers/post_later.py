"""The composer's "🗓 Post later": choose a time (zone asked once), schedule the draft.

Callback data::

    dl:<draft>:start | type | back
    dl:<draft>:at:<preset>     bot.scheduling.times.Preset
    dz:<draft>:<zone choice>   the time zone, asked before the first scheduled post

A typed time reaches `text_input` (its own handler group) while the bot waits
for one (UserPreferences.awaiting = "draft_time:<draft>").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.publishing.drafts import DraftNotFound, NotYourDraft
from bot.scheduling.preferences import UserPreferences
from bot.scheduling.queue import MediaUnavailable, PostQueue
from bot.scheduling.times import Preset, TimeRefused, parse_time, preset_time, presets
from bot.scheduling.zones import TimeZoneChoice
from bot.teams import Closed, TeamRefused
from bot.texts import common
from bot.texts import composer as tc
from bot.texts import scheduling as t
from handlers import settings
from handlers.composer import render
from handlers.context import services, user_id
from handlers.queue import PRESET_LABELS, when_text
from handlers.team_refusals import ended_review, refusal_text

AWAIT_DRAFT_TIME = "draft_time:"


def _queue(context: ContextTypes.DEFAULT_TYPE) -> PostQueue:
    queue = services(context).queue
    assert queue is not None, "BotApp builds the post queue"
    return queue


def _prefs(context: ContextTypes.DEFAULT_TYPE) -> UserPreferences:
    prefs = services(context).preferences
    assert prefs is not None, "BotApp builds the preferences service"
    return prefs


def _times(draft_id: int, now: datetime, zone: TimeZoneChoice) -> InlineKeyboardMarkup:
    d = f"dl:{draft_id}"
    rows = [
        [InlineKeyboardButton(PRESET_LABELS[p.preset], callback_data=f"{d}:at:{p.preset}")]
        for p in presets(now, zone)
    ]
    rows.append([InlineKeyboardButton(t.BUTTON_TYPE_TIME, callback_data=f"{d}:type")])
    rows.append([InlineKeyboardButton(t.BUTTON_BACK_TO_COMPOSER, callback_data=f"{d}:back")])
    return InlineKeyboardMarkup(rows)


async def _offer_times(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    draft_id: int,
    zone: TimeZoneChoice,
) -> None:
    state = await services(context).drafts.state(uid, draft_id)
    text = t.post_later_for(state.draft.kind, state.creator.nickname or state.account.label)
    await message.edit_text(
        text, parse_mode="HTML", reply_markup=_times(draft_id, _queue(context).now(), zone)
    )


async def later_button_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch the `dl:` and `dz:` buttons."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or not query.data:
        return
    prefix, *parts = query.data.split(":")
    if len(parts) < 2 or not parts[0].isdigit():
        await query.answer(common.STALE_BUTTON)
        return
    draft_id, action = int(parts[0]), parts[1]
    uid, message, prefs = user_id(update), query.message, _prefs(context)
    try:
        state = await services(context).drafts.state(uid, draft_id)
    except NotYourDraft:
        await query.answer(tc.NOT_YOURS, show_alert=True)
        return
    except DraftNotFound:
        ended = await ended_review(services(context), uid, draft_id)  # a team request ended
        await query.answer(ended or tc.DRAFT_GONE, show_alert=ended is not None)
        return
    if prefix == "dz":
        if action == "type":
            await query.answer()
            await prefs.expect(uid, settings.zone_awaiting(f"d{draft_id}"))
            await message.reply_html(t.TYPE_ZONE)
            return
        zone = settings.picked_zone(action)
        if zone is None:
            await query.answer(common.STALE_BUTTON)
            return
        await prefs.set_time_zone(uid, zone)
        await query.answer()
        await _offer_times(message, context, uid, draft_id, zone)
        return
    if action == "back":
        await query.answer()
        text, keyboard = render(state)
        await message.edit_text(text, parse_mode="HTML", reply_markup=keyboard)
        return
    if not state.view.can_post:
        blocker = state.view.blockers[0].value
        await query.answer(
            tc.BLOCKERS[blocker].format(
                max=tc.human_duration(state.creator.max_video_post_duration_sec)
            ),
            show_alert=True,
        )
        return
    zone = await prefs.time_zone(uid)
    if action == "start":
        await query.answer()
        if zone is None:  # asked once, then remembered (/settings changes it)
            await message.edit_text(
                t.ASK_ZONE, parse_mode="HTML", reply_markup=settings.zone_keyboard(f"dz:{draft_id}")
            )
            return
        await _offer_times(message, context, uid, draft_id, zone)
        return
    if zone is None:
        await query.answer(common.STALE_BUTTON)
        return
    if action == "type":
        await query.answer()
        await prefs.expect(uid, f"{AWAIT_DRAFT_TIME}{draft_id}")
        await message.reply_html(t.ASK_TIME)
        return
    if action == "at" and len(parts) == 3:
        if parts[2] not in set(Preset):
            await query.answer(common.STALE_BUTTON)
            return
        try:
            when = preset_time(Preset(parts[2]), _queue(context).now(), zone)
        except TimeRefused:  # "this evening" tapped after 19:00
            await query.answer(t.time_problem("past"), show_alert=True)
            return
        reply = await _schedule(context, uid, draft_id, when, zone)
        if reply.alert is not None:
            await query.answer(reply.alert, show_alert=True)
            return
        await query.answer()
        await message.edit_text(reply.text, parse_mode="HTML")
        return
    await query.answer(common.STALE_BUTTON)


@dataclass(frozen=True, slots=True)
class _Reply:
    """What scheduling produced: the confirmation, or an alert (`retry`: ask for a time again)."""

    text: str = ""
    alert: str | None = None
    retry: bool = False


async def _schedule(
    context: ContextTypes.DEFAULT_TYPE,
    uid: int,
    draft_id: int,
    when: datetime,
    zone: TimeZoneChoice,
) -> _Reply:
    try:
        state, job_id = await _queue(context).schedule_draft(uid, draft_id, when)
    except TimeRefused as refused:
        return _Reply(alert=t.time_problem(refused.problem), retry=True)
    except MediaUnavailable as missing:
        return _Reply(alert=t.MEDIA_TOO_BIG if missing.too_big else t.MEDIA_GONE)
    except (Closed, TeamRefused) as refused:  # a team request ended, or the right was revoked
        return _Reply(alert=refusal_text(refused))
    except DraftNotFound:
        ended = await ended_review(services(context), uid, draft_id)
        return _Reply(alert=ended or tc.ALREADY_SUBMITTED)
    if job_id is None:
        blocker = state.view.blockers[0].value
        return _Reply(
            alert=tc.BLOCKERS[blocker].format(
                max=tc.human_duration(state.creator.max_video_post_duration_sec)
            )
        )
    return _Reply(text=t.scheduled_confirmation(when_text(when, zone)))


async def text_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed time for a draft being scheduled; anything else passes on."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return
    uid, prefs = user_id(update), _prefs(context)
    awaiting = await prefs.awaiting(uid) or ""
    if not awaiting.startswith(AWAIT_DRAFT_TIME):
        return
    draft_id = int(awaiting.removeprefix(AWAIT_DRAFT_TIME))
    zone = await prefs.time_zone(uid) or TimeZoneChoice("UTC")
    try:
        when = parse_time(message.text, _queue(context).now(), zone)
    except TimeRefused as refused:
        await message.reply_html(t.time_problem(refused.problem))
        raise ApplicationHandlerStop from None
    reply = await _schedule(context, uid, draft_id, when, zone)
    if reply.alert is not None and reply.retry:
        await message.reply_html(reply.alert)
        raise ApplicationHandlerStop
    await prefs.expect(uid, None)
    await message.reply_html(reply.alert or reply.text)
    raise ApplicationHandlerStop


async def after_zone(message: Message, context: ContextTypes.DEFAULT_TYPE, draft_id: int) -> None:
    """A typed zone answered the question asked before scheduling: offer the times."""
    if message.from_user is None:
        return
    uid = message.from_user.id
    zone = await _prefs(context).time_zone(uid)
    if zone is None:
        return
    state = await services(context).drafts.state(uid, draft_id)
    await message.reply_html(
        t.post_later_for(state.draft.kind, state.creator.nickname or state.account.label),
        reply_markup=_times(draft_id, _queue(context).now(), zone),
    )


settings.AFTER_ZONE["d"] = after_zone
