"""Publishing endpoints: video, inbox and photo init, and status fetch."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from emulators.tiktok.api import Caller, authenticate, read_json_object
from emulators.tiktok.config import SELF_ONLY
from emulators.tiktok.errors import ApiError, envelope, invalid_params
from emulators.tiktok.lifecycle import settle
from emulators.tiktok.params import require_enum, require_str
from emulators.tiktok.paths import CONTENT_INIT, INBOX_INIT, STATUS_FETCH, UPLOAD, VIDEO_INIT
from emulators.tiktok.post_rules import (
    VideoSource,
    check_photo_post_info,
    check_photo_source,
    check_privacy_option,
    check_unaudited_direct_post,
    check_video_post_info,
    check_video_source,
    optional_object,
    required_object,
)
from emulators.tiktok.pulls import pull_photos, pull_video
from emulators.tiktok.records import Publish, PublishKind, PublishMode, PublishStatus, UploadSession
from emulators.tiktok.state import SandboxState
from emulators.tiktok.users import blocked

UPLOAD_URL_TTL = 3600.0
PENDING_SHARE_LIMIT = 5
DAY = 86400.0


class PublishEndpoints:
    """Handlers of the three init endpoints and of status fetch."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    async def video_init(self, request: web.Request) -> web.Response:
        """Start a video direct post (FILE_UPLOAD or PULL_FROM_URL)."""
        caller = authenticate(self._state, request, VIDEO_INIT)
        caller.require_scope("video.publish")
        body = await read_json_object(request)
        post_info = required_object(body, "post_info")
        source_info = required_object(body, "source_info")
        privacy = check_video_post_info(post_info, caller.account)
        source = check_video_source(source_info, caller.app)
        self._check_can_post(caller)
        check_privacy_option(caller.account, privacy)
        self._check_direct_post(caller, privacy)
        return self._start_video(
            request, caller, PublishMode.DIRECT_POST, post_info, source_info, source
        )

    async def inbox_init(self, request: web.Request) -> web.Response:
        """Start a video upload to the creator's inbox (no caption, no privacy)."""
        caller = authenticate(self._state, request, INBOX_INIT)
        caller.require_scope("video.upload")
        body = await read_json_object(request)
        if "post_info" in body:
            raise invalid_params("post_info is not accepted by the inbox endpoint")
        source_info = required_object(body, "source_info")
        source = check_video_source(source_info, caller.app)
        self._check_can_post(caller)
        self._check_pending_shares(caller)
        return self._start_video(
            request, caller, PublishMode.MEDIA_UPLOAD, None, source_info, source
        )

    async def content_init(self, request: web.Request) -> web.Response:
        """Start a photo post (direct or to the inbox); images are pulled in the background."""
        caller = authenticate(self._state, request, CONTENT_INIT)
        body = await read_json_object(request)
        require_enum(body, "media_type", "body", ("PHOTO",))
        mode = PublishMode(
            require_enum(body, "post_mode", "body", tuple(m.value for m in PublishMode))
        )
        direct = mode is PublishMode.DIRECT_POST
        caller.require_scope("video.publish" if direct else "video.upload")
        post_info = (
            required_object(body, "post_info") if direct else optional_object(body, "post_info")
        )
        privacy = check_photo_post_info(post_info or {}, caller.account, direct=direct)
        source_info = required_object(body, "source_info")
        urls = check_photo_source(source_info, caller.app)
        self._check_can_post(caller)
        if privacy is not None:
            check_privacy_option(caller.account, privacy)
            self._check_direct_post(caller, privacy)
        else:
            self._check_pending_shares(caller)
        publish = self._new_publish(
            "p_pub_url~v2.", caller, PublishKind.PHOTO, mode, post_info, source_info
        )
        publish.status = PublishStatus.PROCESSING_DOWNLOAD
        self._state.spawn(pull_photos(self._state, publish, urls))
        return envelope({"publish_id": publish.publish_id})

    async def status_fetch(self, request: web.Request) -> web.Response:
        """Report where a publish is; lifecycle.settle already brought it up to date."""
        caller = authenticate(self._state, request, STATUS_FETCH)
        caller.require_scope("video.publish", "video.upload")
        body = await read_json_object(request)
        publish_id = require_str(body, "publish_id", "body")
        publish = self._state.publishes.get(publish_id)
        if (
            publish is None
            or publish.open_id != caller.account.open_id
            or publish.client_key != caller.app.client_key
        ):
            raise invalid_params("publish_id is unknown for this user")
        if publish.media_check is not None:
            # The answer must not depend on how fast the check thread ran.
            await publish.media_check
            publish.media_check = None
            settle(self._state)
        return envelope(_status_data(publish))

    def _check_can_post(self, caller: Caller) -> None:
        refusal = blocked(caller.account)
        if refusal is not None:
            raise refusal

    def _check_direct_post(self, caller: Caller, privacy: str) -> None:
        users = self._state.posting_users.setdefault(caller.app.client_key, {})
        now = self._state.clock.now()
        check_unaudited_direct_post(caller, privacy, users, now)
        users[caller.account.open_id] = now

    def _check_pending_shares(self, caller: Caller) -> None:
        now = self._state.clock.now()
        pending = [
            p
            for p in self._state.publishes.values()
            if p.open_id == caller.account.open_id
            and p.mode is PublishMode.MEDIA_UPLOAD
            and p.status is not PublishStatus.FAILED
            and now - p.created_at < DAY
        ]
        if len(pending) >= PENDING_SHARE_LIMIT:
            raise ApiError(
                403,
                "spam_risk_too_many_pending_share",
                f"the user has {PENDING_SHARE_LIMIT} pending inbox shares in the last 24 hours",
            )

    def _start_video(
        self,
        request: web.Request,
        caller: Caller,
        mode: PublishMode,
        post_info: dict[str, Any] | None,
        source_info: dict[str, Any],
        source: VideoSource,
    ) -> web.Response:
        if source.url is not None:
            publish = self._new_publish(
                "v_pub_url~v2-1.", caller, PublishKind.VIDEO, mode, post_info, source_info
            )
            publish.status = PublishStatus.PROCESSING_DOWNLOAD
            self._state.spawn(pull_video(self._state, publish, source.url))
            return envelope({"publish_id": publish.publish_id})
        assert source.plan is not None  # check_video_source returns one or the other
        publish = self._new_publish(
            "v_pub_file~v2-1.", caller, PublishKind.VIDEO, mode, post_info, source_info
        )
        session = UploadSession(
            upload_id=secrets.token_urlsafe(16),
            upload_token=secrets.token_urlsafe(24),
            publish_id=publish.publish_id,
            video_size=source.plan.video_size,
            chunk_size=source.plan.chunk_size,
            total_chunk_count=source.plan.total_chunk_count,
            expires_at=self._state.clock.now() + UPLOAD_URL_TTL,
            generation=self._state.faults.upload_url_generation,
        )
        self._state.uploads[session.upload_id] = session
        publish.upload_id = session.upload_id
        query = urlencode({"upload_id": session.upload_id, "upload_token": session.upload_token})
        upload_url = f"{self._state.base_for(request)}{UPLOAD}?{query}"
        return envelope({"publish_id": publish.publish_id, "upload_url": upload_url})

    def _new_publish(
        self,
        prefix: str,
        caller: Caller,
        kind: PublishKind,
        mode: PublishMode,
        post_info: dict[str, Any] | None,
        source_info: dict[str, Any],
    ) -> Publish:
        publish = Publish(
            publish_id=f"{prefix}{secrets.randbelow(9 * 10**18) + 10**18}",
            kind=kind,
            mode=mode,
            open_id=caller.account.open_id,
            client_key=caller.app.client_key,
            post_info=post_info,
            source_info=source_info,
            created_at=self._state.clock.now(),
            processing_seconds=caller.account.processing_seconds,
            status=PublishStatus.PROCESSING_UPLOAD,
        )
        self._state.publishes[publish.publish_id] = publish
        return publish


def _status_data(publish: Publish) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": publish.status.value,
        "uploaded_bytes": publish.uploaded_bytes,
        "downloaded_bytes": publish.downloaded_bytes,
        "publicaly_available_post_id": [],
    }
    if publish.status is PublishStatus.FAILED:
        data["fail_reason"] = publish.fail_reason
    if (
        publish.status is PublishStatus.PUBLISH_COMPLETE
        and publish.post_id is not None
        and publish.privacy_level != SELF_ONLY
    ):
        # TikTok's spelling, and a JSON number of 19 digits: clients must keep
        # it exact (a float would round it).
        data["publicaly_available_post_id"] = [int(publish.post_id)]
    return data
