"""State the sandbox records, kept as plain dataclasses so tests can assert on it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PublishKind(StrEnum):
    """What is being published."""

    VIDEO = "VIDEO"
    PHOTO = "PHOTO"


class PublishMode(StrEnum):
    """Where it goes: straight to the profile, or to the creator's inbox (drafts)."""

    DIRECT_POST = "DIRECT_POST"
    MEDIA_UPLOAD = "MEDIA_UPLOAD"


class PublishStatus(StrEnum):
    """TikTok's publish statuses (SEND_TO_USER_INBOX and the last two are final)."""

    PROCESSING_UPLOAD = "PROCESSING_UPLOAD"
    PROCESSING_DOWNLOAD = "PROCESSING_DOWNLOAD"
    SEND_TO_USER_INBOX = "SEND_TO_USER_INBOX"
    PUBLISH_COMPLETE = "PUBLISH_COMPLETE"
    FAILED = "FAILED"

    @property
    def final(self) -> bool:
        """Whether the publish will never change status again."""
        return self in (
            PublishStatus.SEND_TO_USER_INBOX,
            PublishStatus.PUBLISH_COMPLETE,
            PublishStatus.FAILED,
        )


@dataclass
class RecordedRequest:
    """One request the sandbox answered.

    ``path`` is relative to the sandbox (without a mount prefix). ``json`` is
    the parsed JSON body (None when the body was not JSON), ``form`` the
    decoded form body (None when it was not a form). ``access_token`` is the
    bearer token sent, if any. ``error_code`` is the envelope's ``error.code``
    (``"ok"`` on success), the OAuth ``error``, or a short sandbox code for
    upload refusals, ``invalid_request`` for an authorize error page; None
    when the reply carried no code (pages, redirects, accepted chunks, OAuth
    successes).
    """

    method: str
    path: str
    query: dict[str, str]
    time: float
    json: Any = None
    form: dict[str, list[str]] | None = None
    access_token: str | None = None
    status: int = 0
    error_code: str | None = None


@dataclass
class UploadSession:
    """A FILE_UPLOAD upload URL and the progress made through it."""

    upload_id: str
    upload_token: str
    publish_id: str
    video_size: int
    chunk_size: int
    total_chunk_count: int
    expires_at: float
    generation: int
    received: int = 0
    chunks_done: int = 0
    busy: bool = False
    hasher: Any = field(default_factory=hashlib.sha256)
    spool: Any = None  # media_check.Spool: the bytes so far, for TikTok's checks at the end

    @property
    def complete(self) -> bool:
        """Whether every chunk has been accepted."""
        return self.chunks_done == self.total_chunk_count

    def expected_range(self) -> tuple[int, int]:
        """First and last (inclusive) byte offsets of the next expected chunk."""
        first = self.chunks_done * self.chunk_size
        if self.chunks_done == self.total_chunk_count - 1:
            return first, self.video_size - 1
        return first, first + self.chunk_size - 1


@dataclass
class PulledImage:
    """A photo the sandbox downloaded from the caller's server and accepted."""

    url: str
    format: str
    width: int
    height: int
    size: int


@dataclass
class PulledVideo:
    """A PULL_FROM_URL video the sandbox downloaded (streamed, never stored)."""

    url: str
    size: int
    sha256: str


@dataclass
class Publish:
    """One publish_id and everything TikTok knows about it.

    ``post_info`` and ``source_info`` are the dicts exactly as received.
    ``uploaded_bytes``/``upload_sha256``/``upload_size`` describe FILE_UPLOAD
    bytes (hash and size are set once the last chunk arrived);
    ``chunk_log`` holds the Content-Range header of every accepted chunk.
    ``images`` are the photos pulled, ``pulled_video`` a pulled video.
    ``post_id`` is the created video's id once a direct post completed.
    """

    publish_id: str
    kind: PublishKind
    mode: PublishMode
    open_id: str
    client_key: str
    post_info: dict[str, Any] | None
    source_info: dict[str, Any]
    created_at: float
    processing_seconds: float
    status: PublishStatus
    fail_reason: str | None = None
    uploaded_bytes: int = 0
    downloaded_bytes: int = 0
    upload_sha256: str | None = None
    upload_size: int | None = None
    chunk_log: list[str] = field(default_factory=list)
    images: list[PulledImage] = field(default_factory=list)
    pulled_video: PulledVideo | None = None
    media_duration: float | None = None  # seconds, as the media check measured the video
    upload_content_type: str | None = None  # the Content-Type the chunks came with
    media_check: Any = None  # asyncio.Task of the media check still running, if any
    post_id: str | None = None
    upload_id: str | None = None
    media_ready_at: float | None = None
    finished_at: float | None = None

    @property
    def privacy_level(self) -> str | None:
        """The privacy level asked for in post_info, if any."""
        value = (self.post_info or {}).get("privacy_level")
        return value if isinstance(value, str) else None

    def fail(self, reason: str, now: float) -> None:
        """End the publish as FAILED with TikTok's ``fail_reason``."""
        self.status = PublishStatus.FAILED
        self.fail_reason = reason
        self.finished_at = now


@dataclass
class Video:
    """A post on an account's profile (seeded or published through the sandbox).

    ``create_ms`` is the creation time in milliseconds (whole seconds, unique
    per account so list cursors never skip a video); ``create_time`` is
    TikTok's value in seconds.
    """

    id: str
    open_id: str
    create_ms: int
    title: str
    video_description: str
    duration: int
    width: int
    height: int
    cover_image_url: str
    share_url: str
    privacy_level: str
    kind: PublishKind = PublishKind.VIDEO
    like_count: int = 0
    comment_count: int = 0
    share_count: int = 0
    view_count: int = 0
    publish_id: str | None = None

    @property
    def create_time(self) -> int:
        """Creation time in whole seconds, as TikTok reports it."""
        return self.create_ms // 1000


@dataclass
class SandboxComment:
    """A comment written through the sandbox."""

    comment_id: str
    video_id: str
    text: str
    open_id: str
    create_time: float
    reply_to_comment_id: str | None = None
    deleted: bool = False
