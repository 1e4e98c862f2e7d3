"""/settings: the user's time zone (used for scheduled posts).

Callback data::

    tz:<index>   one of COMMON_ZONES
    tz:utc       UTC
    tz:type      ask for a typed city, zone or offset

A typed zone reaches `text_input` (its own group before the composer's, see
handlers/__init__.py) only while the bot waits for one; it then stops the
update with ApplicationHandlerStop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.scheduling.preferences import AWAITING_TIME_ZONE, UserPreferences
from bot.scheduling.zones import COMMON_ZONES, TimeZoneChoice, UnknownTimeZone, resolve_time_zone
from bot.texts import scheduling as t
from handlers.context import services, user_id

ZONES_PER_ROW = 3

# What to do once a zone asked for by another step was typed: "q" (reschedule a
# queued post), "d" (schedule a draft), registered by those handler modules.
# The key and the id come from `awaiting`, e.g. "time_zone:q42".
AfterZone = Callable[[Message, ContextTypes.DEFAULT_TYPE, int], Awaitable[None]]
AFTER_ZONE: dict[str, AfterZone] = {}


def zone_awaiting(continuation: str = "") -> str:
    """The `awaiting` value for a typed zone, with what to do next ("q42", "d7")."""
    return f"{AWAITING_TIME_ZONE}:{continuation}" if continuation else AWAITING_TIME_ZONE


def _preferences(context: ContextTypes.DEFAULT_TYPE) -> UserPreferences:
    prefs = services(context).preferences
    assert prefs is not None, "BotApp builds the preferences service"
    return prefs


def zone_keyboard(prefix: str = "tz") -> InlineKeyboardMarkup:
    """Common zones, UTC, and "type one"; callbacks `<prefix>:<index>|utc|type`."""
    buttons = [
        InlineKeyboardButton(t.zone_label(name), callback_data=f"{prefix}:{index}")
        for index, name in enumerate(COMMON_ZONES)
    ]
    rows = [buttons[i : i + ZONES_PER_ROW] for i in range(0, len(buttons), ZONES_PER_ROW)]
    rows.append(
        [
            InlineKeyboardButton(t.BUTTON_UTC, callback_data=f"{prefix}:utc"),
            InlineKeyboardButton(t.BUTTON_TYPE_ZONE, callback_data=f"{prefix}:type"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def picked_zone(choice: str) -> TimeZoneChoice | None:
    """The zone a `tz:` button names (None for "type one" or a forged index)."""
    if choice == "utc":
        return TimeZoneChoice("UTC")
    if choice.isdigit() and int(choice) < len(COMMON_ZONES):
        return TimeZoneChoice(COMMON_ZONES[int(choice)])
    return None


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the current settings with the zone picker."""
    message = update.effective_message
    if message is None:
        return
    prefs = _preferences(context)
    zone = await prefs.time_zone(user_id(update))
    text = t.settings_overview(
        zone.name if zone else None, prefs.now_in(zone) if zone is not None else None
    )
    await message.reply_html(text, reply_markup=zone_keyboard())


async def zone_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A zone picked from the keyboard (or "type one")."""
    query = update.callback_query
    if query is None or not query.data:
        return
    parts = query.data.split(":")
    prefs, uid = _preferences(context), user_id(update)
    if parts[1] == "type":
        await prefs.expect(uid, AWAITING_TIME_ZONE)
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.reply_html(t.TYPE_ZONE)
        return
    choice = picked_zone(parts[1])
    if choice is None:
        await query.answer(t.zone_unknown(parts[1]))
        return
    await prefs.set_time_zone(uid, choice)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t.zone_set(choice.name, prefs.now_in(choice), choice.fixed), parse_mode="HTML"
        )


async def text_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed time zone, when the bot asked for one; otherwise let the update pass."""
    message = update.effective_message
    if message is None or not message.text or update.effective_user is None:
        return
    prefs, uid = _preferences(context), user_id(update)
    awaiting = await prefs.awaiting(uid) or ""
    if awaiting.partition(":")[0] != AWAITING_TIME_ZONE:
        return
    try:
        choice = resolve_time_zone(message.text)
    except UnknownTimeZone:
        await message.reply_html(t.zone_unknown(message.text))
        raise ApplicationHandlerStop from None
    await prefs.set_time_zone(uid, choice)
    await prefs.expect(uid, None)
    await message.reply_html(t.zone_set(choice.name, prefs.now_in(choice), choice.fixed))
    continuation = awaiting.partition(":")[2]
    then = AFTER_ZONE.get(continuation[:1])
    if then is not None and continuation[1:].isdigit():
        await then(message, context, int(continuation[1:]))
    raise ApplicationHandlerStop
