"""Scripted users: send messages and media, tap buttons, wait for the bot's answers."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._api_chats import chat_member
from ._models import AlbumItem, BotMessage, CallbackAnswer
from ._transcript import story_tap_line, tap_line
from ._user_files import media_content, store, store_item, store_photo
from ._world import ChatState, World

# tdlib's bot command pattern: "/" + 1-64 of [A-Za-z0-9_], optionally "@" + 3-32 more.
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
MIN_ALBUM, MAX_ALBUM = 2, 10

MessagePredicate = Callable[[BotMessage], bool]


def _text_content(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    entities = _command_entities(text)
    if entities:
        content["entities"] = entities
    return content


def _command_entities(text: str) -> list[dict[str, Any]]:
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": match.end()}]


class FakeUser:
    """A Telegram user talking to the bot in their private chat (chat id == user id)."""

    def __init__(self, world: World, user: dict[str, Any], chat: ChatState) -> None:
        self._world = world
        self._chat = chat
        self.user = user
        self.id: int = user["id"]
        self.chat_id: int = chat.id
        self.first_name: str = user["first_name"]
        self.username: str | None = user.get("username")
        self._query_ids: list[str] = []
        # wait_for reads the chat like a person: where it has read up to (an index
        # into the chat's send/edit timeline) and which messages it has looked at.
        self._read_up_to = -1
        self._looked_at: set[int] = set()

    # -- sending -----------------------------------------------------------------------

    async def send_text(self, text: str) -> dict[str, Any]:
        """Send a text message (a leading /command gets its bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        return self._world.user_message(self._chat, self.user, content)

    async def send_video(
        self,
        data: bytes | Path,
        *,
        duration: int = 10,
        width: int = 1080,
        height: int = 1920,
        mime_type: str = "video/mp4",
        file_name: str = "video.mp4",
        caption: str | None = None,
        media_group_id: str | None = None,
        as_document: bool = False,
        supports_streaming: bool = True,
    ) -> dict[str, Any]:
        """Send a video (or, with ``as_document``, a video file as a Document)."""
        del supports_streaming  # a send option; received Video objects do not carry it
        kind = "document" if as_document else "video"
        fake = await store(
            self._world,
            data,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            width=None if as_document else width,
            height=None if as_document else height,
            duration=None if as_document else duration,
        )
        content = media_content(fake, caption, media_group_id)
        return self._world.user_message(self._chat, self.user, content)

    async def send_photo(
        self,
        data: bytes | Path,
        *,
        width: int,
        height: int,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        """Send a photo: a small thumbnail PhotoSize plus the full size serving ``data``."""
        fake = await store_photo(self._world, data, width, height)
        content = media_content(fake, caption, media_group_id)
        return self._world.user_message(self._chat, self.user, content)

    async def send_document(
        self,
        data: bytes | Path,
        *,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        """Send a file as a Document."""
        fake = await store(
            self._world, data, kind="document", file_name=file_name, mime_type=mime_type
        )
        content = media_content(fake, caption, media_group_id)
        return self._world.user_message(self._chat, self.user, content)

    async def send_album(self, items: list[AlbumItem]) -> list[dict[str, Any]]:
        """Send 2-10 items as one album: one message each, consecutive ids, one media_group_id."""
        if not MIN_ALBUM <= len(items) <= MAX_ALBUM:
            raise ValueError(f"an album has {MIN_ALBUM}-{MAX_ALBUM} items, got {len(items)}")
        kinds = {item.kind for item in items}
        if "document" in kinds and kinds != {"document"}:
            raise ValueError("Telegram albums mix photos and videos; documents only with documents")
        files = [await store_item(self._world, item) for item in items]
        group_id = self._world.new_media_group_id()
        ids = self._chat.allocate_ids(len(items))
        return [
            self._world.user_message(
                self._chat,
                self.user,
                media_content(fake, item.caption, group_id),
                message_id=message_id,
            )
            for item, fake, message_id in zip(items, files, ids, strict=True)
        ]

    async def edit_text(self, message_id: int, text: str) -> dict[str, Any]:
        """Edit one of this user's sent text messages (Telegram sends ``edited_message``)."""
        return self._world.user_edit(self._chat, message_id, text, _command_entities(text))

    async def delete(self, message_id: int) -> None:
        """Delete a message in this chat (the bot gets no update for it, as in Telegram)."""
        self._world.user_delete(self._chat, message_id)

    # -- buttons -----------------------------------------------------------------------

    async def tap(self, message: BotMessage | int, button: str) -> str:
        """Tap the button whose callback_data or text is ``button`` on the message's current
        keyboard; return the callback query id."""
        message_id = message if isinstance(message, int) else message.message_id
        msg = self._chat.bot_messages.get(message_id)
        if msg is None or msg.deleted:
            state = "was deleted" if msg is not None else "does not exist"
            raise AssertionError(
                f"bot message #{message_id} {state} in chat {self.chat_id}\n{self.transcript()}"
            )
        found = msg.find_button(button)
        if found is None:
            labels = [
                f"{b.text!r} ({b.callback_data or b.url})" for row in msg.buttons for b in row
            ]
            raise AssertionError(
                f"no button {button!r} on bot message #{message_id}; it has: "
                f"{', '.join(labels) or 'no buttons'}\n{self.transcript()}"
            )
        if found.callback_data is None:
            raise AssertionError(f"button {found.text!r} on #{message_id} opens {found.url}")
        self._chat.transcript.append(tap_line(self.first_name, message_id, found, ""))
        self._chat.tell([story_tap_line(self.first_name, found)])
        return self._remember(
            self._world.callback_query(self._chat, self.user, message_id, found.callback_data)
        )

    async def tap_data(self, message_id: int, callback_data: str) -> str:
        """Send arbitrary callback data for a message (a forged button); return the query id."""
        self._chat.transcript.append(tap_line(self.first_name, message_id, None, callback_data))
        return self._remember(
            self._world.callback_query(self._chat, self.user, message_id, callback_data)
        )

    def _remember(self, query_id: str) -> str:
        self._query_ids.append(query_id)
        return query_id

    @property
    def answers(self) -> list[CallbackAnswer]:
        """The bot's answerCallbackQuery for this user's taps, in tap order."""
        answers = self._world.answers
        return [answers[query_id] for query_id in self._query_ids if query_id in answers]

    async def wait_for_answer(
        self,
        query_id: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - the public API takes a deadline
    ) -> CallbackAnswer:
        """Wait until the bot answers the callback query ``query_id``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (answer := self._world.answers.get(query_id)) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"callback query {query_id} was not answered within {timeout} s\n"
                    f"{self.transcript()}"
                )
            await self._world.changed.wait(remaining)
        return answer

    # -- reading -----------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: MessagePredicate | str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - the public API takes a deadline
    ) -> BotMessage:
        """Wait for a bot message in this chat (new, or a new version of an edited one) that
        matches; a ``str`` matches as a substring of the text or caption, either as the
        bot sent it (HTML) or as the user sees it (plain).

        It reads the chat like a person: sends and edits are considered in the order
        they happened. A message no wait_for has returned yet is always a candidate
        (even if it came before the last one returned); a message already returned
        is a candidate again only through an edit made after the last returned
        event. So consecutive calls walk through the conversation, a re-rendered
        keyboard is found again, and a stale earlier message is not. The result is
        the live message if it matched in its current state, else a snapshot of the
        matching earlier version.
        """
        check = _as_predicate(predicate)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := self._next_match(check)) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                wanted = repr(predicate) if isinstance(predicate, str) else "a matching message"
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {wanted} in chat {self.chat_id}; "
                    f"transcript:\n{self.transcript()}"
                )
            await self._world.changed.wait(remaining)
        return found

    def _next_match(self, check: MessagePredicate) -> BotMessage | None:
        for index, (message_id, version) in enumerate(self._chat.timeline):
            if message_id in self._looked_at and index <= self._read_up_to:
                continue
            msg = self._chat.bot_messages[message_id]
            candidate = msg if version == msg.version else msg.edits[version]
            if check(candidate):
                self._looked_at.add(message_id)
                self._read_up_to = max(self._read_up_to, index)
                return candidate
        return None

    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this chat, in order, in its current state."""
        return sorted(self._chat.bot_messages.values(), key=lambda msg: msg.message_id)

    def last(self) -> BotMessage:
        """The bot's most recent message in this chat that is not deleted."""
        alive = [msg for msg in self.messages() if not msg.deleted]
        if not alive:
            raise AssertionError(f"the bot sent nothing to chat {self.chat_id}")
        return alive[-1]

    def transcript(self) -> str:
        """The dialogue so far, one line per message, tap, answer, edit or deletion."""
        return "\n".join(self._chat.transcript)

    def story(self) -> str:
        """The dialogue as a person reads it: no ids, no URLs, no silent acknowledgements."""
        return "\n".join(self._chat.story)

    def follow(self, listener: Callable[[str], None]) -> None:
        """Call ``listener`` with each story line of this chat as it happens."""
        self._chat.story_listeners.append(listener)


def _as_predicate(predicate: MessagePredicate | str) -> MessagePredicate:
    if isinstance(predicate, str):
        needle = predicate
        return lambda msg: msg.contains(needle)
    return predicate


class FakeChat:
    """A group chat the bot is in (private chats are what the project needs)."""

    def __init__(self, world: World, chat: ChatState) -> None:
        self._world = world
        self._chat = chat
        self.id: int = chat.id
        self.title: str = chat.chat["title"]

    async def send_text(self, user: FakeUser, text: str) -> dict[str, Any]:
        """``user`` posts ``text`` in this group."""
        return self._world.user_message(self._chat, user.user, _text_content(text))

    def member(self, user: FakeUser) -> FakeUser:
        """``user`` as they see this group: send, tap and wait for the bot's messages here."""
        self._chat.members.setdefault(user.id, chat_member(user.user, "member"))
        return FakeUser(self._world, user.user, self._chat)

    def set_status(self, user: FakeUser, status: str) -> None:
        """Change ``user``'s membership (member, administrator, creator, left, kicked).

        Like Telegram, a change is a ``chat_member`` update (delivered only when
        the bot asked for that type in allowed_updates).
        """
        old = self._chat.members.get(user.id, chat_member(user.user, "left"))
        new = chat_member(user.user, status)
        self._chat.members[user.id] = new
        self._world.updates.put(
            "chat_member",
            {
                "chat": self._chat.chat,
                "from": user.user,
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": new,
            },
        )

    def remove_bot(self, by: FakeUser) -> None:
        """``by`` removes the bot from the group: a ``my_chat_member`` update."""
        bot = self._world.bot_user
        self._world.updates.put(
            "my_chat_member",
            {
                "chat": self._chat.chat,
                "from": by.user,
                "date": int(time.time()),
                "old_chat_member": chat_member(bot, "member"),
                "new_chat_member": chat_member(bot, "left"),
            },
        )

    async def send_as_group(self, text: str) -> dict[str, Any]:
        """An anonymous admin posts ``text``: Telegram shows the group as the sender."""
        return self._send_as(ANONYMOUS_ADMIN, self._chat.chat, text)

    async def send_as_channel(self, channel: FakeChannel, text: str) -> dict[str, Any]:
        """Someone posts ``text`` in this group as ``channel`` (a channel they own)."""
        return self._send_as(CHANNEL_BOT, channel.chat, text)

    def _send_as(
        self, placeholder: dict[str, Any], sender_chat: dict[str, Any], text: str
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text, "sender_chat": sender_chat}
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        return self._world.user_message(self._chat, placeholder, content)

    async def wait_for_all(
        self,
        predicate: MessagePredicate | str,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - the public API takes a deadline
    ) -> list[BotMessage]:
        """Wait until at least ``count`` bot messages in this group match; return them all."""
        check = _as_predicate(predicate)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := [m for m in self.messages() if check(m)]) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {count} matching messages in "
                    f"group {self.id}; transcript:\n{self.transcript()}"
                )
            await self._world.changed.wait(remaining)
        return found

    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this group, in order."""
        return sorted(self._chat.bot_messages.values(), key=lambda msg: msg.message_id)

    def transcript(self) -> str:
        """The group's dialogue so far."""
        return "\n".join(self._chat.transcript)


# The placeholder users Telegram puts in ``from`` when a message speaks for a chat.
ANONYMOUS_ADMIN: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: dict[str, Any] = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}


class FakeChannel:
    """A channel the bot is an admin of: posts arrive as ``channel_post`` updates."""

    def __init__(self, world: World, chat: ChatState) -> None:
        self._world = world
        self._chat = chat
        self.id: int = chat.id
        self.chat: dict[str, Any] = chat.chat

    async def post(self, text: str) -> dict[str, Any]:
        """The channel publishes ``text``."""
        content: dict[str, Any] = {"text": text}
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        return self._world.channel_post(self._chat, content)

    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this channel, in order."""
        return sorted(self._chat.bot_messages.values(), key=lambda msg: msg.message_id)
