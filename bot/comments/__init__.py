"""/comment: writing, replying to and deleting comments on TikTok from the chat."""

from bot.comments.service import (
    CommentFailed,
    CommentOutcome,
    CommentPosted,
    CommentProblem,
    CommentService,
    CommentTarget,
    DeleteOutcome,
    VideoPicker,
)
from bot.comments.text import (
    COMMENT_LIMIT,
    CommentCommand,
    TextProblem,
    TextRefused,
    clean_comment,
    parse_comment_command,
)

__all__ = [
    "COMMENT_LIMIT",
    "CommentCommand",
    "CommentFailed",
    "CommentOutcome",
    "CommentPosted",
    "CommentProblem",
    "CommentService",
    "CommentTarget",
    "DeleteOutcome",
    "TextProblem",
    "TextRefused",
    "VideoPicker",
    "clean_comment",
    "parse_comment_command",
]
