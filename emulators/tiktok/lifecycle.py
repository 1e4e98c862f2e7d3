"""How a publish moves on over sandbox time, evaluated lazily from timestamps."""

from __future__ import annotations

from emulators.tiktok.records import (
    Publish,
    PublishKind,
    PublishMode,
    PublishStatus,
    UploadSession,
    Video,
)
from emulators.tiktok.seeding import cover_url, share_url
from emulators.tiktok.state import SandboxState

DAY = 86400.0
# A rough bitrate (4 Mbit/s) to give uploaded videos a plausible duration
# without decoding them; the sandbox never keeps the bytes.
_BYTES_PER_SECOND = 500_000


def upload_expired(state: SandboxState, session: UploadSession) -> bool:
    """Whether an upload URL is past its hour or was expired by a fault."""
    return (
        state.clock.now() >= session.expires_at
        or session.generation < state.faults.upload_url_generation
    )


def settle(state: SandboxState) -> None:
    """Bring every publish up to date with the sandbox clock.

    Called before each request and before publishes are shown to a test, so
    no background timer is needed: uploads whose URL expired are cancelled,
    and publishes whose processing time has passed reach their final state
    in the order they became due.
    """
    now = state.clock.now()
    for publish in state.publishes.values():
        if publish.status is not PublishStatus.PROCESSING_UPLOAD or publish.upload_id is None:
            continue
        session = state.uploads[publish.upload_id]
        if not session.complete and upload_expired(state, session):
            # TikTok confirms such an upload never completed; a new init is safe.
            publish.fail("publish_cancelled", now)
    due = [
        p
        for p in state.publishes.values()
        if not p.status.final
        and p.media_ready_at is not None
        and now >= p.media_ready_at + p.processing_seconds
    ]
    due.sort(key=lambda p: (p.media_ready_at or 0.0) + p.processing_seconds)
    for publish in due:
        _finish(state, publish, (publish.media_ready_at or now) + publish.processing_seconds)


def _finish(state: SandboxState, publish: Publish, at: float) -> None:
    reason = state.faults.take_publish_failure()
    if reason is not None:
        publish.fail(reason, at)
        return
    publish.finished_at = at
    if publish.mode is PublishMode.MEDIA_UPLOAD:
        publish.status = PublishStatus.SEND_TO_USER_INBOX
        return
    video = _post_from(state, publish, at)
    state.add_video(video)
    publish.post_id = video.id
    publish.status = PublishStatus.PUBLISH_COMPLETE


def _post_from(state: SandboxState, publish: Publish, at: float) -> Video:
    account = state.accounts[publish.open_id]
    info = publish.post_info or {}
    video_id = state.new_numeric_id()
    title = info.get("title") or ""
    if publish.kind is PublishKind.PHOTO:
        cover = publish.images[0] if publish.images else None
        description = info.get("description") or ""
        duration, width, height = 0, cover.width if cover else 1080, cover.height if cover else 1080
    else:
        description = title
        size = publish.upload_size or (publish.pulled_video.size if publish.pulled_video else 0)
        if publish.media_duration is not None:
            duration = max(1, round(publish.media_duration))
        else:
            duration = max(1, min(account.max_video_post_duration_sec, size // _BYTES_PER_SECOND))
        width, height = 1080, 1920
    return Video(
        id=video_id,
        open_id=publish.open_id,
        create_ms=int(at) * 1000,
        title=title,
        video_description=description,
        duration=duration,
        width=width,
        height=height,
        cover_image_url=cover_url(video_id),
        share_url=share_url(account.username, video_id),
        privacy_level=publish.privacy_level or "",
        kind=publish.kind,
        publish_id=publish.publish_id,
    )
