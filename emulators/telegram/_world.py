"""The fake Telegram's state: the bot, chats, messages, callback queries and records.

Method handlers change it; the scripted users read it. Everything runs on one
event loop, so there are no locks; :class:`Signal` wakes ``wait_for`` callers.
"""

from __future__ import annotations

import collections
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._errors import CHAT_ID_EMPTY, CHAT_NOT_FOUND, bad_request, too_many_requests
from ._files import FileStore
from ._holds import Holds
from ._models import ApiCall, BotMessage, CallbackAnswer
from ._render import bot_message_dict, user_dict
from ._signal import Signal
from ._transcript import (
    answer_line,
    bot_message_lines,
    story_answer_lines,
    story_bot_lines,
    story_user_lines,
    user_message_lines,
)
from ._updates import UpdateQueue

FLOOD_WINDOW_SECONDS = 1.0
CALLBACK_ANSWER_DEADLINE = 15.0  # Telegram stops accepting answers after roughly this


@dataclass(eq=False)
class ChatState:
    """One chat: its Bot API object, message ids shared by bot and users, and history."""

    chat: dict[str, Any]
    next_message_id: int = 1
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    deleted_user_messages: set[int] = field(default_factory=set)
    timeline: list[tuple[int, int]] = field(default_factory=list)  # (message_id, version)
    transcript: list[str] = field(default_factory=list)
    # The same dialogue as a person reads it, and who wants each line as it happens.
    story: list[str] = field(default_factory=list)
    story_listeners: list[Callable[[str], None]] = field(default_factory=list)
    recent_sends: collections.deque[float] = field(default_factory=collections.deque)
    # Groups: Bot API ChatMember objects by user id (getChatMember, getChatAdministrators).
    members: dict[int, dict[str, Any]] = field(default_factory=dict)

    def tell(self, lines: list[str]) -> None:
        """Add story lines and hand each to the listeners."""
        for line in lines:
            self.story.append(line)
            for listener in self.story_listeners:
                listener(line)

    @property
    def id(self) -> int:
        """The chat id."""
        return int(self.chat["id"])

    def allocate_ids(self, count: int = 1) -> list[int]:
        """Reserve ``count`` consecutive message ids."""
        first = self.next_message_id
        self.next_message_id += count
        return list(range(first, first + count))

    def has_message(self, message_id: int) -> bool:
        """Whether a not-deleted message (bot's or user's) has this id."""
        bot = self.bot_messages.get(message_id)
        if bot is not None:
            return not bot.deleted
        return message_id in self.user_messages and message_id not in self.deleted_user_messages


@dataclass(eq=False)
class PendingQuery:
    """A callback query sent to the bot, waiting for answerCallbackQuery."""

    query_id: str
    user_id: int
    chat_id: int
    created: float
    answered: bool = False


@dataclass(eq=False)
class BotProfile:
    """What the bot configured about itself (commands, descriptions, menu, webhook)."""

    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    menu_buttons: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)


class World:
    """All state behind one fake bot token."""

    def __init__(self, *, token: str, bot_id: int, bot_username: str, files: FileStore) -> None:
        self.token = token
        self.bot_user = user_dict(
            bot_id, first_name="TikTok Test Bot", username=bot_username, is_bot=True
        )
        self.files = files
        self.updates = UpdateQueue()
        self.chats: dict[int, ChatState] = {}
        self.usernames: dict[str, int] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.answers: dict[str, CallbackAnswer] = {}
        self.profile = BotProfile()
        self.calls: list[ApiCall] = []
        self.errors: list[ApiCall] = []
        self.changed = Signal()
        self.flood_limit: int | None = 20
        self.strict_html_escaping = True
        self.callback_answer_deadline = CALLBACK_ANSWER_DEADLINE
        self.webhook_delivery = False
        self.holds = Holds()

    # -- chats -------------------------------------------------------------------------

    def add_chat(self, chat: dict[str, Any]) -> ChatState:
        """Create (or return) the chat with ``chat["id"]``."""
        state = self.chats.get(chat["id"])
        if state is None:
            state = self.chats[chat["id"]] = ChatState(chat=chat)
            if chat.get("username"):
                self.usernames[str(chat["username"]).lower()] = chat["id"]
        return state

    def chat_for(self, chat_id: Any) -> ChatState:
        """Resolve a ``chat_id`` parameter (id or ``@username``) or fail like Telegram."""
        if chat_id is None or chat_id == "":
            raise bad_request(CHAT_ID_EMPTY)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat_id = self.usernames.get(chat_id[1:].lower())
        state = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            raise bad_request(CHAT_NOT_FOUND)
        return state

    def check_flood(self, chat: ChatState) -> None:
        """Refuse a send/edit beyond ``flood_limit`` per second in one chat (429)."""
        if self.flood_limit is None:
            return
        now = time.monotonic()
        while chat.recent_sends and now - chat.recent_sends[0] > FLOOD_WINDOW_SECONDS:
            chat.recent_sends.popleft()
        if len(chat.recent_sends) >= self.flood_limit:
            raise too_many_requests(1)
        chat.recent_sends.append(now)

    # -- bot messages ------------------------------------------------------------------

    def message_dict(self, chat: ChatState, msg: BotMessage) -> dict[str, Any]:
        """The Bot API ``Message`` for a bot message in its current state."""
        reply_to = None
        if msg.reply_to_message_id is not None:
            reply_to = self.any_message_dict(chat, msg.reply_to_message_id, nested=False)
        return bot_message_dict(msg, bot=self.bot_user, chat=chat.chat, reply_to=reply_to)

    def any_message_dict(
        self, chat: ChatState, message_id: int, *, nested: bool = True
    ) -> dict[str, Any] | None:
        """The ``Message`` with this id, whoever sent it (None if unknown)."""
        if message_id in chat.user_messages:
            return chat.user_messages[message_id]
        msg = chat.bot_messages.get(message_id)
        if msg is None:
            return None
        if nested:
            return self.message_dict(chat, msg)
        return bot_message_dict(msg, bot=self.bot_user, chat=chat.chat)

    def post_bot_message(self, chat: ChatState, msg: BotMessage) -> dict[str, Any]:
        """Store a new bot message and return its ``Message`` dict."""
        chat.bot_messages[msg.message_id] = msg
        chat.timeline.append((msg.message_id, 0))
        chat.transcript.extend(bot_message_lines(msg))
        chat.tell(story_bot_lines(msg))
        self.changed.notify()
        return self.message_dict(chat, msg)

    def record_edit(self, chat: ChatState, msg: BotMessage, previous: BotMessage) -> dict[str, Any]:
        """Note that ``msg`` was edited from ``previous`` and return its new ``Message`` dict."""
        msg.edits.append(previous)
        msg.edit_date = int(time.time())
        chat.timeline.append((msg.message_id, msg.version))
        chat.transcript.extend(bot_message_lines(msg, note="edited"))
        chat.tell(story_bot_lines(msg, edited=True))
        self.changed.notify()
        return self.message_dict(chat, msg)

    def record_delete(self, chat: ChatState, message_id: int) -> None:
        """Mark a message (bot's or user's) deleted."""
        msg = chat.bot_messages.get(message_id)
        if msg is not None:
            msg.deleted = True
        else:
            chat.deleted_user_messages.add(message_id)
        chat.transcript.append(f"bot deletes #{message_id}")
        self.changed.notify()

    # -- user side ---------------------------------------------------------------------

    def user_message(
        self,
        chat: ChatState,
        user: dict[str, Any],
        content: dict[str, Any],
        *,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """Store a message from ``user`` and enqueue its update; return the ``Message``."""
        mid = message_id if message_id is not None else chat.allocate_ids()[0]
        message = {
            "message_id": mid,
            "from": user,
            "chat": chat.chat,
            "date": int(time.time()),
            **content,
        }
        chat.user_messages[mid] = message
        chat.transcript.extend(user_message_lines(user["first_name"], message))
        chat.tell(story_user_lines(user["first_name"], message))
        self.updates.put("message", message)
        return message

    def user_edit(
        self, chat: ChatState, message_id: int, text: str, entities: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Edit a user's own text message and enqueue the ``edited_message`` update."""
        message = chat.user_messages.get(message_id)
        if message is None or message_id in chat.deleted_user_messages or "text" not in message:
            raise ValueError(f"no text message #{message_id} of the user in chat {chat.id}")
        message["text"], message["edit_date"] = text, int(time.time())
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        chat.transcript.append(f"user edits #{message_id}: {text!r}")
        self.updates.put("edited_message", dict(message))
        return message

    def user_delete(self, chat: ChatState, message_id: int) -> None:
        """The user deletes a message (in a private chat, any message, for both sides)."""
        if not chat.has_message(message_id):
            raise ValueError(f"no message #{message_id} in chat {chat.id}")
        msg = chat.bot_messages.get(message_id)
        if msg is not None:
            msg.deleted = True
        else:
            chat.deleted_user_messages.add(message_id)
        chat.transcript.append(f"user deletes #{message_id}")
        self.changed.notify()

    def channel_post(self, chat: ChatState, content: dict[str, Any]) -> dict[str, Any]:
        """Store a post in a channel (no ``from``; the channel is the sender)."""
        mid = chat.allocate_ids()[0]
        message = {
            "message_id": mid,
            "sender_chat": chat.chat,
            "chat": chat.chat,
            "date": int(time.time()),
            **content,
        }
        chat.user_messages[mid] = message
        chat.transcript.extend(user_message_lines(chat.chat["title"], message))
        self.updates.put("channel_post", message)
        return message

    def callback_query(
        self, chat: ChatState, user: dict[str, Any], message_id: int, data: str
    ) -> str:
        """Enqueue a ``callback_query`` update for a tap; return the query id."""
        query_id = str(secrets.randbelow(10**18) + 10**18)
        message = self.any_message_dict(chat, message_id)
        if message is None or not chat.has_message(message_id):
            message = {"chat": chat.chat, "message_id": message_id, "date": 0}
        query = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": str(chat.id * 7919 + 104729),
            "data": data,
        }
        self.queries[query_id] = PendingQuery(query_id, user["id"], chat.id, time.monotonic())
        self.updates.put("callback_query", query)
        return query_id

    def record_answer(self, query: PendingQuery, answer: CallbackAnswer) -> None:
        """Keep the bot's answer to a callback query."""
        query.answered = True
        self.answers[query.query_id] = answer
        chat = self.chats.get(query.chat_id)
        if chat is not None:
            chat.transcript.append(answer_line(answer))
            chat.tell(story_answer_lines(answer))
        self.changed.notify()

    def new_media_group_id(self) -> str:
        """A fresh ``media_group_id`` (Telegram uses long decimal strings)."""
        return str(secrets.randbelow(10**17) + 10**17)
