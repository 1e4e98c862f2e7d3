"""Strict readers for JSON request bodies: wrong type or missing -> invalid_params."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from emulators.tiktok.errors import invalid_params


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit TikTok's text limits are counted in."""
    return len(text.encode("utf-16-le")) // 2


def as_object(value: Any, where: str) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object, else refuse."""
    if not isinstance(value, dict):
        raise invalid_params(f"{where} must be a JSON object")
    return value


def get_str(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    """Read an optional (or required) string member."""
    value = obj.get(key)
    if value is None:
        if required:
            raise invalid_params(f"{where}.{key} is required")
        return None
    if not isinstance(value, str):
        raise invalid_params(f"{where}.{key} must be a string")
    return value


def require_str(obj: dict[str, Any], key: str, where: str) -> str:
    """Read a required string member."""
    value = get_str(obj, key, where, required=True)
    assert value is not None  # get_str raised otherwise
    return value


def get_bool(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> bool | None:
    """Read an optional (or required) boolean member; 0/1 are not booleans."""
    value = obj.get(key)
    if value is None:
        if required:
            raise invalid_params(f"{where}.{key} is required")
        return None
    if not isinstance(value, bool):
        raise invalid_params(f"{where}.{key} must be a boolean")
    return value


def get_int(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> int | None:
    """Read an optional (or required) integer member; booleans and floats are refused."""
    value = obj.get(key)
    if value is None:
        if required:
            raise invalid_params(f"{where}.{key} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_params(f"{where}.{key} must be an integer")
    return value


def require_int(obj: dict[str, Any], key: str, where: str) -> int:
    """Read a required integer member."""
    value = get_int(obj, key, where, required=True)
    assert value is not None  # get_int raised otherwise
    return value


def require_enum(obj: dict[str, Any], key: str, where: str, allowed: Collection[str]) -> str:
    """Read a required string member that must be one of ``allowed``."""
    value = require_str(obj, key, where)
    if value not in allowed:
        raise invalid_params(f"{where}.{key} must be one of {', '.join(sorted(allowed))}")
    return value


def check_text(value: str | None, where: str, limit: int) -> None:
    """Refuse text longer than ``limit`` UTF-16 code units."""
    if value is not None and utf16_len(value) > limit:
        raise invalid_params(f"{where} is longer than {limit} UTF-16 code units")


def parse_fields(raw: str | None, allowed: Collection[str]) -> list[str]:
    """Parse the ``fields`` query parameter (comma list of known field names)."""
    if not raw:
        raise invalid_params("the fields query parameter is required")
    fields = [name.strip() for name in raw.split(",")]
    unknown = [name for name in fields if name not in allowed]
    if unknown:
        raise invalid_params(f"unknown field(s): {', '.join(unknown)}")
    return list(dict.fromkeys(fields))
