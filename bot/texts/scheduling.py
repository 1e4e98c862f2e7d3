"""Texts of posting later, /queue and /settings (HTML)."""

from __future__ import annotations

from datetime import datetime

from bot.texts.common import esc

BUTTON_TYPE_ZONE = "⌨️ Type a city or UTC offset"
BUTTON_UTC = "UTC"

ASK_ZONE = (
    "🌍 <b>Which time zone are you in?</b>\n"
    "I show and read every scheduled time in it. Tap one, or type a city "
    "(<i>Lisbon</i>, <i>New York</i>), a zone (<i>Europe/Paris</i>) or an offset "
    "(<i>UTC+2</i>, <i>-03:30</i>)."
)
TYPE_ZONE = (
    "Type your city, a time zone such as <i>Europe/Paris</i>, or a UTC offset such as <i>UTC+2</i>."
)


def zone_label(name: str) -> str:
    """A button label for an IANA zone: its city."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def moment(local: datetime, zone_name: str) -> str:
    """A time on the user's clock, with its zone: "Thu 24 Dec 18:00 (Europe/Berlin)"."""
    return f"{local:%a %d %b %H:%M} ({zone_name})"


def settings_overview(zone_name: str | None, local_now: datetime | None) -> str:
    """/settings."""
    if zone_name is None or local_now is None:
        zone = "not chosen yet — I'll ask the first time you schedule a post"
    else:
        zone = f"<b>{esc(zone_name)}</b> (it's {local_now:%H:%M} there now)"
    return f"⚙️ <b>Settings</b>\n\nTime zone: {zone}\n\nTap a zone to change it."


def zone_set(zone_name: str, local_now: datetime, fixed: bool) -> str:
    """The zone was stored."""
    note = "\nA fixed offset does not follow daylight saving time." if fixed else ""
    return (
        f"✅ Time zone set to <b>{esc(zone_name)}</b> — it's {local_now:%H:%M} "
        f"on {local_now:%a %d %b} there.{note}"
    )


def zone_unknown(typed: str) -> str:
    """Typed text that names no zone."""
    return (
        f"I don't know the time zone “{esc(typed[:64])}”. Try a bigger city nearby, a zone "
        "such as <i>Europe/Paris</i>, or an offset such as <i>UTC+2</i> — or pick one "
        "from the list with /settings."
    )
