"""Texts of /comment and /comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.texts.common import esc
from bot.texts.facts import CommentFacts, PendingCommentFacts, RefusedTextFacts
from bot.texts.humanize import ago
from bot.texts.stats import ago_text

QUOTE_CHARS = 80
THIS_VIDEO = "this video"


def usage(limit: int) -> str:
    """/comment without anything to go on: what it can do."""
    return USAGE.format(limit=limit)


USAGE = (
    "💬 <b>Comments</b>\n"
    "• /comment — pick one of your latest videos, then type the comment\n"
    "• /comment <i>link</i> <i>text</i> — comment right away\n"
    "• /comment <i>link</i> reply:<i>comment id</i> <i>text</i> — reply to a comment\n"
    "• /comments — what you wrote through me (reply or delete)\n"
    "Up to {limit} characters; emoji count as two."
)


def _title(title: str) -> str:
    return f"“{esc(title)}”" if title else THIS_VIDEO


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return esc(flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…")


PICK_VIDEO = "💬 Which video do you want to comment on? Latest videos of <b>{label}</b>:"
PICK_NO_VIDEOS = "<b>{label}</b> has no videos to comment on yet."
PICK_NO_SCOPE = (
    "I can't list the videos of <b>{label}</b>: it was linked without “reading your videos” "
    "(<code>video.list</code>). Re-link it, or send /comment <i>link</i> <i>text</i>."
)
VIDEO_BUTTON = "{title} · {age}"
ACCOUNT_BUTTON = "👤 {label}"
BUTTON_CANCEL = "✖️ Cancel"
BUTTON_SEND = "✅ Send"
BUTTON_REPLY = "↩️ Reply"
BUTTON_DELETE = "🗑 Delete"
BUTTON_CONFIRM_DELETE = "Yes, delete it"
BUTTON_KEEP = "No, keep it"
BUTTON_REPLY_N = "↩️ Reply #{n}"
BUTTON_DELETE_N = "🗑 Delete #{n}"


def ask_text(pending: PendingCommentFacts, limit: int) -> str:
    """After a video (or a comment to reply to) was chosen."""
    if pending.reply_to_comment_id:
        parent = f"«{_quote(pending.reply_to_text)}»" if pending.reply_to_text else "the comment"
        return (
            f"✍️ Send me your reply to {parent} on {_title(pending.video_title)} "
            f"(up to {limit} characters)."
        )
    return f"✍️ Send me your comment for {_title(pending.video_title)} (up to {limit} characters)."


def preview(pending: PendingCommentFacts) -> str:
    """The text shown back before sending."""
    what = "reply" if pending.reply_to_comment_id else "comment"
    return (
        f"Your {what} on {_title(pending.video_title)}:\n\n"
        f"<blockquote>{esc(pending.text or '')}</blockquote>\n"
        "Send it? (To change it, just send me a new text.)"
    )


def posted(comment: CommentFacts) -> str:
    """TikTok took the comment."""
    what = "Reply" if comment.reply_to_comment_id else "Comment"
    return (
        f"✅ {what} posted on {_title(comment.video_title)}:\n"
        f"<blockquote>{esc(comment.text)}</blockquote>"
    )


def text_refused(refused: RefusedTextFacts) -> str:
    """A text we will not send, and why."""
    if refused.problem == "empty":
        return (
            f"Your comment is empty. Send some text (up to {refused.limit} characters), "
            "or tap Cancel."
        )
    over = refused.length - refused.limit
    return (
        f"That's {refused.length} characters, and TikTok allows {refused.limit} (emoji count "
        f"as two). Please shorten it by {over} and send it again."
    )


# By CommentProblem value (bot/comments/service.py).
PROBLEMS = {
    "video_not_found": (
        "TikTok can't find that video (deleted, private, or a typo in the link?). "
        "Nothing was posted."
    ),
    "reply_target_gone": (
        "The comment you're replying to isn't on that video any more. Nothing was posted."
    ),
    "refused": (
        "TikTok didn't accept this comment ({code}). Nothing was posted — try different wording."
    ),
    "stale": "This comment was already sent or cancelled.",
}


def problem(kind: str, code: str = "") -> str:
    """Why a comment was not posted."""
    return PROBLEMS[kind].format(code=esc(code or "refused"))


CANCELLED = "Okay, no comment was sent."
CONFIRM_DELETE = "Delete this comment from TikTok?\n<blockquote>{text}</blockquote>"
DELETE_KEPT = "Okay, the comment stays."
NOT_YOURS = "That comment isn't one you wrote through me (or it's already deleted)."


def deleted(comment: CommentFacts) -> str:
    """The comment is gone from TikTok."""
    return f"🗑 Deleted from {_title(comment.video_title)}:\n<s>{esc(comment.text)}</s>"


def already_gone(comment: CommentFacts) -> str:
    """TikTok no longer had the comment."""
    return (
        f"That comment on {_title(comment.video_title)} was already gone from TikTok; "
        "I've taken it off your list."
    )


def confirm_delete(comment: CommentFacts) -> str:
    """Before deleting."""
    return CONFIRM_DELETE.format(text=esc(comment.text))


NO_COMMENTS = "You haven't written any comments through me yet. Try /comment."


def recent(comments: Sequence[CommentFacts], now: datetime) -> str:
    """/comments: what the user wrote through the bot."""
    lines = ["💬 <b>Your comments from this bot</b>"]
    for number, comment in enumerate(comments, start=1):
        kind = "reply" if comment.reply_to_comment_id else "comment"
        lines.append(
            f"\n{number}. {kind} on {_title(comment.video_title)} · "
            f"{ago_text(ago(comment.created_at, now))}\n    {_quote(comment.text)}"
        )
    return "\n".join(lines)
