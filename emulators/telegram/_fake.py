"""FakeTelegram: a strict, recording Bot API server for one bot, plus its scripted users."""

from __future__ import annotations

import asyncio
import mimetypes
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from ._api_chats import METHODS as CHAT_METHODS
from ._api_media import METHODS as MEDIA_METHODS
from ._api_messages import METHODS as MESSAGE_METHODS
from ._api_setup import METHODS as SETUP_METHODS
from ._api_setup import command_scope_key
from ._files import FileStore
from ._holds import HeldAnswer
from ._models import ApiCall, BotMessage, FakeFile
from ._render import private_chat_dict, user_dict
from ._server import ApiServer
from ._user import FakeChannel, FakeChat, FakeUser
from ._webhook import WebhookDelivery
from ._world import World

SHUTDOWN_TIMEOUT = 2.0


class FakeTelegram:
    """A fake Telegram Bot API server (aiohttp) that rejects what Telegram rejects.

    Point PTB at it with ``ApplicationBuilder().token(fake.token)
    .base_url(fake.api_base_url).base_file_url(fake.file_base_url)`` (add
    ``.local_mode(True)`` when ``local_mode_dir`` is set). Every call is kept in
    :attr:`calls`, every rejected one also in :attr:`errors`.

    ``webhook_delivery=True`` makes setWebhook accept ``http://`` URLs and POST
    updates to the webhook like Telegram does; otherwise a webhook is only
    remembered (and getUpdates answers 409 while one is set).
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-fake-token",  # noqa: S107 - a fake token by design
        bot_username: str = "tiktok_test_bot",
        bot_id: int = 123456,
        local_mode_dir: Path | None = None,
        files_dir: Path | None = None,
        webhook_delivery: bool = False,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.local_mode_dir = local_mode_dir
        self._files = FileStore(token=token, files_dir=files_dir, local_mode_dir=local_mode_dir)
        self._world = World(
            token=token, bot_id=bot_id, bot_username=bot_username, files=self._files
        )
        self._world.webhook_delivery = webhook_delivery
        self._delivery = WebhookDelivery(self._world) if webhook_delivery else None
        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeChat] = {}
        self._channels: dict[int, FakeChannel] = {}
        self._runner: web.AppRunner | None = None
        self._base = ""

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving on ``host:port`` (port 0 picks a free one)."""
        methods = {**SETUP_METHODS, **MESSAGE_METHODS, **MEDIA_METHODS, **CHAT_METHODS}
        app = ApiServer(self._world, methods).application()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        self._base = f"http://{bound_host}:{bound_port}"
        if self._delivery is not None:
            self._delivery.start()

    async def stop(self) -> None:
        """Answer pending long polls, stop serving, delete the temporary files directory."""
        self._world.updates.close()
        if self._delivery is not None:
            await self._delivery.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._files.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def api_base_url(self) -> str:
        """``http://127.0.0.1:<port>/bot`` (PTB appends the token)."""
        return f"{self._started_base()}/bot"

    @property
    def file_base_url(self) -> str:
        """``http://127.0.0.1:<port>/file/bot`` (PTB appends the token)."""
        return f"{self._started_base()}/file/bot"

    def _started_base(self) -> str:
        if not self._base:
            raise RuntimeError("FakeTelegram is not started: await fake.start() first")
        return self._base

    # -- records -----------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every Bot API call (and file download, method "file"), in arrival order."""
        return self._world.calls

    @property
    def errors(self) -> list[ApiCall]:
        """Every rejected call, with ``error_code`` and ``description`` as answered."""
        return self._world.errors

    def calls_to(self, method: str) -> list[ApiCall]:
        """The calls of one method, e.g. ``fake.calls_to("sendMessage")``."""
        return [call for call in self._world.calls if call.method == method]

    def messages(self, chat_id: int) -> list[BotMessage]:
        """Messages the bot sent to ``chat_id``, in order, in their current state."""
        chat = self._world.chats.get(chat_id)
        if chat is None:
            return []
        return sorted(chat.bot_messages.values(), key=lambda msg: msg.message_id)

    def my_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The commands set with setMyCommands for a scope (default scope if None)."""
        key = (command_scope_key(scope), language_code)
        return list(self._world.profile.commands.get(key, []))

    @property
    def webhook(self) -> dict[str, Any]:
        """The webhook the bot set ({} when polling)."""
        return dict(self._world.profile.webhook)

    @property
    def pending_update_count(self) -> int:
        """Updates not yet confirmed by the bot."""
        return self._world.updates.pending_count

    # -- knobs -------------------------------------------------------------------------

    async def wait_until_polling(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until a getUpdates long poll is parked on the server."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        updates = self._world.updates
        while not updates.polling:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no getUpdates long poll within {timeout} s")
            await updates.parked.wait(remaining)

    async def wait_until_delivered(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every pending update is confirmed (by an offset or a webhook 2xx)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        updates = self._world.updates
        while updates.pending_count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{updates.pending_count} updates still pending")
            await updates.confirmed.wait(remaining)

    @property
    def flood_limit(self) -> int | None:
        """Sends/edits per second allowed in one chat before 429 (None disables)."""
        return self._world.flood_limit

    @flood_limit.setter
    def flood_limit(self, value: int | None) -> None:
        self._world.flood_limit = value

    @property
    def strict_html_escaping(self) -> bool:
        """Reject a bare ``&`` in HTML (the server tolerates it; the docs forbid it)."""
        return self._world.strict_html_escaping

    @strict_html_escaping.setter
    def strict_html_escaping(self, value: bool) -> None:
        self._world.strict_html_escaping = value

    def hold_answer(self, method: str, *, containing: str) -> HeldAnswer:
        """Carry out the next `method` call whose text contains `containing`, but hold its answer.

        Await ``hold.reached.wait()`` to know the call was made, then
        ``hold.release()`` to let the bot hear back.
        """
        hold = HeldAnswer(method, containing)
        self._world.holds.add(hold)
        return hold

    # -- people and files --------------------------------------------------------------

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str = "en",
    ) -> FakeUser:
        """Create (or return) a user and their private chat with the bot (chat id == user id)."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        user = user_dict(
            user_id, first_name=first_name, username=username, language_code=language_code
        )
        chat = self._world.add_chat(private_chat_dict(user))
        fake_user = self._users[user_id] = FakeUser(self._world, user, chat)
        return fake_user

    def group(self, chat_id: int, title: str) -> FakeChat:
        """Create (or return) a group chat the bot is a member of."""
        existing = self._groups.get(chat_id)
        if existing is not None:
            return existing
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = self._world.add_chat({"id": chat_id, "type": kind, "title": title})
        group = self._groups[chat_id] = FakeChat(self._world, chat)
        return group

    def channel(self, chat_id: int, title: str, username: str | None = None) -> FakeChannel:
        """Create (or return) a channel the bot administers (ids start with -100)."""
        existing = self._channels.get(chat_id)
        if existing is not None:
            return existing
        chat_dict: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat_dict["username"] = username
        chat = self._world.add_chat(chat_dict)
        channel = self._channels[chat_id] = FakeChannel(self._world, chat)
        return channel

    def add_file(
        self,
        path_or_bytes: Path | bytes,
        *,
        file_name: str | None = None,
        kind: str | None = None,
        mime_type: str | None = None,
    ) -> FakeFile:
        """Register a file (hard-linked or copied into ``files_dir``) and give it a file_id.

        ``kind`` ("video", "photo", "document") defaults from the file name's type.
        """
        name = file_name or (path_or_bytes.name if isinstance(path_or_bytes, Path) else None)
        mime = mime_type or (mimetypes.guess_type(name)[0] if name else None)
        if kind is None:
            major = (mime or "").split("/")[0]
            kind = {"video": "video", "image": "photo"}.get(major, "document")
        suffix = Path(name or "").suffix
        path = self._files.import_source(path_or_bytes, suffix=suffix)
        return self._files.register(path, kind=kind, file_name=name, mime_type=mime)
