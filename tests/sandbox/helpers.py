"""Shared constants and small helpers for the sandbox tests."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.sandbox.consent import submit_consent
from tests.support.media import mp4_bytes

CLIENT_KEY = "sbx_client_key"
CLIENT_SECRET = "sbx_client_secret"
REDIRECT_URI = "https://bot.example/oauth/tiktok/callback"
ALL_SCOPES = (
    "user.info.basic,user.info.profile,user.info.stats,video.list,video.publish,video.upload"
)
T0 = 1_700_000_000.0
MIB = 1024 * 1024


def make_pkce() -> tuple[str, str]:
    """A verifier and TikTok's HEX S256 challenge."""
    verifier = secrets.token_urlsafe(48)[:64]
    return verifier, hashlib.sha256(verifier.encode()).hexdigest()


def authorize_url(base_url: str, challenge: str, **overrides: str | None) -> str:
    """An authorize URL with valid defaults; an override of None drops that parameter."""
    params: dict[str, str | None] = {
        "client_key": CLIENT_KEY,
        "scope": ALL_SCOPES,
        "redirect_uri": REDIRECT_URI,
        "state": "st-123",
        "response_type": "code",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    kept = {key: value for key, value in params.items() if value is not None}
    return f"{base_url}/v2/auth/authorize/?{urlencode(kept)}"


def callback_params(location: str) -> dict[str, str]:
    """The query of a callback redirect, one value per name."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


async def exchange(client: httpx.AsyncClient, base_url: str, **form: str) -> httpx.Response:
    """POST the token endpoint with client credentials filled in."""
    data = {"client_key": CLIENT_KEY, "client_secret": CLIENT_SECRET, **form}
    return await client.post(f"{base_url}/v2/oauth/token/", data=data)


async def link(
    client: httpx.AsyncClient,
    base_url: str,
    open_id: str,
    *,
    scope: str = ALL_SCOPES,
    untick: tuple[str, ...] = (),
    client_key: str = CLIENT_KEY,
    client_secret: str = CLIENT_SECRET,
) -> dict[str, Any]:
    """Run the whole OAuth flow for ``open_id`` and return the token reply."""
    verifier, challenge = make_pkce()
    url = authorize_url(base_url, challenge, scope=scope, client_key=client_key)
    location = await submit_consent(client, url, open_id=open_id, untick_scopes=untick)
    code = callback_params(location)["code"]
    reply = await client.post(
        f"{base_url}/v2/oauth/token/",
        data={
            "client_key": client_key,
            "client_secret": client_secret,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
    )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


class Api:
    """A bearer-authenticated caller of the sandbox's /v2/ APIs."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, token: str) -> None:
        self.client = client
        self.base_url = base_url
        self.token = token

    async def post(
        self, path: str, body: Any = None, *, fields: str | None = None
    ) -> httpx.Response:
        params = {"fields": fields} if fields is not None else None
        return await self.client.post(
            self.base_url + path,
            json=body,
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(
            self.base_url + path,
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
        )


def code_of(response: httpx.Response) -> str:
    """The envelope's error code."""
    code: str = response.json()["error"]["code"]
    return code


def video_post_info(**overrides: Any) -> dict[str, Any]:
    """A valid video post_info for a public account."""
    info: dict[str, Any] = {
        "title": "Hello #sandbox",
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": True,
        "disable_duet": True,
        "disable_stitch": True,
        "brand_content_toggle": False,
        "brand_organic_toggle": False,
    }
    info.update(overrides)
    return info


def file_source(size: int, chunk: int | None = None, count: int | None = None) -> dict[str, Any]:
    """A FILE_UPLOAD source_info (single chunk when chunk/count are omitted)."""
    return {
        "source": "FILE_UPLOAD",
        "video_size": size,
        "chunk_size": size if chunk is None else chunk,
        "total_chunk_count": 1 if count is None else count,
    }


async def put_chunk(
    client: httpx.AsyncClient,
    upload_url: str,
    data: bytes,
    first: int,
    total: int,
    *,
    content_type: str = "video/mp4",
) -> httpx.Response:
    """PUT one chunk with a correct Content-Range for ``data``."""
    headers = {
        "Content-Type": content_type,
        "Content-Range": f"bytes {first}-{first + len(data) - 1}/{total}",
    }
    return await client.put(upload_url, content=data, headers=headers)


def video_bytes(size: int) -> bytes:
    """A real 1 s H.264 MP4 of exactly `size` bytes (at least 4096): it passes TikTok's checks."""
    return mp4_bytes(1, size=size)
