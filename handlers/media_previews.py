"""Previews of the user's own media, and the cover picker's contact sheet (Telegram side)."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Message

from bot.media.previews import converted_photos, cover_sheet, video_still
from bot.publishing.requests import MediaRef
from bot.services import Services
from bot.texts import media as t
from handlers.files import telegram_file
from handlers.telegram_files import TelegramFileLocator


async def send_video_preview(bot: Bot, svc: Services, chat_id: int, ref: MediaRef) -> Message:
    """A still of the video with its length and size; the video itself if no frame decodes."""
    source = await telegram_file(bot, svc, ref.file_id, ref.file_size or 0)
    still = await video_still(source)
    caption = t.video_preview_caption(ref.duration, ref.width, ref.height)
    if still is None:
        return await bot.send_video(chat_id, ref.file_id, caption=caption)
    return await bot.send_photo(chat_id, still, caption=caption)


async def send_photo_previews(
    bot: Bot, svc: Services, chat_id: int, refs: list[MediaRef]
) -> Message | None:
    """The photos converted exactly as TikTok will get them (the first 10)."""
    locator = TelegramFileLocator(bot, local_mode=svc.settings.telegram_local_mode)
    images = await converted_photos(
        locator, svc.tiktok.http, [r.file_id for r in refs], svc.settings.data_dir / "intake"
    )
    if not images:
        return None
    if len(images) == 1:
        return await bot.send_photo(chat_id, images[0], caption=t.PHOTOS_AS_TIKTOK_GETS_THEM)
    album = [InputMediaPhoto(image) for image in images]
    album[0] = InputMediaPhoto(images[0], caption=t.PHOTOS_AS_TIKTOK_GETS_THEM)
    sent = await bot.send_media_group(chat_id, album)
    return sent[0] if sent else None


async def send_cover_choices(
    bot: Bot, svc: Services, chat_id: int, draft_id: int, ref: MediaRef
) -> Message:
    """A numbered contact sheet of cover frames with one button per frame."""
    source = await telegram_file(bot, svc, ref.file_id, ref.file_size or 0)
    sheet = await cover_sheet(source)
    if sheet is None:
        return await bot.send_message(chat_id, t.COVER_UNAVAILABLE)
    # The timestamp rides in the callback data (d:<draft>:vt:<ms>, well under 64 bytes).
    frames = [
        InlineKeyboardButton(t.cover_button(n), callback_data=f"d:{draft_id}:vt:{ms}")
        for n, ms in enumerate(sheet.timestamps_ms, start=1)
    ]
    keyboard = InlineKeyboardMarkup(
        [frames, [InlineKeyboardButton(t.BUTTON_TIKTOK_COVER, callback_data=f"d:{draft_id}:vt:-")]]
    )
    return await bot.send_photo(chat_id, sheet.jpeg, caption=t.COVER_PROMPT, reply_markup=keyboard)
