"""Adapter for the video-list provider (user posts and video details, Bearer API key).

GET {base}/api/v1/tiktok/user/post/listjson  sec_user_id, max_cursor, limit (1-35), region
GET {base}/api/v1/tiktok/video/detailjson    aweme_id
Replies are `{code, msg, request_id, data}`; code 0 is success, 401 a bad
key, 429 "wait Ns", 400 an unknown user or a bad parameter.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
from pydantic import SecretStr

from bot.creators.errors import (
    CreatorDataError,
    CreatorNotFound,
    ProviderKeyInvalid,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
)
from bot.creators.models import CreatorVideo, VideoPage
from bot.creators.normalise import MalformedVideo, normalise_video, normalise_video_page

log = logging.getLogger(__name__)

LIST_PATH = "/api/v1/tiktok/user/post/listjson"
DETAIL_PATH = "/api/v1/tiktok/video/detailjson"
MAX_LIMIT = 35
DEFAULT_WAIT = 15.0  # the documented 429 says "wait 15s"; used when a reply names no time
_WAIT = re.compile(r"wait\s*(\d+(?:\.\d+)?)\s*s", re.IGNORECASE)


def retry_after_of(message: str) -> float:
    """Seconds to wait from a 429 message like "Request frequency limit, wait 15s"."""
    match = _WAIT.search(message)
    return float(match.group(1)) if match else DEFAULT_WAIT


class VideoListAPI:
    """Talks to the video-list provider with the operator's API key."""

    name = "video-list"

    def __init__(
        self, *, http: httpx.AsyncClient, base_url: str, api_key: SecretStr, region: str = "US"
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._key = api_key
        self._region = region

    async def videos(self, sec_uid: str, *, cursor: str, limit: int) -> VideoPage:
        """One page of the creator's public videos, newest first."""
        params = {
            "sec_user_id": sec_uid,
            "max_cursor": cursor or "0",
            "limit": str(max(1, min(MAX_LIMIT, limit))),
            "region": self._region,
        }
        data = await self._get(LIST_PATH, params, reference=sec_uid)
        try:
            return normalise_video_page(data)
        except MalformedVideo as exc:
            raise ProviderUnavailable(str(exc), provider=self.name) from exc

    async def video(self, aweme_id: str) -> CreatorVideo:
        """One public video's details."""
        data = await self._get(DETAIL_PATH, {"aweme_id": aweme_id}, reference=aweme_id)
        detail = data.get("aweme_detail")
        try:
            return normalise_video(detail if isinstance(detail, dict) else {})
        except MalformedVideo as exc:
            raise ProviderUnavailable(str(exc), provider=self.name) from exc

    async def _get(self, path: str, params: dict[str, str], *, reference: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._key.get_secret_value()}"}
        try:
            response = await self._http.get(self._base + path, params=params, headers=headers)
        except httpx.HTTPError as exc:
            # str(exc) names the URL only; the key travels in a header.
            raise ProviderUnavailable(type(exc).__name__, provider=self.name) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("code"), int):
            raise ProviderUnavailable(
                f"HTTP {response.status_code} without an envelope",
                provider=self.name,
                http_status=response.status_code,
            )
        code, message = body["code"], str(body.get("msg", ""))
        if code == 0:
            data = body.get("data")
            return data if isinstance(data, dict) else {}
        raise self._classify(code, message, reference, response.status_code)

    def _classify(self, code: int, message: str, reference: str, status: int) -> CreatorDataError:
        if code == 401:
            return ProviderKeyInvalid(message, provider=self.name, http_status=status)
        if code == 429:
            return ProviderRateLimited(
                message, retry_after=retry_after_of(message), provider=self.name
            )
        if code == 400 and "not found" in message.lower():
            return CreatorNotFound(reference, provider=self.name)
        if code == 400:
            return ProviderRejected(message, provider=self.name, http_status=status)
        return ProviderUnavailable(f"{code}: {message}", provider=self.name, http_status=status)
