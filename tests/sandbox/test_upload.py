"""Video init validation and the chunk PUT protocol."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import httpx
import pytest

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import MIB, Api, code_of, file_source, put_chunk, video_post_info

VIDEO_INIT = "/v2/post/publish/video/init/"


async def _init(api: Api, source: dict[str, Any], **post: Any) -> httpx.Response:
    return await api.post(VIDEO_INIT, {"post_info": video_post_info(**post), "source_info": source})


@pytest.mark.parametrize(
    ("size", "chunk", "count", "ok"),
    [
        (5 * MIB - 1, 5 * MIB - 1, 1, True),
        (5 * MIB - 1, 5 * MIB, 1, False),
        (5 * MIB, 5 * MIB, 1, True),
        (64_000_000, 64_000_000, 1, True),
        (64 * MIB, 64 * MIB, 1, False),
        (64 * MIB, 64_000_000, 1, True),
        (128_000_000, 64_000_000, 2, True),
        (128_000_000, 64_000_000, 3, False),
    ],
)
async def test_init_chunk_arithmetic_over_http(
    sandbox: TikTokSandbox, alice: Api, size: int, chunk: int, count: int, ok: bool
) -> None:
    reply = await _init(alice, file_source(size, chunk, count))
    if ok:
        assert reply.status_code == 200, reply.text
        data = reply.json()["data"]
        assert data["publish_id"].startswith("v_pub_file~v2-1.")
        assert data["upload_url"].startswith(sandbox.base_url + "/upload/?upload_id=")
    else:
        assert reply.status_code == 400 and code_of(reply) == "invalid_params"
        assert reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("post", "code"),
    [
        ({"privacy_level": "FOLLOWER_OF_CREATOR"}, "privacy_level_option_mismatch"),
        ({"privacy_level": "FRIENDS"}, "invalid_params"),
        ({"privacy_level": None}, "invalid_params"),
        ({"brand_content_toggle": None}, "invalid_params"),
        ({"brand_content_toggle": 0}, "invalid_params"),
        ({"brand_content_toggle": True, "privacy_level": "SELF_ONLY"}, "invalid_params"),
        ({"disable_comment": "yes"}, "invalid_params"),
        ({"video_cover_timestamp_ms": 1.5}, "invalid_params"),
        ({"title": "x" * 2201}, "invalid_params"),
        ({"title": "\U0001f600" * 1101}, "invalid_params"),  # 2202 UTF-16 units
    ],
)
async def test_init_post_info_rules(alice: Api, post: dict[str, Any], code: str) -> None:
    info = video_post_info(**post)
    body = {"post_info": {k: v for k, v in info.items() if v is not None}}
    body["source_info"] = file_source(100)
    reply = await alice.post(VIDEO_INIT, body)
    assert code_of(reply) == code
    assert reply.status_code == 400


async def test_title_limit_counts_utf16_units(alice: Api) -> None:
    reply = await _init(alice, file_source(100), title="\U0001f600" * 1100)  # exactly 2200
    assert code_of(reply) == "ok"


async def test_interactions_the_creator_disabled_must_stay_disabled(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    from tests.sandbox.helpers import link

    tokens = await link(client, sandbox.base_url, "carol")
    carol = Api(client, sandbox.base_url, tokens["access_token"])
    assert code_of(await _init(carol, file_source(100), disable_comment=False)) == "invalid_params"
    info = video_post_info()
    del info["disable_duet"]  # absent means allowed, which the creator turned off
    reply = await carol.post(VIDEO_INIT, {"post_info": info, "source_info": file_source(100)})
    assert code_of(reply) == "invalid_params"
    assert code_of(await _init(carol, file_source(100), disable_stitch=False)) == "ok"


async def test_missing_source_or_unknown_source(alice: Api) -> None:
    reply = await alice.post(VIDEO_INIT, {"post_info": video_post_info()})
    assert code_of(reply) == "invalid_params"
    reply = await alice.post(
        VIDEO_INIT, {"post_info": video_post_info(), "source_info": {"source": "UPLOAD"}}
    )
    assert code_of(reply) == "invalid_params"


async def _upload_url(api: Api, size: int, chunk: int | None = None, count: int | None = None):
    reply = await _init(api, file_source(size, chunk, count))
    assert reply.status_code == 200, reply.text
    data = reply.json()["data"]
    return data["publish_id"], data["upload_url"]


async def test_single_chunk_upload_completes_with_sha256(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    payload = os.urandom(4096)
    publish_id, url = await _upload_url(alice, len(payload))
    reply = await put_chunk(client, url, payload, 0, len(payload))
    assert reply.status_code == 201
    publish = sandbox.publishes[publish_id]
    assert publish.upload_sha256 == hashlib.sha256(payload).hexdigest()
    assert publish.upload_size == len(payload) == publish.uploaded_bytes
    assert publish.chunk_log == [f"bytes 0-4095/{len(payload)}"]
    # The upload is complete: any further chunk is out of range.
    assert (await put_chunk(client, url, payload, 0, len(payload))).status_code == 416


async def test_multi_chunk_upload_gaps_and_duplicates(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    size = 10 * MIB + 7  # two chunks; the second carries the 7-byte remainder
    payload = os.urandom(size)
    chunk = 5 * MIB
    publish_id, url = await _upload_url(alice, size, chunk, 2)
    first, second = payload[:chunk], payload[chunk:]

    assert (await put_chunk(client, url, second, chunk, size)).status_code == 416  # gap
    assert (await put_chunk(client, url, first, 0, size)).status_code == 206
    assert (await put_chunk(client, url, first, 0, size)).status_code == 416  # duplicate
    # The final chunk must run to the end of the file.
    assert (await put_chunk(client, url, second[:-7], chunk, size)).status_code == 416
    # TOTAL must be the declared video_size.
    assert (await put_chunk(client, url, second, chunk, size + 1)).status_code == 416
    assert sandbox.publishes[publish_id].status == "PROCESSING_UPLOAD"
    assert (await put_chunk(client, url, second, chunk, size)).status_code == 201
    publish = sandbox.publishes[publish_id]
    assert publish.upload_sha256 == hashlib.sha256(payload).hexdigest()
    assert publish.chunk_log == [
        f"bytes 0-{chunk - 1}/{size}",
        f"bytes {chunk}-{size - 1}/{size}",
    ]


async def test_bad_headers_are_400(client: httpx.AsyncClient, alice: Api) -> None:
    payload = b"\x00" * 1000
    _, url = await _upload_url(alice, len(payload))
    reply = await put_chunk(client, url, payload, 0, 1000, content_type="application/octet-stream")
    assert reply.status_code == 400
    reply = await client.put(url, content=payload, headers={"Content-Type": "video/mp4"})
    assert reply.status_code == 400  # no Content-Range
    reply = await client.put(
        url,
        content=payload,
        headers={"Content-Type": "video/mp4", "Content-Range": "bytes 0-999/*"},
    )
    assert reply.status_code == 400

    async def stream():  # chunked transfer: no Content-Length
        yield payload

    reply = await client.put(
        url,
        content=stream(),
        headers={"Content-Type": "video/mp4", "Content-Range": "bytes 0-999/1000"},
    )
    assert reply.status_code == 400
    reply = await client.put(
        url,
        content=payload[:999],
        headers={"Content-Type": "video/webm", "Content-Range": "bytes 0-999/1000"},
    )
    assert reply.status_code == 400  # Content-Length does not match the range
    assert (
        await put_chunk(client, url, payload, 0, 1000, content_type="video/quicktime")
    ).status_code == 201


async def test_unknown_and_expired_upload_urls(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    payload = b"\x01" * 100
    publish_id, url = await _upload_url(alice, 100)
    bad = url.replace("upload_token=", "upload_token=x")
    assert (await put_chunk(client, bad, payload, 0, 100)).status_code == 404
    nowhere = sandbox.base_url + "/upload/?upload_id=nope&upload_token=nope"
    assert (await put_chunk(client, nowhere, payload, 0, 100)).status_code == 404
    sandbox.clock.advance(3600)
    assert (await put_chunk(client, url, payload, 0, 100)).status_code == 403
    status = await alice.post("/v2/post/publish/status/fetch/", {"publish_id": publish_id})
    assert status.json()["data"]["status"] == "FAILED"
    assert status.json()["data"]["fail_reason"] == "publish_cancelled"
