"""Texts of posting later, /queue and /settings (HTML)."""

from __future__ import annotations

from datetime import datetime

from bot.texts.common import esc

BUTTON_TYPE_ZONE = "⌨️ Type a city or UTC offset"
BUTTON_UTC = "UTC"

ASK_ZONE = (
    "🌍 <b>Which time zone are you in?</b>\n"
    "I show and read every scheduled time in it. Tap one, or type a city "
    "(<i>Lisbon</i>, <i>New York</i>), a zone (<i>Europe/Paris</i>) or an offset "
    "(<i>UTC+2</i>, <i>-03:30</i>)."
)
TYPE_ZONE = (
    "Type your city, a time zone such as <i>Europe/Paris</i>, or a UTC offset such as <i>UTC+2</i>."
)


def zone_label(name: str) -> str:
    """A button label for an IANA zone: its city."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def moment(local: datetime, zone_name: str) -> str:
    """A time on the user's clock, with its zone: "Thu 24 Dec 18:00 (Europe/Berlin)"."""
    return f"{local:%a %d %b %H:%M} ({zone_name})"


def settings_overview(zone_name: str | None, local_now: datetime | None) -> str:
    """/settings."""
    if zone_name is None or local_now is None:
        zone = "not chosen yet — I'll ask the first time you schedule a post"
    else:
        zone = f"<b>{esc(zone_name)}</b> (it's {local_now:%H:%M} there now)"
    return f"⚙️ <b>Settings</b>\n\nTime zone: {zone}\n\nTap a zone to change it."


def zone_set(zone_name: str, local_now: datetime, fixed: bool) -> str:
    """The zone was stored."""
    note = "\nA fixed offset does not follow daylight saving time." if fixed else ""
    return (
        f"✅ Time zone set to <b>{esc(zone_name)}</b> — it's {local_now:%H:%M} "
        f"on {local_now:%a %d %b} there.{note}"
    )


def zone_unknown(typed: str) -> str:
    """Typed text that names no zone."""
    return (
        f"I don't know the time zone “{esc(typed[:64])}”. Try a bigger city nearby, a zone "
        "such as <i>Europe/Paris</i>, or an offset such as <i>UTC+2</i> — or pick one "
        "from the list with /settings."
    )


_WHAT = {"video": "video", "photo": "photos"}
_HOLD_WHY = {
    "privacy_gone": (
        "the privacy you chose is no longer offered for this account (its privacy settings "
        "changed). Change them back in TikTok and tap <b>Post now</b>, or cancel it and send "
        "the post again to choose another"
    ),
    "comments_off": (
        "the account turned comments off in TikTok, but this post allows them. Turn them "
        "back on and tap <b>Post now</b>, or cancel it and post again"
    ),
    "duet_off": (
        "the account turned duets off in TikTok, but this post allows them. Turn them back "
        "on and tap <b>Post now</b>, or cancel it and post again"
    ),
    "stitch_off": (
        "the account turned stitches off in TikTok, but this post allows them. Turn them "
        "back on and tap <b>Post now</b>, or cancel it and post again"
    ),
    "too_long": "the video is now longer than this account may post. Cancel it and send a "
    "shorter cut",
    "needs_relink": "TikTok no longer accepts this bot's access to the account. Link it "
    "again with /link, then tap <b>Post now</b>",
    "spam_risk_too_many_posts": "the account reached TikTok's daily posting limit. "
    "<b>Reschedule</b> it for tomorrow",
    "spam_risk_user_banned_from_posting": "TikTok does not let this account post at the "
    "moment. Check the TikTok app, then tap <b>Post now</b> or cancel it",
}


def hold_why(code: str | None) -> str:
    """Why a post is on hold and what to do, as a clause."""
    return _HOLD_WHY.get(
        code or "",
        f"TikTok refused it right now ({esc(code or 'unknown')}). Try <b>Post now</b> "
        "later, or cancel it",
    )


def held(kind: str, label: str, code: str | None) -> str:
    """The due time came and TikTok would refuse the post as chosen."""
    return (
        f"⏸ Your scheduled {_WHAT.get(kind, 'post')} for <b>{esc(label)}</b> is on hold: "
        f"{hold_why(code)}. It stays in /queue until then."
    )


# -- /queue --------------------------------------------------------------------

BUTTON_POST_NOW = "▶️ Post now"
BUTTON_RESCHEDULE = "🗓 Reschedule"
BUTTON_EDIT_CAPTION = "✏️ Edit caption"
BUTTON_CANCEL = "✖️ Cancel"
BUTTON_CANCEL_YES = "✖️ Yes, cancel it"
BUTTON_KEEP = "↩️ Keep it"
BUTTON_BACK = "↩️ Back"
BUTTON_TYPE_TIME = "⌨️ Type a time"
BUTTON_IN_ONE_HOUR = "In 1 hour"
BUTTON_THIS_EVENING = "This evening 19:00"
BUTTON_TOMORROW_MORNING = "Tomorrow 09:00"

QUEUE_EMPTY = (
    "🗓 Nothing scheduled or on its way. Send a video or photos and choose "
    "<b>Post later</b> to schedule one."
)
ASK_CAPTION = "✏️ Send the new caption for this post."
ASK_TIME = (
    "⌨️ When should it go out? For example <i>18:30</i>, <i>tomorrow 9am</i>, "
    "<i>friday 18:00</i>, <i>2026-12-24 18:00</i> or <i>in 2 hours</i>."
)
CHOOSE_TIME = "🗓 <b>When should it go out?</b>"
CAPTION_UPDATED = "✅ Caption updated."
POSTING_NOW = "▶️ Posting it now."

_CHANGE = {
    "reached_tiktok": (
        "This post already reached TikTok, so it can't be changed or cancelled here any more. "
        "Once it is posted you can delete it in the TikTok app."
    ),
    "running": "This post is being sent to TikTok right now, so it can't be changed.",
    "gone": "This post is no longer in the queue.",
    "too_long": "That caption is longer than TikTok allows for this post.",
}

_TIME_PROBLEM = {
    "unreadable": (
        "I couldn't read that time. Try <i>18:30</i>, <i>tomorrow 9am</i>, "
        "<i>2026-12-24 18:00</i> or <i>in 2 hours</i>."
    ),
    "past": "That time has already passed. Pick a time in the future.",
    "too_far": "I can schedule up to 30 days ahead. Pick an earlier time.",
    "skipped": (
        "That time doesn't exist on that day: the clocks jump forward over it. "
        "Pick a time an hour later."
    ),
}

_STATE = {
    "queued": "🗓 scheduled",
    "held": "⏸ on hold",
    "downloading": "📥 getting it from Telegram",
    "uploading": "📤 uploading to TikTok",
    "processing": "⚙️ TikTok is processing it",
}


def change_refused(change: str) -> str:
    """Why a /queue change did not happen."""
    return _CHANGE.get(change, _CHANGE["gone"])


def time_problem(problem: str) -> str:
    """Why a typed or chosen time cannot be used."""
    return _TIME_PROBLEM.get(problem, _TIME_PROBLEM["unreadable"])


def queue_header(count: int, zone_name: str) -> str:
    """/queue's first message."""
    posts = "post" if count == 1 else "posts"
    return f"🗓 <b>Your queue</b> — {count} {posts}, times in {esc(zone_name)}."


def queue_entry(
    *,
    kind: str,
    state: str,
    when: str,
    account_label: str,
    caption_start: str,
    hold_code: str | None,
    note: str = "",
) -> str:
    """One post of /queue; `when` is already formatted with its zone."""
    caption = esc(caption_start) if caption_start else "<i>no caption</i>"
    text = (
        f"<b>{esc(when)}</b> · {esc(account_label)}\n"
        f"{_WHAT.get(kind, 'post').capitalize()}: “{caption}”\n"
        f"{_STATE.get(state, esc(state))}"
    )
    if state == "held":
        text += f": {hold_why(hold_code)}."
    if note:
        text += f"\n\n{note}"
    return text


def moved(when: str) -> str:
    """A post got a new due time."""
    return f"✅ Rescheduled for <b>{esc(when)}</b>."


def cancel_confirm(caption_start: str) -> str:
    """Asked before cancelling."""
    return f"Cancel “{esc(caption_start) or 'this post'}”? It will not be posted."


def cancelled(kind: str, label: str) -> str:
    """A scheduled post was cancelled (the post's own progress message shows this too)."""
    return f"✖️ Cancelled: your {_WHAT.get(kind, 'post')} will not be posted to <b>{esc(label)}</b>."


def scheduled_for(kind: str, label: str, when: str) -> str:
    """The scheduled post's own message, with the time on the user's clock."""
    return (
        f"🗓 Your {_WHAT.get(kind, 'post')} will be posted to <b>{esc(label)}</b> on "
        f"<b>{esc(when)}</b>. See or change it with /queue."
    )


# -- Post later (the composer) ---------------------------------------------------

BUTTON_BACK_TO_COMPOSER = "↩️ Back to the post"
MEDIA_TOO_BIG = (
    "I can't schedule this one: Telegram only lets bots fetch files up to 20 MB, so it "
    "could not be posted later. Post it now from a local Bot API server, or send a "
    "smaller file."
)
MEDIA_GONE = (
    "I can't schedule this one: Telegram no longer hands out the file. Send it to me "
    "again and schedule the new one."
)


def post_later_for(kind: str, label: str) -> str:
    """The time chooser's heading."""
    return f"🗓 <b>When should your {_WHAT.get(kind, 'post')} go out</b> on {esc(label)}?"


def scheduled_confirmation(when: str) -> str:
    """The composer after Post later: the post waits in the queue."""
    return (
        f"🗓 <b>Scheduled for {esc(when)}.</b>\n"
        "It goes out with the settings you chose; I'll send the link when it's live. "
        "See, move or cancel it with /queue."
    )
