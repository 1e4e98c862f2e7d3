"""A real PTB Application polling the fake: messages, keyboards, callbacks, media, albums."""

from __future__ import annotations

import asyncio
import hashlib
import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    InputMediaVideo,
    MenuButtonCommands,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from emulators.telegram import AlbumItem, FakeTelegram

from .conftest import build_app, running

MB = 1024 * 1024


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a keyboard."""
    assert update.message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes ✅", callback_data="answer:yes")],
            [InlineKeyboardButton("Docs", url="https://example.com/docs")],
        ]
    )
    await update.message.reply_html("<b>Welcome</b>, pick one:", reply_markup=keyboard)


async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the tap, then edit the message (dropping the keyboard)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Noted", show_alert=True)
    await query.edit_message_text(f"You chose {query.data.split(':')[1]}")
    try:
        await query.edit_message_text(f"You chose {query.data.split(':')[1]}")
    except BadRequest as exc:
        context.bot_data["not_modified"] = exc.message


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo plain text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(f"echo: {update.message.text}")


async def test_dialogue_keyboard_callback_and_edit(fake: FakeTelegram) -> None:
    app = build_app(fake)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_tap))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with running(app):
        alice = fake.user(42, first_name="Alice", username="alice")
        await alice.send_text(f"/start@{fake.bot_username}")
        welcome = await alice.wait_for("Welcome")
        assert welcome.entities == [{"type": "bold", "offset": 0, "length": 7}]
        assert welcome.text == "<b>Welcome</b>, pick one:"
        assert welcome.plain_text == "Welcome, pick one:"
        query_id = await alice.tap(welcome, "Yes ✅")
        edited = await alice.wait_for("You chose yes")
        assert edited.message_id == welcome.message_id and edited.buttons == []
        answer = await alice.wait_for_answer(query_id)
        assert (answer.text, answer.show_alert) == ("Noted", True)
        await alice.send_text("hello")
        assert (await alice.wait_for("echo: hello")).message_id == 4
    assert app.bot_data["not_modified"].startswith("Message is not modified")
    assert [(e.method, e.error_code) for e in fake.errors] == [("editMessageText", 400)]
    assert fake.messages(42)[0].edits[0].text == "<b>Welcome</b>, pick one:"
    assert alice.transcript().splitlines() == [
        "Alice: /start@tiktok_test_bot",
        "bot #2: Welcome, pick one:",
        "    [Yes ✅]",
        "    [Docs -> https://example.com/docs]",
        "Alice taps [Yes ✅] on #2",
        "bot answers: Noted (alert)",
        "bot #2 (edited): You chose yes",
        "Alice: hello",
        "bot #4: echo: hello",
    ]


async def media_roundtrip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the user's video, report its hash, send a photo and a document back."""
    message = update.message
    assert message is not None and message.video is not None
    data = await (await message.video.get_file()).download_as_bytearray()
    await message.reply_text(f"sha256 {hashlib.sha256(data).hexdigest()}")
    await message.reply_photo(_png(640, 480), caption="<i>preview</i>", parse_mode="HTML")
    await message.reply_document(bytes(data), filename="copy.mp4")
    await message.reply_video(message.video.file_id, caption="same video")


async def test_media_download_and_uploads(fake: FakeTelegram) -> None:
    app = build_app(fake)
    app.add_handler(MessageHandler(filters.VIDEO, media_roundtrip))
    payload = bytes(range(256)) * 4000
    async with running(app):
        bob = fake.user(7, first_name="Bob")
        await bob.send_video(payload, duration=12, caption="my clip")
        await bob.wait_for(f"sha256 {hashlib.sha256(payload).hexdigest()}")
        photo = await bob.wait_for(lambda m: m.kind == "photo")
        document = await bob.wait_for(lambda m: m.kind == "document")
        resent = await bob.wait_for("same video")
    assert (photo.caption, photo.plain_caption) == ("<i>preview</i>", "preview")
    assert photo.photo is not None
    assert (photo.photo.width, photo.photo.height) == (640, 480)
    assert photo.upload_size == len(_png(640, 480))
    assert document.upload_sha256 == hashlib.sha256(payload).hexdigest()
    assert document.document is not None and document.document.file_name == "copy.mp4"
    assert resent.upload_size is None and resent.video is not None
    assert resent.video.duration == 12
    assert fake.errors == []
    assert [c.method for c in fake.calls if c.method in {"getFile", "file"}] == ["getFile", "file"]


async def test_album_in_and_out(fake: FakeTelegram) -> None:
    received: list[Any] = []
    all_three = asyncio.Event()

    async def collect(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        received.append(update.message)
        if len(received) == 3:
            all_three.set()

    async def send_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        photo = next(m.photo[-1].file_id for m in received if m.photo)
        video = next(m.video.file_id for m in received if m.video)
        await update.message.reply_media_group(
            [InputMediaPhoto(photo, caption="first"), InputMediaVideo(video)]
        )

    app = build_app(fake)
    app.add_handler(CommandHandler("back", send_back))
    app.add_handler(MessageHandler(filters.PHOTO | filters.VIDEO, collect))
    async with running(app):
        carol = fake.user(9, first_name="Carol")
        sent = await carol.send_album(
            [
                AlbumItem("photo", b"p1", caption="trip", width=800, height=600),
                AlbumItem("video", b"v1", duration=4),
                AlbumItem("photo", b"p2"),
            ]
        )
        await asyncio.wait_for(all_three.wait(), 10)
        await carol.send_text("/back")
        await carol.wait_for("first")
    assert [m["message_id"] for m in sent] == [1, 2, 3]
    assert len({m.media_group_id for m in received}) == 1
    assert [m.caption for m in received] == ["trip", None, None]
    assert received[0].photo[0].width == 90 and received[0].photo[-1].width == 800
    back = fake.messages(9)
    assert [m.kind for m in back] == ["photo", "video"]
    assert back[0].media_group_id == back[1].media_group_id is not None
    assert fake.errors == []


async def test_file_too_big_in_cloud_mode(fake: FakeTelegram, tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(20 * MB + 1)

    async def try_download(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.video is not None
        try:
            await update.message.video.get_file()
        except BadRequest as exc:
            await update.message.reply_text(f"refused: {exc.message}")

    app = build_app(fake)
    app.add_handler(MessageHandler(filters.VIDEO, try_download))
    async with running(app):
        dave = fake.user(11)
        await dave.send_video(big)
        await dave.wait_for("refused: File is too big")
    assert [(e.method, e.description) for e in fake.errors] == [
        ("getFile", "Bad Request: file is too big")
    ]


async def test_local_mode_gives_absolute_paths_not_served(
    local_fake: FakeTelegram, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.seek(25 * MB)
        handle.write(b"tail")
    paths: list[str] = []

    async def locate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.video is not None
        file = await update.message.video.get_file()
        assert file.file_path is not None
        paths.append(file.file_path)
        target = tmp_path / "downloaded.mp4"
        await file.download_to_drive(target)
        await update.message.reply_text(f"size {target.stat().st_size}")
        await update.message.reply_video(target, caption="echo")

    app = build_app(local_fake, local_mode=True)
    app.add_handler(MessageHandler(filters.VIDEO, locate))
    async with running(app):
        erin = local_fake.user(12)
        await erin.send_video(big)
        await erin.wait_for(f"size {25 * MB + 4}")
        echoed = await erin.wait_for("echo")
    path = Path(paths[0])
    assert path.is_absolute()
    assert path.parent.parent == tmp_path / "tg-local" / local_fake.token
    assert path.parent.name == "videos"
    assert echoed.upload_size == 25 * MB + 4
    relative = "/".join(path.parts[-2:])
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{local_fake.file_base_url}{local_fake.token}/{relative}")
    assert response.status_code == 404
    assert [e.method for e in local_fake.errors] == ["file"]


async def test_setup_and_edit_methods_deserialize_in_ptb(fake: FakeTelegram) -> None:
    app = build_app(fake)
    user = fake.user(21, first_name="Fay")
    async with app:
        bot = app.bot
        await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("link", "Link TikTok")])
        await bot.set_my_commands(
            [BotCommand("admin", "Admin")], scope=BotCommandScopeChat(21), language_code="en"
        )
        assert [c.command for c in await bot.get_my_commands()] == ["start", "link"]
        await bot.set_chat_menu_button(chat_id=21, menu_button=MenuButtonCommands())
        assert isinstance(await bot.get_chat_menu_button(chat_id=21), MenuButtonCommands)
        await bot.set_my_description("Posts to TikTok")
        assert (await bot.get_my_description()).description == "Posts to TikTok"
        await bot.set_my_short_description("TikTok poster")
        assert (await bot.get_webhook_info()).url == ""
        await bot.send_chat_action(21, ChatAction.UPLOAD_VIDEO)
        photo = await bot.send_photo(21, _png(30, 20), caption="draft")
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Post", callback_data="post")]])
        edited = await bot.edit_message_caption(
            21, photo.message_id, caption="<b>final</b>", parse_mode="HTML", reply_markup=keyboard
        )
        assert edited.caption == "final" and edited.caption_entities[0].type == "bold"
        await bot.edit_message_reply_markup(21, photo.message_id)
        note = await bot.send_message(21, "bye", reply_to_message_id=photo.message_id)
        assert note.reply_to_message is not None
        assert note.reply_to_message.message_id == photo.message_id
        assert await bot.delete_message(21, note.message_id)
        await user.send_video(
            b"doc", as_document=True, file_name="raw.mov", mime_type="video/quicktime"
        )
        updates = await bot.get_updates()
        document = updates[0].message.document if updates[0].message else None
        assert document is not None and document.file_name == "raw.mov"
    assert fake.errors == []
    assert [m.version for m in fake.messages(21)] == [2, 0]
    assert fake.messages(21)[0].buttons == [] and fake.messages(21)[1].deleted
