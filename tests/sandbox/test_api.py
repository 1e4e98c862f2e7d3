"""The /v2/ envelope, bearer auth, scopes, rate limits, user info and creator info."""

from __future__ import annotations

import httpx

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import Api, code_of, link


async def test_user_info_returns_only_requested_fields(alice: Api) -> None:
    reply = await alice.get(
        "/v2/user/info/", fields="open_id,display_name,username,follower_count,video_count"
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["error"]["code"] == "ok" and body["error"]["log_id"]
    assert body["data"]["user"] == {
        "open_id": "alice",
        "display_name": "Alice",
        "username": "alice.tt",
        "follower_count": 1234,
        "video_count": 25,
    }


async def test_user_info_field_rules(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    tokens = await link(client, sandbox.base_url, "alice", untick=("user.info.stats",))
    api = Api(client, sandbox.base_url, tokens["access_token"])
    reply = await api.get("/v2/user/info/", fields="open_id,follower_count")
    assert reply.status_code == 401 and code_of(reply) == "scope_not_authorized"
    assert reply.json()["data"] == {}
    reply = await api.get("/v2/user/info/", fields="open_id,shoe_size")
    assert reply.status_code == 400 and code_of(reply) == "invalid_params"
    reply = await api.get("/v2/user/info/")
    assert code_of(reply) == "invalid_params"
    reply = await api.get("/v2/user/info/", fields="union_id,avatar_url_100,is_verified")
    assert reply.status_code == 200
    assert set(reply.json()["data"]["user"]) == {"union_id", "avatar_url_100", "is_verified"}


async def test_missing_or_unknown_token(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    url = sandbox.base_url + "/v2/user/info/?fields=open_id"
    for headers in ({}, {"Authorization": "Bearer act.nope"}, {"Authorization": "Basic x"}):
        reply = await client.get(url, headers=headers)
        assert reply.status_code == 401
        assert code_of(reply) == "access_token_invalid"


async def test_creator_info_public_and_private(alice: Api, bob: Api) -> None:
    public = (await alice.post("/v2/post/publish/creator_info/query/")).json()["data"]
    assert public == {
        "creator_avatar_url": "https://sandbox.invalid/avatar.jpg",
        "creator_username": "alice.tt",
        "creator_nickname": "Alice",
        "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"],
        "comment_disabled": False,
        "duet_disabled": False,
        "stitch_disabled": False,
        "max_video_post_duration_sec": 600,
    }
    private = (await bob.post("/v2/post/publish/creator_info/query/", {})).json()["data"]
    assert private["privacy_level_options"] == [
        "FOLLOWER_OF_CREATOR",
        "MUTUAL_FOLLOW_FRIENDS",
        "SELF_ONLY",
    ]
    assert "can_post_more" not in private


async def test_creator_info_needs_video_publish_scope(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    tokens = await link(client, sandbox.base_url, "alice", untick=("video.publish",))
    api = Api(client, sandbox.base_url, tokens["access_token"])
    reply = await api.post("/v2/post/publish/creator_info/query/")
    assert reply.status_code == 401 and code_of(reply) == "scope_not_authorized"


async def test_posting_blocked_answers_http_200_with_code(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    from emulators.tiktok import SandboxAccount

    sandbox.add_account(
        SandboxAccount("dan", "dan.tt", "Dan", posting_blocked="spam_risk_too_many_posts")
    )
    tokens = await link(client, sandbox.base_url, "dan")
    api = Api(client, sandbox.base_url, tokens["access_token"])
    reply = await api.post("/v2/post/publish/creator_info/query/")
    assert reply.status_code == 200 and code_of(reply) == "spam_risk_too_many_posts"
    body = {
        "post_info": {"privacy_level": "SELF_ONLY", "brand_content_toggle": False},
        "source_info": {
            "source": "FILE_UPLOAD",
            "video_size": 10,
            "chunk_size": 10,
            "total_chunk_count": 1,
        },
    }
    reply = await api.post("/v2/post/publish/video/init/", body)
    assert reply.status_code == 200 and code_of(reply) == "spam_risk_too_many_posts"
    assert sandbox.publishes == {}


async def test_rate_limit_per_token_and_minute(sandbox: TikTokSandbox, alice: Api) -> None:
    for _ in range(20):
        assert (await alice.post("/v2/post/publish/creator_info/query/")).status_code == 200
    reply = await alice.post("/v2/post/publish/creator_info/query/")
    assert reply.status_code == 429 and code_of(reply) == "rate_limit_exceeded"
    # Other endpoints have their own budget.
    assert (await alice.get("/v2/user/info/", fields="open_id")).status_code == 200
    sandbox.clock.advance(60)
    assert (await alice.post("/v2/post/publish/creator_info/query/")).status_code == 200


async def test_rate_limit_override(sandbox: TikTokSandbox, alice: Api) -> None:
    sandbox.faults.set_rate_limit("/v2/user/info/", 2)
    codes = [code_of(await alice.get("/v2/user/info/", fields="open_id")) for _ in range(3)]
    assert codes == ["ok", "ok", "rate_limit_exceeded"]


async def test_bad_json_is_invalid_params(sandbox: TikTokSandbox, alice: Api) -> None:
    reply = await alice.client.post(
        sandbox.base_url + "/v2/post/publish/status/fetch/",
        content=b"{not json",
        headers={"Authorization": f"Bearer {alice.token}", "Content-Type": "application/json"},
    )
    assert reply.status_code == 400 and code_of(reply) == "invalid_params"
    reply = await alice.post("/v2/post/publish/status/fetch/", [1, 2])
    assert code_of(reply) == "invalid_params"
    reply = await alice.post("/v2/post/publish/status/fetch/", {"publish_id": 5})
    assert code_of(reply) == "invalid_params"


async def test_requests_are_recorded(sandbox: TikTokSandbox, alice: Api) -> None:
    await alice.post("/v2/post/publish/status/fetch/", {"publish_id": "v_pub_file~v2-1.1"})
    record = sandbox.requests[-1]
    assert record.method == "POST"
    assert record.path == "/v2/post/publish/status/fetch/"
    assert record.json == {"publish_id": "v_pub_file~v2-1.1"}
    assert record.status == 400 and record.error_code == "invalid_params"
    assert record.access_token == alice.token
    token_calls = [r for r in sandbox.requests if r.path == "/v2/oauth/token/"]
    assert token_calls[0].form is not None
    assert token_calls[0].form["grant_type"] == ["authorization_code"]
    assert token_calls[0].error_code is None and token_calls[0].status == 200
