"""Bot-level methods: getMe, updates and webhooks, commands, descriptions, menu button."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from ._errors import (
    GET_UPDATES_TERMINATED,
    SECRET_TOKEN_INVALID,
    WEBHOOK_ACTIVE,
    WEBHOOK_HTTPS,
    WEBHOOK_PORT,
    bad_request,
    conflict,
)
from ._params import Params
from ._updates import Poll
from ._world import World

Handler = Callable[[World, Params], Awaitable[Any]]

MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
# A superseded long poll waits this long before answering 409, so that a client
# that already hung up (PTB cancelling its poll on shutdown) is seen as gone and
# the 409 is not counted as a rejected call.
SUPERSEDED_GRACE = 0.05
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LANGUAGE_RE = re.compile(r"(|[a-z]{2})")
_SCOPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
        "chat", "chat_administrators", "chat_member",
    }
)  # fmt: skip
_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "message_reaction", "message_reaction_count",
        "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
        "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip


async def get_me(world: World, p: Params) -> dict[str, Any]:
    """getMe: the bot's User with the bot-only capability flags."""
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _allowed_updates(p: Params) -> list[str] | None:
    allowed = p.get_json("allowed_updates", "can't parse allowed_updates JSON array")
    if allowed is None:
        return None
    if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
        raise bad_request("can't parse allowed_updates JSON array")
    return [kind for kind in allowed if kind in _UPDATE_TYPES]


async def get_updates(world: World, p: Params) -> list[dict[str, Any]]:
    """getUpdates: confirm by offset, long-poll up to timeout seconds."""
    if world.profile.webhook.get("url"):
        raise conflict(WEBHOOK_ACTIVE)
    world.updates.set_allowed(_allowed_updates(p))
    result = await world.updates.poll(
        offset=p.get_int("offset", default=0) or 0,
        limit=p.get_int("limit", default=100) or 100,
        wait_seconds=p.get_float("timeout"),
    )
    if result is Poll.SUPERSEDED:
        await asyncio.sleep(SUPERSEDED_GRACE)
        raise conflict(GET_UPDATES_TERMINATED)
    return result


def _check_webhook_url(url: str, *, allow_http: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme == "http" and allow_http and parts.hostname:
        return
    if parts.scheme != "https" or not parts.hostname:
        raise bad_request(WEBHOOK_HTTPS)
    if (parts.port or 443) not in WEBHOOK_PORTS:
        raise bad_request(WEBHOOK_PORT)


async def set_webhook(world: World, p: Params) -> bool:
    """setWebhook: validate and remember the webhook ("" removes it)."""
    url = p.get_str("url") or ""
    if not url:
        return await delete_webhook(world, p)
    _check_webhook_url(url, allow_http=world.webhook_delivery)
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise bad_request(SECRET_TOKEN_INVALID)
    max_connections = p.get_int("max_connections", default=40) or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")  # fake
    allowed = _allowed_updates(p)
    world.updates.set_allowed(allowed)
    if p.get_bool("drop_pending_updates"):
        world.updates.drop_pending()
    world.profile.webhook = {
        "url": url,
        "max_connections": max_connections,
        "secret_token": secret,
        "ip_address": p.get_str("ip_address"),
    }
    world.updates.arrived.notify()
    return True


async def delete_webhook(world: World, p: Params) -> bool:
    """deleteWebhook: forget the webhook, optionally dropping pending updates."""
    world.profile.webhook = {}
    if p.get_bool("drop_pending_updates"):
        world.updates.drop_pending()
    return True


async def get_webhook_info(world: World, p: Params) -> dict[str, Any]:
    """getWebhookInfo: the current webhook (url "" when polling)."""
    hook = world.profile.webhook
    info: dict[str, Any] = {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": world.updates.pending_count,
    }
    if hook.get("url"):
        info["max_connections"] = hook["max_connections"]
        for key in ("ip_address", "last_error_date", "last_error_message"):
            if hook.get(key) is not None:
                info[key] = hook[key]
        allowed = world.updates.allowed_updates
        if allowed is not None:
            info["allowed_updates"] = allowed
    return info


def command_scope_key(scope: dict[str, Any] | None) -> str:
    """The key commands are stored under for a BotCommandScope (None: the default scope)."""
    scope = scope or {"type": "default"}
    ids = "".join(f":{scope[name]}" for name in ("chat_id", "user_id") if scope.get(name))
    return f"{scope['type']}{ids}"


def _scope_key(p: Params) -> tuple[str, str]:
    scope = p.get_json("scope", "can't parse BotCommandScope JSON object")
    if scope is not None and (not isinstance(scope, dict) or scope.get("type") not in _SCOPES):
        raise bad_request("can't parse BotCommandScope JSON object")
    language = p.get_str("language_code") or ""
    if not _LANGUAGE_RE.fullmatch(language):
        raise bad_request("invalid language code specified")  # fake
    return command_scope_key(scope), language


async def set_my_commands(world: World, p: Params) -> bool:
    """setMyCommands: 1..100 commands named ``[a-z0-9_]{1,32}``, described in 1..256 chars."""
    commands = p.get_json("commands", "can't parse commands JSON object")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if not 1 <= len(commands) <= MAX_COMMANDS:
        raise bad_request(f"commands must contain 1-{MAX_COMMANDS} items")  # fake
    checked: list[dict[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not isinstance(description, str):
            raise bad_request("can't parse BotCommand JSON object")
        if not _COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= MAX_COMMAND_DESCRIPTION:
            raise bad_request("command description must be 1-256 characters")  # fake
        checked.append({"command": name, "description": description})
    world.profile.commands[_scope_key(p)] = checked
    return True


async def get_my_commands(world: World, p: Params) -> list[dict[str, str]]:
    """getMyCommands for a scope and language."""
    return list(world.profile.commands.get(_scope_key(p), []))


async def delete_my_commands(world: World, p: Params) -> bool:
    """deleteMyCommands for a scope and language."""
    world.profile.commands.pop(_scope_key(p), None)
    return True


def _description_setter(field: str, limit: int) -> Handler:
    async def set_description(world: World, p: Params) -> bool:
        text = p.get_str(field) or ""
        if len(text) > limit:
            raise bad_request(f"{field} is too long")  # fake
        world.profile.descriptions[(field, p.get_str("language_code") or "")] = text
        return True

    set_description.__doc__ = f"Store the bot's {field} (at most {limit} characters)."
    return set_description


def _description_getter(field: str) -> Handler:
    async def get_description(world: World, p: Params) -> dict[str, str]:
        key = (field, p.get_str("language_code") or "")
        return {field: world.profile.descriptions.get(key, "")}

    get_description.__doc__ = f"Return the bot's {field}."
    return get_description


async def set_chat_menu_button(world: World, p: Params) -> bool:
    """setChatMenuButton: "commands", "default" or "web_app" for a chat or as the default."""
    button = p.get_json("menu_button", "can't parse menu button JSON object")
    if button is None:
        button = {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in {"commands", "default", "web_app"}:
        raise bad_request("can't parse menu button JSON object")
    chat_id = p.get("chat_id")
    if chat_id is not None:
        world.chat_for(chat_id)
    world.profile.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(world: World, p: Params) -> dict[str, Any]:
    """getChatMenuButton for a chat or the default."""
    chat_id = p.get("chat_id")
    return world.profile.menu_buttons.get(chat_id) or world.profile.menu_buttons.get(
        None, {"type": "commands"}
    )


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _description_setter("description", MAX_DESCRIPTION),
    "getMyDescription": _description_getter("description"),
    "setMyShortDescription": _description_setter("short_description", MAX_SHORT_DESCRIPTION),
    "getMyShortDescription": _description_getter("short_description"),
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
