"""The comment client: one interface, two endpoint sets chosen by configuration.

The business variant is only checked here, against httpx.MockTransport:
it follows TikTok's public docs and is untested against the real Business API.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.tiktok import (
    AccessTokenInvalid,
    BadRequest,
    BusinessComments,
    CommentsAPI,
    OpenAPIComments,
    PostingRefused,
    RateLimited,
    ScopeMissing,
    TikTokClient,
    TikTokUnavailable,
    build_comments_api,
)

VIDEO = "7301234567890123456"
COMMENT = "7309999999999999999"
Handler = Callable[[httpx.Request], httpx.Response]


@asynccontextmanager
async def tiktok(handler: Handler) -> AsyncIterator[tuple[TikTokClient, list[httpx.Request]]]:
    """A TikTokClient whose TikTok is `handler`; every request is recorded."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as http:
        yield (
            TikTokClient(
                http=http,
                client_key="key",
                client_secret="secret",
                api_base_url="https://open.tiktokapis.test",
                auth_url="https://www.tiktok.test/v2/auth/authorize/",
            ),
            seen,
        )


def envelope(data: dict[str, Any], code: str = "ok", status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, json={"data": data, "error": {"code": code, "message": "", "log_id": "L1"}}
    )


def business(data: dict[str, Any] | None, code: int = 0, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "code": code,
            "message": "OK" if code == 0 else "no",
            "request_id": "R1",
            "data": data,
        },
    )


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


async def test_open_api_publish_reply_and_delete_follow_the_seed_contract() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # A 19-digit id as a JSON number: it must come out as the exact string.
        if request.url.path == "/v2/comment/publish/":
            return httpx.Response(
                200,
                content=b'{"data":{"comment_id":7309999999999999999},'
                b'"error":{"code":"ok","message":"","log_id":"L"}}',
                headers={"Content-Type": "application/json"},
            )
        return envelope({})

    async with tiktok(handler) as (client, seen):
        api: CommentsAPI = OpenAPIComments(client)
        assert await api.publish("act.1", open_id="o", video_id=VIDEO, text="Nice 🔥") == COMMENT
        await api.publish("act.1", open_id="o", video_id=VIDEO, text="Hi", reply_to_comment_id="5")
        await api.delete("act.1", open_id="o", video_id=VIDEO, comment_id=COMMENT)
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/v2/comment/publish/"),
        ("POST", "/v2/comment/publish/"),
        ("POST", "/v2/comment/delete/"),
    ]
    assert all(r.headers["Authorization"] == "Bearer act.1" for r in seen)
    assert body(seen[0]) == {"video_id": VIDEO, "text": "Nice 🔥"}
    assert body(seen[1]) == {"video_id": VIDEO, "text": "Hi", "reply_to_comment_id": "5"}
    assert body(seen[2]) == {"video_id": VIDEO, "comment_id": COMMENT}


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (envelope({}, "video_not_found", 404), PostingRefused),
        (envelope({}, "comment_not_found", 404), PostingRefused),
        (envelope({}, "invalid_params", 400), BadRequest),
        (envelope({}, "rate_limit_exceeded", 429), RateLimited),
        (envelope({}), TikTokUnavailable),  # "ok" without a comment_id is not a success
    ],
)
async def test_open_api_refusals(response: httpx.Response, error: type[Exception]) -> None:
    async with tiktok(lambda request: response) as (client, _):
        with pytest.raises(error):
            await OpenAPIComments(client).publish("t", open_id="o", video_id=VIDEO, text="x")


async def test_business_requests_have_the_documented_shapes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/delete/"):
            return business({})
        return business({"comment_id": COMMENT})

    async with tiktok(handler) as (client, seen):
        api: CommentsAPI = BusinessComments(client.http, base_url="https://business-api.test/")
        assert await api.publish("bat.1", open_id="open-ana", video_id=VIDEO, text="Yo") == COMMENT
        assert (
            await api.publish(
                "bat.1", open_id="open-ana", video_id=VIDEO, text="Re", reply_to_comment_id="42"
            )
            == COMMENT
        )
        await api.delete("bat.1", open_id="open-ana", video_id=VIDEO, comment_id=COMMENT)
    assert [str(r.url) for r in seen] == [
        "https://business-api.test/open_api/v1.3/business/comment/create/",
        "https://business-api.test/open_api/v1.3/business/comment/reply/create/",
        "https://business-api.test/open_api/v1.3/business/comment/delete/",
    ]
    for request in seen:
        assert request.method == "POST"
        assert request.headers["Access-Token"] == "bat.1"
        assert "Authorization" not in request.headers
        assert request.headers["Content-Type"] == "application/json"
    assert body(seen[0]) == {"business_id": "open-ana", "video_id": VIDEO, "text": "Yo"}
    assert body(seen[1]) == {
        "business_id": "open-ana",
        "video_id": VIDEO,
        "comment_id": "42",
        "text": "Re",
    }
    assert body(seen[2]) == {"business_id": "open-ana", "comment_id": COMMENT}


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (business(None, 40100), RateLimited),
        (business(None, 40105), AccessTokenInvalid),
        (business(None, 40001), ScopeMissing),
        (business(None, 40002), BadRequest),
        (business(None, 51000), TikTokUnavailable),
        (httpx.Response(502, text="<html>bad gateway</html>"), TikTokUnavailable),
        (business({}), TikTokUnavailable),  # code 0 without a comment_id
    ],
)
async def test_business_refusals(response: httpx.Response, error: type[Exception]) -> None:
    async with tiktok(lambda request: response) as (client, _):
        api = BusinessComments(client.http, base_url="https://business-api.test")
        with pytest.raises(error):
            await api.publish("t", open_id="o", video_id=VIDEO, text="x")


async def test_the_setting_picks_the_endpoint_set() -> None:
    async with tiktok(lambda request: envelope({})) as (client, _):
        default = Settings(_env_file=None)
        assert default.tiktok_comment_api == "open_api"
        built = build_comments_api(
            default.tiktok_comment_api, client=client, business_base_url="https://b.test"
        )
        assert isinstance(built, OpenAPIComments)
        chosen = Settings(_env_file=None, tiktok_comment_api="business")
        assert isinstance(
            build_comments_api(chosen.tiktok_comment_api, client=client, business_base_url="x"),
            BusinessComments,
        )
    with pytest.raises(ValueError, match="tiktok_comment_api"):
        Settings(_env_file=None, tiktok_comment_api="graph")
