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
# Fixed text: what TikTok's redirect says is whatever the link's holder typed.
LINK_TIKTOK_ERROR = (
    "TikTok didn't complete the sign-in, so nothing was linked. Please try /link again in a minute."
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
PAGE_FAIL_TITLE = "Not linked"
PAGE_FAIL_BODY = {
    "cancelled": "You cancelled the sign-in. Nothing was linked.",
    "expired": "This sign-in link has expired. Ask the bot for a new one with /link.",
    "reused": "This sign-in link was already used. Ask the bot for a new one with /link.",
    "unknown_state": "This sign-in link isn't valid. Ask the bot for a new one with /link.",
    "bad_request": "TikTok sent an incomplete answer. Please try /link again.",
    "tiktok_error": "TikTok could not complete the sign-in. Please try /link again in a minute.",
    "wrong_code": "The sign-in was cancelled in Telegram. Nothing was linked.",
    "declined": "The sign-in was cancelled in Telegram. Nothing was linked.",
}
PAGE_BUTTON = "Back to Telegram"

SCOPE_MISSING = (
    "This needs a permission you didn't grant when linking. Use /link again and keep all "
    "the boxes ticked."
)

# Both ends confirm a sign-in: the chat of the requester and the browser that consented.
CONFIRM_PROMPT = (
    "🔐 Someone just finished signing in to TikTok as <b>{label}</b> with your sign-in link.\n\n"
    "If that was you, tap the code the sign-in page shows. If it wasn't you, tap "
    "<b>It wasn't me</b>: nothing gets linked."
)
BUTTON_NOT_ME = "It wasn't me"
LINK_WRONG_CODE = (
    "That isn't the code on the sign-in page, so I cancelled this sign-in and nothing was "
    "linked. If it was you, use /link to start again."
)
LINK_DECLINED = "Cancelled: nothing was linked, and TikTok's permission for it was given back."
LINK_CONFIRM_EXPIRED = (
    "That sign-in waited more than 10 minutes for its code, so nothing was linked. "
    "Use /link to start again."
)


def requester_name(first_name: str, username: str | None) -> str:
    """How the web page names a Telegram user: 'Ana (@ana)'."""
    return f"{first_name} (@{username})" if username else first_name


PAGE_CONFIRM_TITLE = "One more step, in Telegram"
PAGE_CONFIRM_BODY = (
    "You are giving {name} on Telegram permission to post to {label}. "
    "To finish, they tap this code in their chat with the bot:"
)
PAGE_CONFIRM_WARNING = (
    "If you don't know {name}, close this page: nothing is linked unless they enter the code."
)
PAGE_CONFIRMED_TITLE = "Account linked"
PAGE_CONFIRMED_BODY = "{label} is linked to {name} on Telegram. You can close this page."
PAGE_NOT_CONFIRMED_TITLE = "Not linked"
PAGE_NOT_CONFIRMED_BODY = {
    "cancelled": "The sign-in was cancelled in Telegram. Nothing was linked.",
    "expired": "The code wasn't entered within 10 minutes. Nothing was linked.",
}
PAGE_NO_SIGN_IN = "There is no sign-in to show here. Ask the bot for a new link with /link."

# Sandbox mode: sign in to the emulated TikTok without leaving the chat.
SANDBOX_LINK_PROMPT = (
    "🧪 <b>Sandbox mode</b>: TikTok is emulated here, so you can sign in right in this chat. "
    "Pick a demo account:"
)
BUTTON_SANDBOX_AS = "Sign in to the sandbox as {label}"
BUTTON_CANCEL = "Cancel"
SANDBOX_SIGNED_IN = (
    "🧪 Signed in at the sandbox as <b>{label}</b>. Its sign-in page shows the code "
    "<b>{code}</b>: tap <b>{code}</b> in the message below to finish linking."
)
SANDBOX_SIGN_IN_CANCELLED = "Okay, nothing was linked."
SANDBOX_SIGN_IN_FAILED = "The sandbox didn't finish the sign-in, so nothing was linked."
