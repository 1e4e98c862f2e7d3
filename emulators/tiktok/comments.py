"""Writing comments: /v2/comment/publish/ and /v2/comment/delete/ (the seed contract)."""

from __future__ import annotations

from aiohttp import web

from emulators.tiktok.api import authenticate, read_json_object
from emulators.tiktok.errors import ApiError, envelope, invalid_params
from emulators.tiktok.params import get_str, require_str, utf16_len
from emulators.tiktok.paths import COMMENT_DELETE, COMMENT_PUBLISH
from emulators.tiktok.records import SandboxComment
from emulators.tiktok.state import SandboxState

COMMENT_LIMIT = 150


def _comment_not_found() -> ApiError:
    return ApiError(404, "comment_not_found", "the comment does not exist on this video")


class CommentEndpoints:
    """Handlers of comment publish and delete."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    async def publish(self, request: web.Request) -> web.Response:
        """Write a comment or a reply on any video the sandbox knows."""
        caller = authenticate(self._state, request, COMMENT_PUBLISH)
        body = await read_json_object(request)
        video_id = require_str(body, "video_id", "body")
        text = require_str(body, "text", "body").strip()
        reply_to = get_str(body, "reply_to_comment_id", "body")
        video = self._state.videos.get(video_id)
        if video is None:
            raise ApiError(404, "video_not_found", "the video does not exist")
        if not text:
            raise invalid_params("text must not be empty")
        if utf16_len(text) > COMMENT_LIMIT:
            raise invalid_params(f"text is longer than {COMMENT_LIMIT} UTF-16 code units")
        if reply_to is not None:
            parent = self._state.comments.get(reply_to)
            if parent is None or parent.deleted or parent.video_id != video_id:
                raise _comment_not_found()
        comment = SandboxComment(
            comment_id=self._state.new_numeric_id(),
            video_id=video_id,
            text=text,
            open_id=caller.account.open_id,
            create_time=self._state.clock.now(),
            reply_to_comment_id=reply_to,
        )
        self._state.comments[comment.comment_id] = comment
        video.comment_count += 1
        return envelope({"comment_id": comment.comment_id})

    async def delete(self, request: web.Request) -> web.Response:
        """Delete one of the caller's own live comments."""
        caller = authenticate(self._state, request, COMMENT_DELETE)
        body = await read_json_object(request)
        video_id = require_str(body, "video_id", "body")
        comment_id = require_str(body, "comment_id", "body")
        comment = self._state.comments.get(comment_id)
        if (
            comment is None
            or comment.deleted
            or comment.video_id != video_id
            or comment.open_id != caller.account.open_id
        ):
            raise _comment_not_found()
        comment.deleted = True
        video = self._state.videos.get(video_id)
        if video is not None:
            video.comment_count = max(0, video.comment_count - 1)
        return envelope({})
