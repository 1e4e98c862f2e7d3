"""Texts of the publish progress message and of every outcome (HTML).

Each outcome says what happened and what to do next. Failure codes are
TikTok's (error codes and status fail_reasons) or ours (file_too_big, ...).
"""

from __future__ import annotations

import html
from datetime import datetime

from bot.texts.common import esc

_WHAT = {"video": "video", "photo": "photos"}


def _what(kind: str) -> str:
    return _WHAT.get(kind, "post")


def _is(kind: str) -> str:
    # "Your photos are live", "Your video is live".
    return "are" if _what(kind) == "photos" else "is"


def _was_not(kind: str) -> str:
    return "weren't" if _what(kind) == "photos" else "wasn't"


def _href(url: str) -> str:
    """A URL made safe for an HTML attribute (quotes included)."""
    return html.escape(url, quote=True)


def queued(kind: str, label: str) -> str:
    """Accepted, waiting for a worker."""
    return f"⏳ Your {_what(kind)} will be posted to <b>{esc(label)}</b>. Starting…"


def scheduled(kind: str, label: str, when: datetime) -> str:
    """A post with a due time."""
    moment = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"🗓 Your {_what(kind)} will be posted to <b>{esc(label)}</b> at {esc(moment)}."


def downloading(kind: str, percent: int | None) -> str:
    """Getting the file from Telegram."""
    suffix = f" {percent}%" if percent is not None else ""
    return f"📥 Getting your {_what(kind)} from Telegram…{suffix}"


def preparing_photos(done: int, total: int) -> str:
    """Converting photos for TikTok."""
    return f"🖼 Preparing your photos for TikTok… {done}/{total}"


def uploading(label: str, percent: int) -> str:
    """Chunks going to TikTok."""
    return f"📤 Uploading to TikTok (<b>{esc(label)}</b>)… {percent}%"


def processing(kind: str, label: str, *, slow: bool = False) -> str:
    """TikTok has the media and works on it."""
    text = (
        f"⚙️ TikTok is processing your {_what(kind)} for <b>{esc(label)}</b>. "
        "This may take a few minutes — I'll update this message when it's done."
    )
    if slow:
        text += "\n\nTikTok is slow to answer right now; I keep checking."
    return text


def retrying(current: str, code: str, seconds: float) -> str:
    """A temporary problem: the job will run again by itself."""
    minutes = max(1, round(seconds / 60))
    if code == "rate_limit_exceeded":
        why = "TikTok asks us to slow down for this account"
    else:
        why = "TikTok isn't answering properly right now"
    return (
        f"{current}\n\n⚠️ {why}. Nothing is lost: I'll try again automatically "
        f"in about {minutes} min."
    )


def published(kind: str, label: str, share_url: str) -> str:
    """Live, with its link."""
    return (
        f"✅ Your {_what(kind)} {_is(kind)} live on <b>{esc(label)}</b>!\n"
        f'<a href="{_href(share_url)}">{esc(share_url)}</a>'
    )


def profile_url(username: str | None) -> str | None:
    """The account's public profile page, when we know the username."""
    return f"https://www.tiktok.com/@{username}" if username else None


def published_private(kind: str, label: str, profile: str | None) -> str:
    """Live as "Only me": TikTok gives private posts no public id or link."""
    where = f' (<a href="{_href(profile)}">your profile</a>)' if profile else ""
    return (
        f"✅ Your {_what(kind)} {_is(kind)} posted to <b>{esc(label)}</b> as “Only me”. "
        "Private posts have no public link — open your profile in the TikTok app to "
        f"see it{where}."
    )


def published_without_link(kind: str, label: str, profile: str | None) -> str:
    """Live, but TikTok never told us the post's id."""
    where = f': <a href="{_href(profile)}">{esc(profile)}</a>' if profile else " in the TikTok app"
    return (
        f"✅ Your {_what(kind)} {_is(kind)} posted to <b>{esc(label)}</b>. TikTok hasn't given me "
        f"its link yet — you'll find it on your profile{where}."
    )


def in_inbox(kind: str, label: str) -> str:
    """Sent to the creator's inbox: they finish in the app."""
    return (
        f"📬 Your {_what(kind)} {_is(kind)} in the TikTok inbox of <b>{esc(label)}</b>. "
        "Open TikTok, tap the notification and finish posting there."
    )


def unconfirmed(kind: str, label: str, code: str | None) -> str:
    """TikTok has the media but did not confirm the post: never post twice."""
    if code == "needs_relink":
        why = (
            f"I can't check any more because TikTok no longer accepts this bot's access to "
            f"<b>{esc(label)}</b> (re-link it in /accounts)."
        )
    elif code in ("tiktok_unavailable", "rate_limit_exceeded", "internal_error"):
        why = "TikTok stopped answering me before it confirmed the post."
    else:
        why = "TikTok hasn't confirmed the post after a long wait."
    return (
        f"🤔 TikTok received your {_what(kind)} for <b>{esc(label)}</b>, but {why}\n\n"
        "Please check your profile in the TikTok app before sending it again — "
        "I won't post it a second time."
    )


# What went wrong, and what to do, by code.
_FAILURES: dict[str, str] = {
    # Our own checks.
    "file_too_big": (
        "Telegram only lets bots download files up to 20 MB, and this one is bigger. "
        "Send a shorter or more compressed video — or ask the bot's operator to run a "
        "local Telegram Bot API server, which lifts the limit to 2 GB."
    ),
    "file_unavailable": "I couldn't get the file from Telegram. Please send it again.",
    "not_a_video": "That file isn't a video TikTok accepts (MP4, MOV or WebM).",
    "video_too_large": "TikTok accepts videos up to 4 GB. Send a smaller file.",
    "photo_unusable": (
        "Photo {detail} couldn't be read as an image. TikTok refuses the whole album when "
        "one photo is bad, so nothing was posted: send the album again without it."
    ),
    "title_too_long": "The caption is longer than TikTok allows (2,200 characters).",
    "photo_title_too_long": "The title is longer than TikTok allows for photos (90 characters).",
    "description_too_long": "The description is longer than TikTok allows (4,000 characters).",
    "privacy_missing": "No privacy setting was chosen. Send it again and pick who can see it.",
    "privacy_unknown": "The privacy setting isn't one TikTok knows. Send it again.",
    "branded_self_only": (
        "Branded content can't be posted as “Only me”. Send it again and pick another privacy."
    ),
    "account_gone": "The TikTok account was unlinked. Link it with /link and send it again.",
    "needs_relink": (
        "TikTok no longer accepts this bot's access to <b>{label}</b>. Re-link it in "
        "/accounts, then send it again."
    ),
    "scope_missing": (
        "This account didn't allow posting when it was linked. Use /link again, keep all "
        "the boxes ticked, then send it again."
    ),
    "tiktok_rejected": (
        "TikTok refused the post's settings. That's a bug on my side, sorry — please try "
        "again, and tell the bot's operator if it keeps happening."
    ),
    "tiktok_unavailable": (
        "TikTok hasn't been answering for a long time, so I stopped trying. "
        "Please send it again later."
    ),
    "internal_error": (
        "TikTok hasn't been answering for a long time, so I stopped trying. "
        "Please send it again later."
    ),
    "rate_limit_exceeded": (
        "TikTok kept asking us to slow down for this account, so I stopped trying. "
        "Please send it again in a while."
    ),
    "internal": "Something went wrong on my side. Please send it again.",
    # TikTok's refusals at init.
    "spam_risk_too_many_posts": (
        "This account reached TikTok's daily posting limit (about 15 posts a day, across "
        "all apps). Try again tomorrow."
    ),
    "spam_risk_user_banned_from_posting": (
        "TikTok doesn't let this account post right now. Check the TikTok app for details."
    ),
    "spam_risk_too_many_pending_share": (
        "There are already 5 posts waiting in your TikTok inbox. Open TikTok, post or "
        "delete them, then try again."
    ),
    "spam_risk": "TikTok refused this post as risky. Check the TikTok app for details.",
    "reached_active_user_cap": (
        "This bot's TikTok app reached its daily limit of posting users (a limit on the "
        "bot, not on you). Try again tomorrow, or ask the bot's operator."
    ),
    "unaudited_client_can_only_post_to_private_accounts": (
        "This bot's TikTok app isn't approved by TikTok yet, so it can only post to "
        "<b>private</b> accounts, as “Only me”. Make your account private in TikTok "
        "(Settings → Privacy), then post again with “Only me”."
    ),
    "privacy_level_option_mismatch": (
        "The privacy you chose isn't available for this account any more (it may have "
        "switched between public and private). Send it again and pick privacy again."
    ),
    "url_ownership_unverified": (
        "TikTok doesn't accept photos from this bot's web address yet: the bot's operator "
        "must verify the domain in the TikTok developer portal."
    ),
    # TikTok's fail_reason after init.
    "file_format_check_failed": (
        "TikTok couldn't read the file. Use an MP4 (H.264) video or JPEG photos and try again."
    ),
    "duration_check_failed": (
        "The video's length isn't accepted for this account (check the maximum duration "
        "in the TikTok app)."
    ),
    "frame_rate_check_failed": "TikTok needs videos with 23 to 60 frames per second.",
    "picture_size_check_failed": (
        "TikTok didn't accept the picture size (videos need 360–4096 px per side)."
    ),
    "video_pull_failed": (
        "TikTok couldn't download the video. Please try again; if it keeps failing, tell "
        "the bot's operator."
    ),
    "photo_pull_failed": (
        "TikTok couldn't download the photos from the bot's server. Please try again; if "
        "it keeps failing, the operator should check PUBLIC_BASE_URL."
    ),
    "auth_removed": (
        "Access to the account was removed while posting. Re-link it in /accounts and "
        "send it again."
    ),
    "publish_cancelled": "TikTok cancelled the upload. Please send it again.",
}


def failure_reason(code: str | None, label: str) -> str:
    """The plain-words reason and next step for a failure code (`code:detail` allowed)."""
    base, _, detail = (code or "").partition(":")
    if base.startswith("spam_risk") and base not in _FAILURES:
        base = "spam_risk"
    template = _FAILURES.get(base)
    if template is None:
        return f"TikTok refused the post ({esc(code or 'unknown')}). Please try again later."
    return template.format(detail=esc(detail or "?"), label=esc(label))


def failed(kind: str, label: str, code: str | None) -> str:
    """The job ended without a post."""
    return f"❌ Your {_what(kind)} {_was_not(kind)} posted.\n{failure_reason(code, label)}"
