"""Sends what TikTok's webhooks tell a user (the WebhookService's notice sink)."""

from __future__ import annotations

import contextlib

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.publishing.webhooks import (
    AccountDisconnected,
    Notice,
    PostNoLongerPublic,
    PostNowPublic,
)
from bot.texts import scheduling as scheduling_texts
from bot.texts import webhooks as texts


class TelegramNotices:
    """Renders webhook notices and sends them to the right chat."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def _mark_cancelled(self, notice: AccountDisconnected) -> None:
        """Each cancelled post's own message says so instead of "will be posted"."""
        for post in notice.cancelled:
            if post.progress_message_id is None:
                continue
            with contextlib.suppress(TelegramError):  # deleted by the user meanwhile
                await self._bot.edit_message_text(
                    scheduling_texts.cancelled(post.kind, notice.account_label),
                    chat_id=post.chat_id,
                    message_id=post.progress_message_id,
                    parse_mode=ParseMode.HTML,
                )

    async def __call__(self, notice: Notice) -> None:
        """Send one notice."""
        if isinstance(notice, AccountDisconnected):
            await self._mark_cancelled(notice)
            cancelled = [
                (post.kind, post.caption_start, post.due.strftime("%Y-%m-%d %H:%M UTC"))
                for post in notice.cancelled
            ]
            # A private chat's id is the user's id.
            chat_id = notice.telegram_user_id
            text = texts.account_disconnected(notice.account_label, cancelled)
        elif isinstance(notice, PostNowPublic):
            chat_id = notice.chat_id
            text = texts.post_now_public(notice.kind, notice.account_label, notice.share_url)
        else:
            assert isinstance(notice, PostNoLongerPublic)
            chat_id = notice.chat_id
            text = texts.post_no_longer_public(notice.kind, notice.account_label, notice.share_url)
        await self._bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
