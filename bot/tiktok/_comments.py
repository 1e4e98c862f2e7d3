"""Writing comments, behind one interface whose endpoint set is configuration.

`TIKTOK_COMMENT_API` picks the endpoints:

- ``open_api`` (default): the seed contract, on the Open API host with the
  v2 envelope and a Bearer token. ``POST /v2/comment/publish/``
  {video_id, text, reply_to_comment_id?} -> {comment_id};
  ``POST /v2/comment/delete/`` {video_id, comment_id}. The sandbox serves it.
  TikTok's public Open API has NO comment write endpoint (docs/tiktok-api.md), so
  against the real TikTok this only works where TikTok grants it.
- ``business``: TikTok API for Business, Accounts API
  (business-api.tiktok.com/open_api/v1.3/business/comment/...), with an
  ``Access-Token`` header and ``business_id`` (the account's open_id in that
  API). Request shapes follow TikTok's public docs and are unit-tested with
  httpx.MockTransport only: this variant is UNTESTED against the real Business
  API, and it needs Business-API tokens, which the bot's Login Kit linking does
  not issue yet.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, Protocol

import httpx

from bot.tiktok._client import TikTokClient
from bot.tiktok._errors import (
    AccessTokenInvalid,
    BadRequest,
    RateLimited,
    ScopeMissing,
    TikTokError,
    TikTokUnavailable,
)

log = logging.getLogger(__name__)

COMMENT_PUBLISH_PATH = "/v2/comment/publish/"
COMMENT_DELETE_PATH = "/v2/comment/delete/"
BUSINESS_PREFIX = "/open_api/v1.3/business/comment"
BUSINESS_CREATE_PATH = BUSINESS_PREFIX + "/create/"
BUSINESS_REPLY_PATH = BUSINESS_PREFIX + "/reply/create/"
BUSINESS_DELETE_PATH = BUSINESS_PREFIX + "/delete/"


class CommentAPIKind(StrEnum):
    """Which endpoint set writes comments (Settings.tiktok_comment_api)."""

    OPEN_API = "open_api"
    BUSINESS = "business"


class CommentsAPI(Protocol):
    """Write and delete comments as the account behind `access_token`."""

    async def publish(
        self,
        access_token: str,
        *,
        open_id: str,
        video_id: str,
        text: str,
        reply_to_comment_id: str | None = None,
    ) -> str:
        """Post `text` on the video (or as a reply); return TikTok's comment id."""
        ...

    async def delete(
        self, access_token: str, *, open_id: str, video_id: str, comment_id: str
    ) -> None:
        """Delete a comment the account wrote."""
        ...


def _comment_id(data: dict[str, Any], where: str) -> str:
    value = data.get("comment_id")
    if value is None or str(value) == "":
        # The comment may exist, but without its id we could never delete it: say so.
        raise TikTokUnavailable(f"{where}: reply without comment_id", code="malformed_reply")
    return str(value)  # ids are strings: never let a 19-digit id pass through a float


class OpenAPIComments:
    """The seed contract on the Open API host (the sandbox's endpoints)."""

    def __init__(self, client: TikTokClient) -> None:
        self._client = client

    async def publish(
        self,
        access_token: str,
        *,
        open_id: str,
        video_id: str,
        text: str,
        reply_to_comment_id: str | None = None,
    ) -> str:
        """POST /v2/comment/publish/."""
        body: dict[str, Any] = {"video_id": video_id, "text": text}
        if reply_to_comment_id is not None:
            body["reply_to_comment_id"] = reply_to_comment_id
        data = await self._client.call_api(
            "POST", COMMENT_PUBLISH_PATH, access_token=access_token, json=body
        )
        return _comment_id(data, COMMENT_PUBLISH_PATH)

    async def delete(
        self, access_token: str, *, open_id: str, video_id: str, comment_id: str
    ) -> None:
        """POST /v2/comment/delete/."""
        await self._client.call_api(
            "POST",
            COMMENT_DELETE_PATH,
            access_token=access_token,
            json={"video_id": video_id, "comment_id": comment_id},
        )


# Business API error codes as TikTok documents them publicly (unverified against
# the live API): a rate limit, token problems, a missing permission.
_BUSINESS_RATE_LIMITED = frozenset({40100})
_BUSINESS_TOKEN_INVALID = frozenset({40102, 40104, 40105})
_BUSINESS_NO_PERMISSION = frozenset({40001})


def classify_business_error(
    code: int, message: str, *, http_status: int, log_id: str
) -> TikTokError:
    """Map a Business API `{"code": n}` refusal onto the client's error tree."""
    kind: type[TikTokError]
    if http_status == 429 or code in _BUSINESS_RATE_LIMITED:
        kind = RateLimited
    elif code in _BUSINESS_TOKEN_INVALID:
        kind = AccessTokenInvalid
    elif code in _BUSINESS_NO_PERMISSION:
        kind = ScopeMissing
    elif http_status >= 500 or code >= 50000:
        kind = TikTokUnavailable
    else:
        kind = BadRequest
    return kind(message, code=f"business_{code}", log_id=log_id, http_status=http_status)


class BusinessComments:
    """TikTok API for Business (Accounts API) comment endpoints. Untested live."""

    def __init__(self, http: httpx.AsyncClient, *, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def publish(
        self,
        access_token: str,
        *,
        open_id: str,
        video_id: str,
        text: str,
        reply_to_comment_id: str | None = None,
    ) -> str:
        """business/comment/create/, or business/comment/reply/create/ for a reply."""
        body: dict[str, Any] = {"business_id": open_id, "video_id": video_id, "text": text}
        path = BUSINESS_CREATE_PATH
        if reply_to_comment_id is not None:
            body["comment_id"] = reply_to_comment_id
            path = BUSINESS_REPLY_PATH
        data = await self._post(path, access_token, body)
        return _comment_id(data, path)

    async def delete(
        self, access_token: str, *, open_id: str, video_id: str, comment_id: str
    ) -> None:
        """business/comment/delete/ (the Business API names the comment, not the video)."""
        await self._post(
            BUSINESS_DELETE_PATH, access_token, {"business_id": open_id, "comment_id": comment_id}
        )

    async def _post(self, path: str, access_token: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(
                self._base + path, json=body, headers={"Access-Token": access_token}
            )
        except httpx.HTTPError as exc:
            raise TikTokUnavailable(f"{path}: {type(exc).__name__}") from exc
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or not isinstance(reply.get("code"), int):
            raise TikTokUnavailable(
                f"{path}: HTTP {response.status_code} without an envelope",
                code="malformed_reply",
                http_status=response.status_code,
            )
        code = int(reply["code"])
        if code != 0 or response.status_code >= 400:
            log.info("TikTok Business %s answered %s code %s", path, response.status_code, code)
            raise classify_business_error(
                code,
                str(reply.get("message", "")),
                http_status=response.status_code,
                log_id=str(reply.get("request_id", "")),
            )
        data = reply.get("data")
        return data if isinstance(data, dict) else {}


def build_comments_api(
    kind: CommentAPIKind | str,
    *,
    client: TikTokClient,
    business_base_url: str,
) -> CommentsAPI:
    """The comment endpoints chosen by configuration."""
    if CommentAPIKind(kind) is CommentAPIKind.BUSINESS:
        return BusinessComments(client.http, base_url=business_base_url)
    return OpenAPIComments(client)
