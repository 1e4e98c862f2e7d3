"""Texts of media intake and the post composer (TikTok's posting screen)."""

from __future__ import annotations

from bot.texts.common import esc

PRIVACY_LABELS = {
    "PUBLIC_TO_EVERYONE": "🌍 Everyone",
    "MUTUAL_FOLLOW_FRIENDS": "👥 Friends",
    "FOLLOWER_OF_CREATOR": "👤 Followers",
    "SELF_ONLY": "🔒 Only me",
}
TOGGLE_LABELS = {
    "comment": "Comment",
    "duet": "Duet",
    "stitch": "Stitch",
    "aigc": "AI-generated content",
    "disclose": "Disclose commercial content",
    "brand_organic": "Your brand",
    "brand_content": "Branded content",
}
WHY = {
    "creator_disabled": "You turned this off in your TikTok privacy settings.",
    "branded_not_private": "Branded content visibility can't be set to private ('Only me').",
    "unaudited_only_me": (
        "This bot's TikTok app isn't audited yet, so TikTok only accepts 'Only me' posts."
    ),
    "not_offered": "TikTok doesn't offer this option for your account.",
    "not_for_photos": "Not available for photo posts.",
    "disclose_first": "Turn on 'Disclose commercial content' first.",
    "not_in_inbox": "You'll choose this in the TikTok app when you finish the draft.",
}
BLOCKERS = {
    "choose_privacy": "Choose who can see this post.",
    "choose_disclosure": (
        "You need to indicate if your content promotes yourself, a third party, or both."
    ),
    "video_too_long": "This video is longer than TikTok allows for your account ({max}).",
    "text_too_long": "The text is longer than TikTok allows.",
    "account_must_be_private": (
        "This bot's TikTok app isn't audited yet: TikTok only accepts posts from PRIVATE "
        "accounts, visible to 'Only me'. Make your account private in TikTok, or send it "
        "to your TikTok inbox instead."
    ),
    "no_media": "There is nothing to post.",
}
NOTICE = {
    "promotional": "Your {what} will be labeled as 'Promotional content'.",
    "paid_partnership": "Your {what} will be labeled as 'Paid partnership'.",
}
MUSIC_URL = "https://www.tiktok.com/legal/page/global/music-usage-confirmation/en"
BRANDED_URL = "https://www.tiktok.com/legal/page/global/bc-policy/en"
DECLARATION = {
    "music": (
        f'By posting, you agree to TikTok\'s <a href="{MUSIC_URL}">Music Usage Confirmation</a>.'
    ),
    "branded_and_music": (
        f'By posting, you agree to TikTok\'s <a href="{BRANDED_URL}">Branded Content Policy</a> '
        f'and <a href="{MUSIC_URL}">Music Usage Confirmation</a>.'
    ),
}
UNAUDITED_NOTE = (
    "ℹ️ This bot's TikTok app isn't audited yet: posts are visible to 'Only me' and your "
    "account must be private."
)


def posting_to(nickname: str, username: str) -> str:
    """The first line: which account we post to."""
    handle = f" (@{esc(username)})" if username else ""
    return f"📤 Posting to <b>{esc(nickname)}</b>{handle}"


def media_line(kind: str, count: int, duration: int | None, cover: int) -> str:
    """What is being posted."""
    if kind == "video":
        length = f" · {duration // 60}:{duration % 60:02d}" if duration is not None else ""
        return f"🎬 Video{length}"
    cover_note = f" · cover: photo {cover + 1}" if count > 1 else ""
    return f"🖼 {count} photo{'s' if count != 1 else ''}{cover_note}"


def quoted(label: str, value: str, limit: int, used: int) -> str:
    """A text field with its UTF-16 count."""
    if not value:
        return f"<b>{label}</b>: <i>none yet</i>"
    return f"<b>{label}</b> ({used}/{limit}):\n<blockquote>{esc(value)}</blockquote>"


PRIVACY_HEADER = "<b>Who can see this post?</b> Choose one below."
PRIVACY_CHOSEN = "<b>Who can see it</b>: {label}"


def interactions_header(kind: str) -> str:
    """Above the Comment/Duet/Stitch switches (photos only have Comment)."""
    what = "comment, duet or stitch" if kind == "video" else "comment"
    return f"<b>Allow users to</b> {what}? Tap to switch on."


INBOX_NOTE = (
    "📥 <b>Send to TikTok inbox</b>: TikTok will notify you; open the app to add the caption, "
    "sound and settings, then post."
)
PROCESSING_NOTE = "After you tap Post, TikTok may take a few minutes to process it."

BUTTON_EDIT_CAPTION = "✏️ Caption"
BUTTON_EDIT_TITLE = "✏️ Title"
BUTTON_EDIT_DESCRIPTION = "✏️ Description"
BUTTON_COVER = "🖼 Next cover"
BUTTON_SWITCH_ACCOUNT = "🔁 Post to another account"
BUTTON_MODE_DIRECT = "📤 Mode: post now"
BUTTON_MODE_INBOX = "📥 Mode: TikTok inbox"
BUTTON_POST = "✅ Post to TikTok"
BUTTON_POST_LATER = "🗓 Post later"
BUTTON_SEND_INBOX = "✅ Send to TikTok inbox"
BUTTON_POST_BLOCKED = "⛔ Post — {reason}"
BUTTON_CANCEL = "✖️ Cancel"
BUTTON_RETRY = "🔄 Try again"
BUTTON_CONTINUE = "▶️ Continue with your {what}"
BLOCKED_SHORT = {
    "choose_privacy": "choose who can see it",
    "choose_disclosure": "choose your brand or branded content",
    "video_too_long": "video too long",
    "text_too_long": "text too long",
    "account_must_be_private": "account must be private",
    "no_media": "nothing to post",
}


def toggle_button(label: str, on: bool, available: bool) -> str:
    """☑️/⬜ for a switch, 🚫 when unavailable."""
    if not available:
        return f"🚫 {label}"
    return f"{'☑️' if on else '⬜'} {label}"


def privacy_button(level: str, selected: bool, available: bool) -> str:
    """A privacy option, ✅ when chosen."""
    label = PRIVACY_LABELS.get(level, level)
    if selected:
        return f"✅ {label}"
    return label if available else f"🚫 {label}"


ASK_CAPTION = (
    "Send me the caption (up to 2200 characters; #hashtags and @mentions work). "
    "Send /skip to leave it empty."
)
ASK_TITLE = "Send me the title (up to 90 characters). Send /skip to leave it empty."
ASK_DESCRIPTION = (
    "Send me the description (up to 4000 characters; #hashtags work). /skip leaves it empty."
)
TEXT_TOO_LONG = (
    "That's {used} characters; TikTok allows {limit} here (emoji count as two). "
    "Please send a shorter one."
)

CANCELLED = "Draft discarded. Nothing was sent to TikTok."
ALREADY_SUBMITTED = "This post is already on its way to TikTok."
SUBMITTED = (
    "🚀 Sending to TikTok… I'll update you below. TikTok may take a few minutes to process it."
)
DRAFT_GONE = "This draft is no longer active."
NOT_YOURS = "That's someone else's draft."

NEED_ACCOUNT = (
    "I've kept your {what}. Link your TikTok account first, then I'll open the post "
    "composer for it."
)
CANNOT_POST_NOW = "TikTok says <b>{account}</b> can't post right now: {reason}"
CREATOR_REASONS = {
    "spam_risk_too_many_posts": (
        "you've reached today's posting limit. Try again tomorrow (TikTok allows about 15 "
        "posts a day across all apps)."
    ),
    "spam_risk_user_banned_from_posting": "TikTok has restricted posting on this account.",
    "reached_active_user_cap": (
        "this bot's TikTok app reached its daily limit of posting users (not your fault). "
        "Try again tomorrow."
    ),
}
CANNOT_POST_GENERIC = "TikTok refused ({code}). Try again later."

UNSUPPORTED_FILE = (
    "I can't post this file. TikTok accepts <b>videos</b> (MP4, MOV or WebM) and "
    "<b>photos</b> (JPEG, PNG, WebP, HEIC or AVIF). Send one of those — as a video/photo "
    "or as a file."
)
GIF_NOT_SUPPORTED = (
    "GIFs can't be posted to TikTok. Convert it to an MP4 video (most phones can "
    "'Save as video') and send that."
)
MIXED_ALBUM = (
    "TikTok posts are either <b>one video</b> or <b>up to 35 photos</b> — not both. "
    "Send the video on its own, or an album of photos only."
)
SEVERAL_VIDEOS = (
    "TikTok posts one video at a time. Send the videos one by one and I'll make a post for each."
)
TOO_MANY_PHOTOS = "TikTok allows up to 35 photos per post; I kept the first 35."
PHOTOS_ADDED = "Added {added} photo{s} — {total} in this post now."
FILE_TOO_BIG_CLOUD = (
    "This file is {size} — Telegram only lets bots download files up to 20 MB. "
    "Send a shorter or compressed version, or ask the bot's operator to run a local "
    "Telegram Bot API server (see the README), which lifts the limit to 2 GB."
)
FILE_TOO_BIG = "This file is {size}; the most I can handle is {limit}."
FILE_UNREADABLE = (
    "Telegram didn't let me read that file just now. Nothing was lost — please send it "
    "again in a moment."
)
VIDEO_TOO_LONG = (
    "This video is {length} long; TikTok lets <b>{account}</b> post up to {limit}. "
    "Trim it and send it again."
)


def human_size(n: int) -> str:
    """Bytes as MB/GB for people."""
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    # One decimal, so 20.1 MB never reads "20 MB" beside a 20 MB limit; none when exact.
    text = f"{n / 1024**2:.1f}"
    return f"{text.removesuffix('.0')} MB"


def human_duration(seconds: int) -> str:
    """m:ss or 'N seconds'."""
    if seconds < 60:
        return f"{seconds} seconds"
    return f"{seconds // 60}:{seconds % 60:02d} min"
