"""Typed access to what handlers share (services, the acting user)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import Services

__all__ = ["SERVICES_KEY", "Services", "services", "user_id"]

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
