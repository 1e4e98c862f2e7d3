"""A strict fake Telegram Bot API server and scripted users, for end-to-end runs of the bot.

The real PTB Application talks HTTP to it, exactly as to api.telegram.org;
the fake answers like Telegram (same JSON, same error descriptions) and keeps
every call, so tests can assert on both the dialogue and the API traffic::

    async with FakeTelegram() as fake:
        app = (
            ApplicationBuilder().token(fake.token)
            .base_url(fake.api_base_url).base_file_url(fake.file_base_url).build()
        )
        ...  # add handlers, start polling
        alice = fake.user(42, first_name="Alice")
        await alice.send_text("/start")
        welcome = await alice.wait_for("Welcome")
        await alice.tap(welcome, "Connect TikTok")
        assert fake.errors == []

``local_mode_dir`` turns it into a ``--local`` server (big files, absolute
paths); the demo mode prints ``user.transcript()``.
"""

from ._fake import FakeTelegram
from ._holds import HeldAnswer
from ._models import (
    AlbumItem,
    ApiCall,
    BotMessage,
    Button,
    CallbackAnswer,
    FakeFile,
    UploadedFile,
)
from ._user import FakeChannel, FakeChat, FakeUser

__all__ = [
    "AlbumItem",
    "ApiCall",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "FakeChannel",
    "FakeChat",
    "FakeFile",
    "FakeTelegram",
    "FakeUser",
    "HeldAnswer",
    "UploadedFile",
]
