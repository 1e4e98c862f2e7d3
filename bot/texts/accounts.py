"""Texts of linking and managing TikTok accounts."""

from __future__ import annotations

from bot.texts.common import esc

SCOPE_NAMES = {
    "user.info.basic": "your basic profile",
    "user.info.profile": "your username and verified badge",
    "user.info.stats": "your follower and like counts (for /stats)",
    "video.publish": "posting videos and photos directly",
    "video.upload": "sending drafts to your TikTok inbox",
    "video.list": "reading your videos (for /stats and post links)",
}

LINK_PROMPT = (
    "Tap the button to sign in to TikTok and allow this bot to post for you. "
    "The link works once and expires in 10 minutes."
)
LINK_BUTTON = "Link TikTok account"
RELINK_PROMPT = (
    "Tap the button to sign in to TikTok again for <b>{label}</b>. "
    "The link works once and expires in 10 minutes."
)


def linked(label: str, missing_scopes: tuple[str, ...], relinked: bool) -> str:
    """Sent in Telegram after a successful callback."""
    verb = "Re-linked" if relinked else "Linked"
    text = f"✅ {verb} <b>{esc(label)}</b>."
    if missing_scopes:
        items = "\n".join(f"• {esc(SCOPE_NAMES.get(s, s))}" for s in missing_scopes)
        text += (
            "\n\nYou didn't allow everything, so some features won't work:\n"
            f"{items}\n\nUse /link again and keep those boxes ticked if you want them."
        )
    else:
        text += "\n\nSend me a video or photos to post, or try /stats."
    return text


LINK_CANCELLED = "You cancelled the TikTok sign-in, so nothing was linked. Use /link to try again."
LINK_EXPIRED = "That sign-in link expired (they last 10 minutes). Use /link to get a new one."
LINK_REUSED = "That sign-in link was already used. Use /link to get a new one."
LINK_TIKTOK_ERROR = (
    "TikTok didn't complete the sign-in ({detail}), so nothing was linked. "
    "Please try /link again in a minute."
)

NO_ACCOUNTS = "You haven't linked a TikTok account yet. Use /link to add one."
ACCOUNTS_HEADER = "<b>Your TikTok accounts</b>\n"
DEFAULT_MARK = "⭐ default"
NEEDS_RELINK_MARK = "⚠️ needs re-link"
BUTTON_MAKE_DEFAULT = "⭐ Make {label} default"
BUTTON_RELINK = "🔄 Re-link {label}"
BUTTON_UNLINK = "🗑 Unlink {label}"
BUTTON_ADD = "➕ Link another account"
BUTTON_CONFIRM_UNLINK = "Yes, unlink {label}"
BUTTON_KEEP = "No, keep it"


def account_line(label: str, display_name: str, is_default: bool, needs_relink: bool) -> str:
    """One row of /accounts."""
    marks = [m for m, on in ((DEFAULT_MARK, is_default), (NEEDS_RELINK_MARK, needs_relink)) if on]
    name = f" ({esc(display_name)})" if display_name and display_name != label else ""
    suffix = f" — {', '.join(marks)}" if marks else ""
    return f"• <b>{esc(label)}</b>{name}{suffix}"


CONFIRM_UNLINK = (
    "Unlink <b>{label}</b>? I'll revoke this bot's access at TikTok and delete its tokens here."
)
UNLINKED = "Unlinked <b>{label}</b>. Its tokens are revoked and deleted."
UNLINK_KEPT = "Okay, nothing changed."

NEEDS_RELINK = (
    "TikTok no longer accepts this bot's access to <b>{label}</b> (it was revoked or expired). "
    "Tap below to sign in again — nothing else is lost."
)

# The web page shown in the browser after the OAuth callback.
PAGE_SUCCESS_TITLE = "Account linked"
PAGE_SUCCESS_BODY = "{label} is linked. You can go back to Telegram now."
PAGE_FAIL_TITLE = "Not linked"
PAGE_FAIL_BODY = {
    "cancelled": "You cancelled the sign-in. Nothing was linked.",
    "expired": "This sign-in link has expired. Ask the bot for a new one with /link.",
    "reused": "This sign-in link was already used. Ask the bot for a new one with /link.",
    "unknown_state": "This sign-in link isn't valid. Ask the bot for a new one with /link.",
    "bad_request": "TikTok sent an incomplete answer. Please try /link again.",
    "tiktok_error": "TikTok could not complete the sign-in. Please try /link again in a minute.",
}
PAGE_BUTTON = "Back to Telegram"

SCOPE_MISSING = (
    "This needs a permission you didn't grant when linking. Use /link again and keep all "
    "the boxes ticked."
)
