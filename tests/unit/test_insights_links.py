"""Video links in every shape users paste them, and short links resolved by redirect."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.insights import (
    ShortLink,
    ShortLinkResolver,
    ShortLinkUnreachable,
    VideoId,
    find_video_ref,
    parse_video_ref,
)

ID = "7301234567890123456"


@pytest.mark.parametrize(
    "text",
    [
        ID,
        f"  {ID}  ",
        f"https://www.tiktok.com/@ana.makes/video/{ID}",
        f"https://www.tiktok.com/@ana.makes/video/{ID}?is_from_webapp=1&sender_device=pc",
        f"https://www.tiktok.com/@ana.makes/video/{ID}/?lang=en#comments",
        f"www.tiktok.com/@ana.makes/video/{ID}",
        f"tiktok.com/@ana.makes/video/{ID}",
        f"https://m.tiktok.com/v/{ID}.html",
        f"https://m.tiktok.com/v/{ID}.html?u_code=abc&share_item_id={ID}",
        f"m.tiktok.com/v/{ID}",
        f"https://www.tiktok.com/@ana.makes/photo/{ID}",
        f"https://www.tiktok.com/embed/v2/{ID}",
        f"https://www.tiktok.com/player/v1/{ID}?autoplay=1",
        f"https://www.tiktok.com/share/video/{ID}",
        f"https://www.tiktok.com/@ana.makes?item_id={ID}",
        f"HTTPS://WWW.TIKTOK.COM/@Ana.Makes/video/{ID}",
        f"<https://www.tiktok.com/@ana.makes/video/{ID}>",
        f"https://www.tiktok.com/@ana.makes/video/{ID}.",
    ],
)
def test_video_links_and_ids(text: str) -> None:
    assert parse_video_ref(text) == VideoId(ID)


def test_ids_stay_exact_strings() -> None:
    # 2**63 - 1 has 19 digits; as a float it would end in ...808, not ...807.
    ref = parse_video_ref("9223372036854775807")
    assert ref == VideoId("9223372036854775807")


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://vm.tiktok.com/ZMabc123/", "https://vm.tiktok.com/ZMabc123/"),
        ("vm.tiktok.com/ZMabc123", "https://vm.tiktok.com/ZMabc123"),
        ("https://vt.tiktok.com/ZSxyz/?k=1", "https://vt.tiktok.com/ZSxyz/?k=1"),
        ("https://www.tiktok.com/t/ZT8abc/", "https://www.tiktok.com/t/ZT8abc/"),
    ],
)
def test_short_links(text: str, url: str) -> None:
    assert parse_video_ref(text) == ShortLink(url)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "12345",
        "730123456789012345",  # 18 digits
        "73012345678901234567",  # 20 digits
        f"https://example.com/@ana/video/{ID}",
        f"https://tiktok.com.evil.example/@ana/video/{ID}",
        f"https://nottiktok.com/@ana/video/{ID}",
        f"ftp://www.tiktok.com/@ana/video/{ID}",
        "https://www.tiktok.com/@ana.makes",
        "https://vm.tiktok.com/",
        "https://www.tiktok.com/t/",
        "https://[::1/broken",
    ],
)
def test_not_a_video(text: str) -> None:
    assert parse_video_ref(text) is None


def test_a_link_inside_a_share_text() -> None:
    text = f"Check this out! https://www.tiktok.com/@ana.makes/video/{ID}?_r=1 #fyp"
    assert find_video_ref(text) == VideoId(ID)
    assert find_video_ref("nothing to see") is None


@asynccontextmanager
async def _resolver(
    handler: Callable[[httpx.Request], httpx.Response],
) -> AsyncIterator[tuple[ShortLinkResolver, list[httpx.Request]]]:
    """A resolver whose "internet" is `handler`; `seen` records every request."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as client:
        yield ShortLinkResolver(client), seen


async def test_short_link_follows_redirects_to_the_video() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "vt.tiktok.com":
            return httpx.Response(302, headers={"Location": "https://www.tiktok.com/t/ZT8abc/"})
        if request.url.path == "/t/ZT8abc/":
            target = f"https://www.tiktok.com/@ana.makes/video/{ID}?_r=1&_t=8abc"
            return httpx.Response(301, headers={"Location": target})
        return httpx.Response(404)

    async with _resolver(handler) as (resolver, seen):
        assert await resolver.resolve(ShortLink("https://vt.tiktok.com/ZSxyz/")) == ID
        # The video URL itself is never fetched: its path already names the video.
        assert [str(r.url) for r in seen] == [
            "https://vt.tiktok.com/ZSxyz/",
            "https://www.tiktok.com/t/ZT8abc/",
        ]
        assert all(r.method == "GET" for r in seen)


async def test_relative_redirects_are_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": f"/v/{ID}.html"})

    async with _resolver(handler) as (resolver, _):
        assert await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMrel/")) == ID


async def test_a_redirect_off_tiktok_is_not_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    async with _resolver(handler) as (resolver, seen):
        assert await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMbad/")) is None
        assert [r.url.host for r in seen] == ["vm.tiktok.com"]


async def test_a_short_link_to_a_profile_is_not_a_video() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "vm.tiktok.com":
            return httpx.Response(301, headers={"Location": "https://www.tiktok.com/@ana.makes"})
        return httpx.Response(200, text="<html>profile</html>")

    async with _resolver(handler) as (resolver, seen):
        assert await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMprofile/")) is None
        assert len(seen) == 2


async def test_redirect_loops_stop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://vm.tiktok.com/ZMloop/"})

    async with _resolver(handler) as (resolver, seen):
        assert await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMloop/")) is None
        assert len(seen) == 5


async def test_network_errors_and_5xx_are_reported() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with _resolver(broken) as (resolver, _):
        with pytest.raises(ShortLinkUnreachable):
            await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMdown/"))

    async with _resolver(lambda request: httpx.Response(503)) as (resolver, _):
        with pytest.raises(ShortLinkUnreachable):
            await resolver.resolve(ShortLink("https://vm.tiktok.com/ZMdown/"))
