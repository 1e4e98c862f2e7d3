"""The Telegram side of the progress message: Telegram's answers in the worker's terms."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest, RetryAfter

from bot.publishing.progress import ProgressMessageGone, ReportRetryAfter
from handlers.progress import TelegramProgress


class StubBot:
    """Answers edit_message_text with a prepared error (or success)."""

    def __init__(self, error: Exception | None) -> None:
        self.error = error
        self.edits: list[dict[str, Any]] = []

    async def edit_message_text(self, text: str, **kwargs: Any) -> None:
        self.edits.append({"text": text, **kwargs})
        if self.error is not None:
            raise self.error


def reporter(error: Exception | None) -> tuple[TelegramProgress, StubBot]:
    bot = StubBot(error)
    return TelegramProgress(bot), bot  # type: ignore[arg-type]


async def test_an_edit_is_html_without_previews() -> None:
    progress, bot = reporter(None)
    await progress.edit(1, 2, "<b>hi</b>")
    [edit] = bot.edits
    assert edit["chat_id"] == 1 and edit["message_id"] == 2 and edit["parse_mode"] == "HTML"


async def test_unchanged_text_is_not_an_error() -> None:
    progress, _ = reporter(
        BadRequest(
            "Message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    )
    await progress.edit(1, 2, "same")


async def test_flood_control_becomes_retry_after() -> None:
    progress, _ = reporter(RetryAfter(7))
    with pytest.raises(ReportRetryAfter) as flood:
        await progress.edit(1, 2, "x")
    assert flood.value.seconds == 7.0


async def test_a_deleted_message_is_gone() -> None:
    progress, _ = reporter(BadRequest("Message to edit not found"))
    with pytest.raises(ProgressMessageGone):
        await progress.edit(1, 2, "x")


async def test_other_refusals_are_raised() -> None:
    progress, _ = reporter(BadRequest("Can't parse entities: unsupported start tag"))
    with pytest.raises(BadRequest):
        await progress.edit(1, 2, "<x>")
