"""PUT /upload/: the chunk receiver, streaming every byte through a hash and a spool.

Chunks can be 128 MB and files 4 GB, so nothing is held in memory: the body
is read piece by piece into a running SHA-256 and a temporary spool file,
which TikTok's media checks read once the last chunk arrived (and delete).
"""

from __future__ import annotations

import re

from aiohttp import ClientPayloadError, web

from emulators.tiktok.errors import UploadError
from emulators.tiktok.lifecycle import upload_expired
from emulators.tiktok.media_check import Spool, judge_video
from emulators.tiktok.records import Publish, PublishStatus, UploadSession
from emulators.tiktok.state import SandboxState

VIDEO_CONTENT_TYPES = ("video/mp4", "video/quicktime", "video/webm")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


async def drain(request: web.Request) -> None:
    """Read and discard the request body so the client can read our reply."""
    try:
        async for _ in request.content.iter_any():
            pass
    except (ClientPayloadError, ConnectionError):
        pass


class UploadEndpoint:
    """Handler of chunk PUTs to upload URLs."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    async def put_chunk(self, request: web.Request) -> web.Response:
        """Accept the next expected chunk: 206 while more are due, 201 at the end."""
        try:
            session = self._session(request)
            status = self._state.faults.take_chunk_failure()
            if status is not None:
                raise UploadError(status, "fault", "injected chunk failure")
            first, last = self._check_headers(request, session)
        except UploadError:
            await drain(request)
            raise
        publish = self._state.publishes[session.publish_id]
        session.busy = True
        try:
            await self._receive(request, session, publish, first, last)
        finally:
            session.busy = False
        if session.complete:
            publish.upload_sha256 = session.hasher.hexdigest()
            publish.upload_size = session.received
            # Checked in the background, like TikTok: the last chunk's 201 does not wait.
            spool, session.spool = session.spool, None
            ready_at = self._state.clock.now()
            publish.media_check = self._state.spawn(self._check_media(spool, publish, ready_at))
            return web.Response(status=201)
        return web.Response(status=206)

    async def _check_media(self, spool: Spool, publish: Publish, ready_at: float) -> None:
        """TikTok's checks on the complete file: a failure ends the publish."""
        try:
            await spool.flush()
            account = self._state.accounts[publish.open_id]
            verdict = await judge_video(spool.path, account.max_video_post_duration_sec)
        finally:
            spool.close()
        if verdict.fail_reason is not None:
            publish.fail(verdict.fail_reason, ready_at)
            return
        publish.media_duration = verdict.duration
        publish.media_ready_at = ready_at
        publish.status = PublishStatus.PROCESSING_DOWNLOAD

    def _session(self, request: web.Request) -> UploadSession:
        session = self._state.uploads.get(request.query.get("upload_id", ""))
        if session is None or request.query.get("upload_token") != session.upload_token:
            raise UploadError(404, "upload_not_found", "no upload task for this URL")
        if upload_expired(self._state, session):
            raise UploadError(403, "upload_url_expired", "the upload URL has expired")
        return session

    def _check_headers(self, request: web.Request, session: UploadSession) -> tuple[int, int]:
        if request.content_type not in VIDEO_CONTENT_TYPES:
            raise UploadError(
                400, "bad_content_type", f"Content-Type must be one of {VIDEO_CONTENT_TYPES}"
            )
        length = request.content_length
        if length is None:
            raise UploadError(400, "missing_content_length", "Content-Length is required")
        match = _CONTENT_RANGE.fullmatch(request.headers.get("Content-Range", ""))
        if match is None:
            raise UploadError(
                400, "bad_content_range", "Content-Range must be 'bytes FIRST-LAST/TOTAL'"
            )
        first, last, total = (int(group) for group in match.groups())
        if total != session.video_size:
            raise UploadError(416, "range_mismatch", f"TOTAL must be {session.video_size}")
        if session.complete or session.busy:
            raise UploadError(416, "range_mismatch", "no chunk is expected now")
        expected = session.expected_range()
        if (first, last) != expected:
            raise UploadError(
                416,
                "range_mismatch",
                f"expected chunk bytes {expected[0]}-{expected[1]}/{session.video_size}",
            )
        if length != last - first + 1:
            raise UploadError(400, "length_mismatch", f"Content-Length must be {last - first + 1}")
        return first, last

    async def _receive(
        self, request: web.Request, session: UploadSession, publish: Publish, first: int, last: int
    ) -> None:
        # Hash into a copy so a broken chunk leaves the committed hash untouched.
        hasher = session.hasher.copy()
        if session.spool is None:
            session.spool = Spool()
        count = 0
        try:
            async for data in request.content.iter_any():
                count += len(data)
                hasher.update(data)
                await session.spool.add(data)
        except (ClientPayloadError, ConnectionError):
            await session.spool.cut(session.received)
            raise UploadError(400, "length_mismatch", "the body ended early") from None
        if count != last - first + 1:
            await session.spool.cut(session.received)
            raise UploadError(400, "length_mismatch", "the body does not match Content-Length")
        session.hasher = hasher
        publish.upload_content_type = request.content_type
        session.received += count
        session.chunks_done += 1
        publish.uploaded_bytes = session.received
        publish.chunk_log.append(request.headers["Content-Range"])
