"""Time zones a user can choose: a few common ones, a typed city or IANA name, a UTC offset.

A choice is stored by name: an IANA name ("Europe/Berlin"), which follows
daylight saving time, or a fixed offset written "UTC+05:30", which does not.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Offered as buttons; anything else is typed.
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)

# Cities people type that are not the name of their zone.
_CITY_ALIASES = {
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "beijing": "Asia/Shanghai",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "milan": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "kiev": "Europe/Kyiv",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "osaka": "Asia/Tokyo",
    "melbourne": "Australia/Melbourne",
    "utc": "UTC",
    "gmt": "UTC",
}

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
MAX_OFFSET = timedelta(hours=14)


class UnknownTimeZone(ValueError):
    """Typed text that names no time zone we know."""


@dataclass(frozen=True, slots=True)
class TimeZoneChoice:
    """A time zone as stored: its name, and the tzinfo that does the arithmetic."""

    name: str

    @property
    def tz(self) -> tzinfo:
        """The tzinfo (a ZoneInfo, or a fixed offset)."""
        return _tzinfo(self.name)

    @property
    def fixed(self) -> bool:
        """Whether this is a fixed UTC offset (no daylight saving time)."""
        return self.name.startswith("UTC") and self.name != "UTC"


@functools.cache
def _zone_names() -> dict[str, str]:
    """Lower-cased lookup keys -> IANA name: full names and city parts."""
    names: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in name:
            continue
        names.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        names.setdefault(city, name)
    return names


def _tzinfo(name: str) -> tzinfo:
    if name == "UTC":
        return UTC
    match = _OFFSET.match(name)
    if name.startswith("UTC") and match:
        return timezone(_offset(match))
    return ZoneInfo(name)


def _offset(match: re.Match[str]) -> timedelta:
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        raise UnknownTimeZone("minutes must be below 60")
    delta = sign * timedelta(hours=hours, minutes=minutes)
    if abs(delta) > MAX_OFFSET:
        raise UnknownTimeZone("offsets go from UTC-14 to UTC+14")
    return delta


def offset_name(delta: timedelta) -> str:
    """The stored name of a fixed offset: "UTC", "UTC+02:00", "UTC-03:30"."""
    if not delta:
        return "UTC"
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def resolve_time_zone(text: str) -> TimeZoneChoice:
    """The zone a user typed: an IANA name, a city, or a UTC offset ("UTC+2", "-03:30")."""
    cleaned = " ".join(text.strip().split())
    if not cleaned or len(cleaned) > 64:
        raise UnknownTimeZone(text)
    key = cleaned.lower().replace("_", " ")
    match = _OFFSET.match(cleaned)
    if match:
        return TimeZoneChoice(offset_name(_offset(match)))
    if key in _CITY_ALIASES:
        return TimeZoneChoice(_CITY_ALIASES[key])
    names = _zone_names()
    found = names.get(cleaned.lower()) or names.get(key) or names.get(key.replace(" ", "_"))
    if found is None:
        raise UnknownTimeZone(text)
    try:
        ZoneInfo(found)
    except ZoneInfoNotFoundError:
        raise UnknownTimeZone(text) from None
    return TimeZoneChoice(found)


def stored_choice(name: str | None) -> TimeZoneChoice | None:
    """A stored name back as a choice (None, or a name this system no longer knows: None)."""
    if not name:
        return None
    try:
        _tzinfo(name)
    except (ZoneInfoNotFoundError, UnknownTimeZone, ValueError):
        return None
    return TimeZoneChoice(name)
