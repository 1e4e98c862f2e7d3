"""Video list paging and query, and comment validation."""

from __future__ import annotations

import json

import httpx

from emulators.tiktok import TikTokSandbox
from tests.sandbox.helpers import (
    Api,
    code_of,
    file_source,
    put_chunk,
    video_bytes,
    video_post_info,
)

LIST = "/v2/video/list/"
QUERY = "/v2/video/query/"
PUBLISH = "/v2/comment/publish/"
DELETE = "/v2/comment/delete/"


async def test_video_list_pages_with_cursor(sandbox: TikTokSandbox, alice: Api) -> None:
    seen: list[str] = []
    cursor = None
    pages = []
    while True:
        body = {"max_count": 10} if cursor is None else {"max_count": 10, "cursor": cursor}
        reply = await alice.post(LIST, body, fields="id,create_time,title,like_count")
        assert reply.status_code == 200, reply.text
        data = reply.json()["data"]
        pages.append(len(data["videos"]))
        for video in data["videos"]:
            assert set(video) == {"id", "create_time", "title", "like_count"}
            assert isinstance(video["id"], str) and len(video["id"]) == 19
            assert "#" in video["title"]
        seen += [v["id"] for v in data["videos"]]
        cursor = data["cursor"]
        assert cursor == data["videos"][-1]["create_time"] * 1000
        if not data["has_more"]:
            break
    assert pages == [10, 10, 5]
    assert seen == [v.id for v in sandbox.posts("alice")]
    times = [v.create_time for v in sandbox.posts("alice")]
    assert times == sorted(times, reverse=True) and times[0] < sandbox.clock.now()


async def test_video_list_validation(alice: Api) -> None:
    assert code_of(await alice.post(LIST, {}, fields="id,nope")) == "invalid_params"
    assert code_of(await alice.post(LIST, {})) == "invalid_params"  # fields is required
    assert code_of(await alice.post(LIST, {"max_count": 21}, fields="id")) == "invalid_params"
    assert code_of(await alice.post(LIST, {"max_count": 0}, fields="id")) == "invalid_params"
    assert code_of(await alice.post(LIST, {"cursor": "abc"}, fields="id")) == "invalid_params"
    default = await alice.post(LIST, None, fields="id")
    assert len(default.json()["data"]["videos"]) == 10


async def test_video_query_returns_only_own_videos(sandbox: TikTokSandbox, alice: Api) -> None:
    mine = sandbox.posts("alice")[3]
    theirs = sandbox.posts("bob")[0]
    reply = await alice.post(
        QUERY,
        {"filters": {"video_ids": [mine.id, theirs.id, "123"]}},
        fields="id,share_url,view_count",
    )
    videos = reply.json()["data"]["videos"]
    assert videos == [{"id": mine.id, "share_url": mine.share_url, "view_count": mine.view_count}]
    assert code_of(await alice.post(QUERY, {"filters": {"video_ids": []}}, fields="id")) == (
        "invalid_params"
    )
    too_many = {"filters": {"video_ids": [mine.id] * 21}}
    assert code_of(await alice.post(QUERY, too_many, fields="id")) == "invalid_params"
    as_int = {"filters": {"video_ids": [int(mine.id)]}}
    assert code_of(await alice.post(QUERY, as_int, fields="id")) == "invalid_params"


async def test_comments(sandbox: TikTokSandbox, alice: Api, bob: Api) -> None:
    video = sandbox.posts("bob")[0]
    before = video.comment_count
    reply = await alice.post(PUBLISH, {"video_id": video.id, "text": "  nice one  "})
    assert reply.status_code == 200, reply.text
    comment_id = reply.json()["data"]["comment_id"]
    assert comment_id.isdigit()
    comment = sandbox.comments[comment_id]
    assert (comment.text, comment.open_id, comment.video_id) == ("nice one", "alice", video.id)
    assert video.comment_count == before + 1

    reply = await bob.post(
        PUBLISH, {"video_id": video.id, "text": "thanks", "reply_to_comment_id": comment_id}
    )
    reply_id = reply.json()["data"]["comment_id"]
    assert sandbox.comments[reply_id].reply_to_comment_id == comment_id

    missing = await alice.post(PUBLISH, {"video_id": "7000000000000000000", "text": "hi"})
    assert missing.status_code == 404 and code_of(missing) == "video_not_found"
    for text in ("   ", "x" * 151, "\U0001f600" * 76):
        reply = await alice.post(PUBLISH, {"video_id": video.id, "text": text})
        assert code_of(reply) == "invalid_params", text
    assert (
        code_of(await alice.post(PUBLISH, {"video_id": video.id, "text": "\U0001f600" * 75}))
        == "ok"
    )
    assert code_of(await alice.post(PUBLISH, {"video_id": int(video.id), "text": "x"})) == (
        "invalid_params"
    )
    other_video = sandbox.posts("alice")[0]
    wrong_video = await alice.post(
        PUBLISH, {"video_id": other_video.id, "text": "x", "reply_to_comment_id": comment_id}
    )
    assert wrong_video.status_code == 404 and code_of(wrong_video) == "comment_not_found"

    # Only the author may delete, once.
    not_mine = await bob.post(DELETE, {"video_id": video.id, "comment_id": comment_id})
    assert not_mine.status_code == 404 and code_of(not_mine) == "comment_not_found"
    assert (
        code_of(await alice.post(DELETE, {"video_id": video.id, "comment_id": comment_id})) == "ok"
    )
    assert sandbox.comments[comment_id].deleted
    again = await alice.post(DELETE, {"video_id": video.id, "comment_id": comment_id})
    assert code_of(again) == "comment_not_found"
    reply_to_deleted = await bob.post(
        PUBLISH, {"video_id": video.id, "text": "x", "reply_to_comment_id": comment_id}
    )
    assert code_of(reply_to_deleted) == "comment_not_found"
    # The record of the exchange is exact.
    record = sandbox.requests[-1]
    assert record.json == json.loads(
        json.dumps({"video_id": video.id, "text": "x", "reply_to_comment_id": comment_id})
    )


async def test_posts_in_the_same_second_page_without_gaps(
    sandbox: TikTokSandbox, client: httpx.AsyncClient, alice: Api
) -> None:
    published = []
    for privacy in ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"):
        reply = await alice.post(
            "/v2/post/publish/video/init/",
            {"post_info": video_post_info(privacy_level=privacy), "source_info": file_source(4096)},
        )
        data = reply.json()["data"]
        reply = await put_chunk(client, data["upload_url"], video_bytes(4096), 0, 4096)
        assert reply.status_code == 201
        published.append(data["publish_id"])
    await sandbox.wait_background()  # TikTok's media checks
    sandbox.clock.advance(5)  # all three finish at the same instant
    new_ids = {sandbox.publishes[p].post_id for p in published}
    assert len({v.create_time for v in sandbox.posts("alice")[:3]}) == 3
    seen: list[str] = []
    cursor: int | None = None
    for _ in range(4):
        body = {"max_count": 1} if cursor is None else {"max_count": 1, "cursor": cursor}
        data = (await alice.post(LIST, body, fields="id")).json()["data"]
        seen += [v["id"] for v in data["videos"]]
        cursor = data["cursor"]
    # Two listed (SELF_ONLY is not shown to video.list), then the newest seeded video.
    self_only = sandbox.publishes[published[2]].post_id
    assert set(seen[:2]) == new_ids - {self_only}
    assert seen[2:] == [v.id for v in sandbox.posts("alice")[3:5]]
