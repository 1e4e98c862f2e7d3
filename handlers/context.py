"""Typed access to what handlers share (services, the acting user)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services

__all__ = ["SERVICES_KEY", "Services", "parse_callback", "services", "user_id"]

SERVICES_KEY = "services"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The services of this bot."""
    value = context.bot_data[SERVICES_KEY]
    assert isinstance(value, Services)
    return value


def user_id(update: Update) -> int:
    """The id of the Telegram user behind the update."""
    user = update.effective_user
    if user is None:
        raise LookupError("update without a user")
    return user.id


def parse_callback(data: str | None, prefix: str, parts: int) -> list[str] | None:
    """Split `prefix:a:b` callback data into its parts, or None when it does not fit."""
    if not data:
        return None
    fields = data.split(":")
    if fields[0] != prefix or len(fields) != parts + 1:
        return None
    return fields[1:]
