"""Texts shared by every feature: welcome, help, errors, the gate."""

from __future__ import annotations

import html


def esc(value: object) -> str:
    """Escape a dynamic value for Telegram HTML."""
    return html.escape(str(value), quote=False)


def welcome(first_name: str, has_account: bool) -> str:
    """/start."""
    next_step = (
        "Send me a <b>video</b> or an <b>album of photos</b> and I'll walk you through posting it."
        if has_account
        else "First, link your TikTok account with /link — it takes a few seconds."
    )
    return (
        f"Hi {esc(first_name)}! I post to <b>TikTok</b> straight from this chat.\n\n"
        "• Send a video or photos → choose privacy and settings → I upload them and send "
        "you the link.\n"
        "• /stats shows your account's numbers, /comment writes a comment.\n\n"
        f"{next_step}"
    )


HELP = (
    "<b>What I can do</b>\n"
    "/link — link a TikTok account (you can link several)\n"
    "/accounts — your linked accounts: choose the default, re-link, unlink\n"
    "/stats — followers, likes and how your latest videos are doing\n"
    "/comment — comment on one of your videos\n"
    "/comments — comments you wrote here: reply to them or delete them\n"
    "/queue — scheduled posts: post now, reschedule, edit the caption, cancel\n"
    "/settings — your time zone for scheduled posts\n"
    "/stats @creator — any creator's public numbers; /following, /compare and /watch too\n"
    "/help — this message\n\n"
    "<b>Posting</b>: send a video (MP4, MOV or WebM) or up to 35 photos (as an album "
    "or one by one). I'll show you TikTok's posting options before anything is sent.\n\n"
    "<b>Privacy</b>: I keep your TikTok tokens encrypted and never show them to anyone."
)

NOT_ALLOWED = (
    "Sorry, this bot is private: its owner has not allowed your Telegram account. "
    "If you think that's a mistake, send them your Telegram user id: <code>{user_id}</code>."
)

UNKNOWN_COMMAND = "I don't know that command. Here's what I can do:\n\n" + HELP

UNKNOWN_INPUT = (
    "I can post <b>videos</b> and <b>photos</b> to TikTok — send me one. "
    "Or see /help for everything I can do."
)

INTERNAL_ERROR = (
    "Something went wrong on my side and I couldn't finish that. Nothing was posted. "
    "Please try again in a minute."
)

TIKTOK_UNAVAILABLE = (
    "TikTok isn't answering right now. Nothing was lost — please try again in a few minutes."
)

TIKTOK_RATE_LIMITED = "TikTok asks us to slow down for this account. Please try again in a minute."

STALE_BUTTON = "This button is no longer active."

NOT_YOURS = "That button isn't yours."

NOT_ALLOWED_ALERT = "Sorry, this bot is private."

GROUP_USE_PRIVATE = (
    "Let's do that in a private chat, so nobody else here sees your TikTok sign-in, "
    "accounts or posts."
)
BUTTON_OPEN_PRIVATE = "Open a private chat with me"
SHARED_IDENTITY = (
    "I can't tell who is behind a message sent as a group or a channel (every anonymous "
    "admin looks the same to me), so I don't act on it. Write to me from your own "
    "Telegram account, in a private chat."
)
