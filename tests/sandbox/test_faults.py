"""Injected faults: failing chunks and endpoints, failed publishes, expired upload URLs."""

from __future__ import annotations

import hashlib
import os

import httpx

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import (
    Api,
    code_of,
    exchange,
    file_source,
    put_chunk,
    video_bytes,
    video_post_info,
)

VIDEO_INIT = "/v2/post/publish/video/init/"
STATUS = "/v2/post/publish/status/fetch/"


async def _init(api: Api, size: int) -> tuple[str, str]:
    reply = await api.post(
        VIDEO_INIT, {"post_info": video_post_info(), "source_info": file_source(size)}
    )
    data = reply.json()["data"]
    return data["publish_id"], data["upload_url"]


async def test_failed_chunk_can_be_retried(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    payload = os.urandom(3000)
    publish_id, url = await _init(alice, len(payload))
    sandbox.faults.fail_chunks(status=503, times=2)
    assert (await put_chunk(client, url, payload, 0, 3000)).status_code == 503
    assert (await put_chunk(client, url, payload, 0, 3000)).status_code == 503
    assert sandbox.publishes[publish_id].uploaded_bytes == 0
    assert (await put_chunk(client, url, payload, 0, 3000)).status_code == 201
    publish = sandbox.publishes[publish_id]
    assert publish.upload_sha256 == hashlib.sha256(payload).hexdigest()
    assert publish.chunk_log == ["bytes 0-2999/3000"]


async def test_fail_endpoint_uses_each_paths_error_format(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    sandbox.faults.fail_endpoint(
        "/v2/post/publish/creator_info/query/", status=500, code="internal_error", times=2
    )
    for _ in range(2):
        reply = await alice.post("/v2/post/publish/creator_info/query/")
        assert reply.status_code == 500 and code_of(reply) == "internal_error"
    assert code_of(await alice.post("/v2/post/publish/creator_info/query/")) == "ok"

    sandbox.faults.fail_endpoint("/v2/oauth/token/", status=503, code="temporarily_unavailable")
    reply = await exchange(client, sandbox.base_url, grant_type="refresh_token", refresh_token="x")
    assert reply.status_code == 503
    assert reply.json()["error"] == "temporarily_unavailable"
    assert sandbox.requests[-1].error_code == "temporarily_unavailable"


async def test_fail_next_publish(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    sandbox.faults.fail_next_publish("duration_check_failed")
    first_id, first_url = await _init(alice, 4096)
    second_id, second_url = await _init(alice, 4100)
    assert (await put_chunk(client, first_url, video_bytes(4096), 0, 4096)).status_code == 201
    assert (await put_chunk(client, second_url, video_bytes(4100), 0, 4100)).status_code == 201
    sandbox.clock.advance(5)
    first = (await alice.post(STATUS, {"publish_id": first_id})).json()["data"]
    second = (await alice.post(STATUS, {"publish_id": second_id})).json()["data"]
    assert (first["status"], first["fail_reason"]) == ("FAILED", "duration_check_failed")
    assert second["status"] == "PUBLISH_COMPLETE"


async def test_expire_upload_urls(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    payload = os.urandom(100)
    publish_id, url = await _init(alice, 100)
    sandbox.faults.expire_upload_urls()
    assert (await put_chunk(client, url, payload, 0, 100)).status_code == 403
    status = (await alice.post(STATUS, {"publish_id": publish_id})).json()["data"]
    assert (status["status"], status["fail_reason"]) == ("FAILED", "publish_cancelled")
    # A fresh init gets a working URL.
    _, fresh = await _init(alice, 100)
    assert (await put_chunk(client, fresh, payload, 0, 100)).status_code == 201
