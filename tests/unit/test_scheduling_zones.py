"""Choosing a time zone: IANA names, cities, UTC offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.zones import (
    COMMON_ZONES,
    TimeZoneChoice,
    UnknownTimeZone,
    resolve_time_zone,
    stored_choice,
)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("america/new_york", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("  Los   Angeles ", "America/Los_Angeles"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("San Francisco", "America/Los_Angeles"),
        ("Mumbai", "Asia/Kolkata"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("UTC+2", "UTC+02:00"),
        ("utc-3:30", "UTC-03:30"),
        ("+05:30", "UTC+05:30"),
        ("GMT+0", "UTC"),
        ("-0800", "UTC-08:00"),
    ],
)
def test_typed_zones_resolve(typed: str, name: str) -> None:
    assert resolve_time_zone(typed).name == name


@pytest.mark.parametrize("typed", ["", "Atlantis", "UTC+15", "+02:75", "x" * 80, "Etc/GMT+3"])
def test_unknown_zones_are_refused(typed: str) -> None:
    with pytest.raises(UnknownTimeZone):
        resolve_time_zone(typed)


def test_offsets_do_the_arithmetic() -> None:
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert moment.astimezone(TimeZoneChoice("UTC+05:30").tz).utcoffset() == timedelta(
        hours=5, minutes=30
    )
    assert TimeZoneChoice("UTC-03:00").fixed and not TimeZoneChoice("Europe/Berlin").fixed


def test_every_common_zone_exists() -> None:
    for name in COMMON_ZONES:
        assert resolve_time_zone(name).name == name


def test_stored_names_come_back_or_are_dropped() -> None:
    assert stored_choice("Asia/Tokyo") == TimeZoneChoice("Asia/Tokyo")
    assert stored_choice("UTC+01:00") == TimeZoneChoice("UTC+01:00")
    assert stored_choice(None) is None
    assert stored_choice("Mars/Olympus") is None
