"""The publish status machine, inbox drafts and the unaudited-app rules."""

from __future__ import annotations

import json
from typing import Any

import httpx

from emulators.tiktok import SandboxAccount, TikTokSandbox
from tests.sandbox.helpers import (
    Api,
    code_of,
    file_source,
    link,
    put_chunk,
    video_bytes,
    video_post_info,
)

STATUS = "/v2/post/publish/status/fetch/"
VIDEO_INIT = "/v2/post/publish/video/init/"
INBOX_INIT = "/v2/post/publish/inbox/video/init/"


async def _status(api: Api, publish_id: str) -> dict[str, Any]:
    reply = await api.post(STATUS, {"publish_id": publish_id})
    assert reply.status_code == 200, reply.text
    data: dict[str, Any] = reply.json()["data"]
    return data


async def _upload(client: httpx.AsyncClient, upload_url: str, size: int = 8192) -> None:
    reply = await put_chunk(client, upload_url, video_bytes(size), 0, size)
    assert reply.status_code == 201


async def test_direct_post_reaches_publish_complete_with_numeric_id(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    reply = await alice.post(
        VIDEO_INIT, {"post_info": video_post_info(), "source_info": file_source(8192)}
    )
    data = reply.json()["data"]
    publish_id = data["publish_id"]
    first = await _status(alice, publish_id)
    assert first == {
        "status": "PROCESSING_UPLOAD",
        "uploaded_bytes": 0,
        "downloaded_bytes": 0,
        "publicaly_available_post_id": [],
    }
    await _upload(client, data["upload_url"])
    processing = await _status(alice, publish_id)
    assert processing["status"] == "PROCESSING_DOWNLOAD"
    assert processing["uploaded_bytes"] == 8192
    sandbox.clock.advance(4.9)
    assert (await _status(alice, publish_id))["status"] == "PROCESSING_DOWNLOAD"
    sandbox.clock.advance(0.2)
    reply = await alice.post(STATUS, {"publish_id": publish_id})
    done = reply.json()["data"]
    assert done["status"] == "PUBLISH_COMPLETE"
    assert "share_url" not in done and "fail_reason" not in done
    [post_id] = done["publicaly_available_post_id"]
    assert isinstance(post_id, int)
    # A JSON number of 19 digits, beyond what a float keeps exactly.
    assert len(str(post_id)) == 19 and post_id > 2**53
    assert str(post_id) in reply.text
    raw = json.loads(reply.text, parse_int=str)["data"]["publicaly_available_post_id"]
    assert raw == [str(post_id)]
    newest = sandbox.posts("alice")[0]
    assert newest.id == str(post_id)
    assert newest.share_url == f"https://www.tiktok.com/@alice.tt/video/{post_id}"
    assert newest.title == "Hello #sandbox"
    assert sandbox.publishes[publish_id].post_id == newest.id


async def test_self_only_post_has_no_public_id(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    reply = await alice.post(
        VIDEO_INIT,
        {"post_info": video_post_info(privacy_level="SELF_ONLY"), "source_info": file_source(5120)},
    )
    data = reply.json()["data"]
    await _upload(client, data["upload_url"], 5120)
    sandbox.clock.advance(10)
    done = await _status(alice, data["publish_id"])
    assert done["status"] == "PUBLISH_COMPLETE"
    assert done["publicaly_available_post_id"] == []
    assert sandbox.publishes[data["publish_id"]].post_id is not None


async def test_status_of_someone_elses_publish_is_invalid(alice: Api, bob: Api) -> None:
    reply = await alice.post(
        VIDEO_INIT, {"post_info": video_post_info(), "source_info": file_source(10)}
    )
    publish_id = reply.json()["data"]["publish_id"]
    other = await bob.post(STATUS, {"publish_id": publish_id})
    assert other.status_code == 400 and code_of(other) == "invalid_params"
    assert code_of(await alice.post(STATUS, {})) == "invalid_params"


async def test_inbox_flow_ends_in_send_to_user_inbox(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    reply = await alice.post(INBOX_INIT, {"source_info": file_source(10000)})
    assert reply.status_code == 200, reply.text
    data = reply.json()["data"]
    await _upload(client, data["upload_url"], 10000)
    sandbox.clock.advance(5)
    done = await _status(alice, data["publish_id"])
    assert done["status"] == "SEND_TO_USER_INBOX"
    assert done["publicaly_available_post_id"] == []
    publish = sandbox.publishes[data["publish_id"]]
    assert publish.mode == "MEDIA_UPLOAD" and publish.post_id is None
    assert len(sandbox.posts("alice")) == 25


async def test_inbox_rejects_post_info_and_caps_pending_shares(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    reply = await alice.post(
        INBOX_INIT, {"post_info": video_post_info(), "source_info": file_source(10)}
    )
    assert code_of(reply) == "invalid_params"
    sandbox.clock.advance(60)
    for _ in range(5):
        reply = await alice.post(INBOX_INIT, {"source_info": file_source(4096)})
        await _upload(client, reply.json()["data"]["upload_url"], 4096)
    reply = await alice.post(INBOX_INIT, {"source_info": file_source(10)})
    assert reply.status_code == 403
    assert code_of(reply) == "spam_risk_too_many_pending_share"
    sandbox.clock.advance(7200)  # drafts in the inbox stay pending
    later = await link(client, sandbox.base_url, "alice")
    api = Api(client, sandbox.base_url, later["access_token"])
    reply = await api.post(INBOX_INIT, {"source_info": file_source(10)})
    assert code_of(reply) == "spam_risk_too_many_pending_share"
    sandbox.clock.advance(86400)
    later = await link(client, sandbox.base_url, "alice")
    api = Api(client, sandbox.base_url, later["access_token"])
    assert code_of(await api.post(INBOX_INIT, {"source_info": file_source(10)})) == "ok"


async def test_inbox_needs_video_upload_scope(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    tokens = await link(client, sandbox.base_url, "alice", untick=("video.upload",))
    api = Api(client, sandbox.base_url, tokens["access_token"])
    reply = await api.post(INBOX_INIT, {"source_info": file_source(10)})
    assert reply.status_code == 401 and code_of(reply) == "scope_not_authorized"


async def test_unaudited_app_rules(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    async def unaudited(open_id: str) -> Api:
        tokens = await link(
            client,
            sandbox.base_url,
            open_id,
            client_key="unaudited_key",
            client_secret="unaudited_secret",
        )
        return Api(client, sandbox.base_url, tokens["access_token"])

    private_post = {
        "post_info": video_post_info(privacy_level="SELF_ONLY"),
        "source_info": file_source(10),
    }
    alice = await unaudited("alice")
    reply = await alice.post(VIDEO_INIT, private_post)
    assert reply.status_code == 403
    assert code_of(reply) == "unaudited_client_can_only_post_to_private_accounts"

    bob = await unaudited("bob")
    public_choice = {
        **private_post,
        "post_info": video_post_info(privacy_level="MUTUAL_FOLLOW_FRIENDS"),
    }
    assert (
        code_of(await bob.post(VIDEO_INIT, public_choice))
        == "unaudited_client_can_only_post_to_private_accounts"
    )
    assert code_of(await bob.post(VIDEO_INIT, private_post)) == "ok"

    for index in range(4):
        sandbox.add_account(
            SandboxAccount(f"p{index}", f"p{index}", f"P{index}", private_account=True)
        )
        api = await unaudited(f"p{index}")
        assert code_of(await api.post(VIDEO_INIT, private_post)) == "ok"
    sandbox.add_account(SandboxAccount("p9", "p9", "P9", private_account=True))
    sixth = await unaudited("p9")
    reply = await sixth.post(VIDEO_INIT, private_post)
    assert reply.status_code == 403 and code_of(reply) == "reached_active_user_cap"
    # Users already counted may keep posting; a day later there is room again.
    assert code_of(await bob.post(VIDEO_INIT, private_post)) == "ok"
    sandbox.clock.advance(86400)
    sixth = await unaudited("p9")  # the old token expired meanwhile
    assert code_of(await sixth.post(VIDEO_INIT, private_post)) == "ok"
