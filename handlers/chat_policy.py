"""Where the bot acts: private chats only, and only for a person it can tell apart.

Everything is keyed on the Telegram user id, so a message must come from one
identifiable person in their private chat with the bot. In groups every
member would see one-time sign-in buttons and composers, and anonymous
admins (all of them one id) or channels speaking in the group share one
identity. Groups get a pointer to the private chat, except for the team
commands and buttons (handlers/teams.py), which show nothing personal and
check every member's role themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from telegram import Chat, Message, Update

# The placeholder users Telegram puts in `from` when a message speaks for a chat:
# GroupAnonymousBot (anonymous group admins) and Channel_Bot (a channel posting).
SHARED_SENDER_IDS = frozenset({1087968824, 136817688})
# Commands a group may use in place: they show nothing personal.
GROUP_SAFE_COMMANDS = frozenset({"help", "team", "stats"})
# Team commands: a shared identity is told to post as themselves (no private pointer).
TEAM_COMMANDS = frozenset({"team", "stats"})
# Buttons that live in a group: a team's role buttons (`tr:<team>:<user>`).
GROUP_BUTTON_PREFIXES = ("tr:",)
# Where a group command points in the private chat (`/start <payload>`).
PRIVATE_PAYLOADS = {"link": "link", "accounts": "accounts"}


class Action(Enum):
    """What the gate does with an update."""

    PROCEED = auto()
    IGNORE = auto()  # no answer at all (channel posts, chatter in a group)
    REFUSE_SHARED_IDENTITY = auto()  # say why, once per message
    REFUSE_SHARED_IN_TEAM = auto()  # a team command from a shared identity: post as yourself
    POINT_TO_PRIVATE = auto()  # a group command: deep link to the private chat
    STALE_BUTTON = auto()  # a callback from a non-private chat


@dataclass(frozen=True, slots=True)
class Verdict:
    """The action, and for POINT_TO_PRIVATE the `/start` payload to use."""

    action: Action
    payload: str = ""


def _command(text: str | None) -> str | None:
    if not text or not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()


def _is_media(message: Message) -> bool:
    return any(
        (message.video, message.photo, message.document, message.video_note, message.animation)
    )


def judge(update: Update) -> Verdict:
    """Decide before any handler runs; pure, reads only the update."""
    if update.channel_post is not None or update.edited_channel_post is not None:
        return Verdict(Action.IGNORE)
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is not None and message.chat.type != Chat.PRIVATE:
            if (query.data or "").startswith(GROUP_BUTTON_PREFIXES):
                return Verdict(Action.PROCEED)  # checked against the team's roles there
            return Verdict(Action.STALE_BUTTON)
        return Verdict(Action.PROCEED)
    message = update.effective_message
    if message is None:
        return Verdict(Action.PROCEED)
    user = update.effective_user
    shared = message.sender_chat is not None or (user is not None and user.id in SHARED_SENDER_IDS)
    if getattr(message, "is_automatic_forward", False):
        return Verdict(Action.IGNORE)  # a linked channel's post copied into its group
    command = _command(message.text)
    if shared:
        if message.chat.type != Chat.PRIVATE and command in TEAM_COMMANDS:
            return Verdict(Action.REFUSE_SHARED_IN_TEAM)
        # In a group only commands are meant for the bot; chatter stays unanswered.
        if message.chat.type == Chat.PRIVATE or command is not None:
            return Verdict(Action.REFUSE_SHARED_IDENTITY)
        return Verdict(Action.IGNORE)
    if message.chat.type == Chat.PRIVATE:
        return Verdict(Action.PROCEED)
    if command is None:
        if _is_media(message):
            # handlers/team_intake.py takes every group media message and stops it there.
            return Verdict(Action.PROCEED)
        return Verdict(Action.IGNORE)  # group text is never a caption or a comment
    if command in GROUP_SAFE_COMMANDS:
        return Verdict(Action.PROCEED)
    return Verdict(Action.POINT_TO_PRIVATE, PRIVATE_PAYLOADS.get(command, ""))
