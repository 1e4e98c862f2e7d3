"""Texts of what TikTok's webhooks tell the user (HTML)."""

from __future__ import annotations

import html

from bot.texts.common import esc

_WHAT = {"video": "video", "photo": "photos"}


def account_disconnected(label: str, cancelled: list[tuple[str, str, str]]) -> str:
    """The account removed the bot's access; `cancelled` is (kind, caption start, due)."""
    text = (
        f"🔌 <b>{esc(label)}</b> removed this bot's access in TikTok, so I can no longer "
        "post there. Link it again with /link if that was a mistake."
    )
    if cancelled:
        lines = "\n".join(
            f"• {_WHAT.get(kind, 'post')} “{esc(caption) or '(no caption)'}” — was due {esc(due)}"
            for kind, caption, due in cancelled
        )
        text += f"\n\nThese posts were cancelled and will not go out:\n{lines}"
    return text


def post_no_longer_public(kind: str, label: str, share_url: str | None) -> str:
    """A post made through the bot left the public profile."""
    where = f" ({esc(share_url)})" if share_url else ""
    return (
        f"👁 Your {_WHAT.get(kind, 'post')} on <b>{esc(label)}</b>{where} is no longer public "
        "on TikTok: it was made private, removed, or held back by moderation. Check the "
        "TikTok app for details."
    )


def post_now_public(kind: str, label: str, share_url: str) -> str:
    """A post that had no link when it went out is public now."""
    href = html.escape(share_url, quote=True)
    return (
        f"🔗 Your {_WHAT.get(kind, 'post')} on <b>{esc(label)}</b> is public now: "
        f'<a href="{href}">{esc(share_url)}</a>'
    )
