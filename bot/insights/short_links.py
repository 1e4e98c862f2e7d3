"""Resolving vm.tiktok.com / vt.tiktok.com short links by following their redirects.

Only TikTok hosts are ever requested: the first URL is a short link the parser
accepted, and a redirect to any other host ends the walk. That keeps a crafted
link from turning the bot into a proxy for someone else's URLs.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

import httpx

from bot.insights.links import ShortLink, VideoId, is_tiktok_host, parse_video_ref

log = logging.getLogger(__name__)

MAX_HOPS = 5
# TikTok answers short links differently per client; a browser-like agent gets the 301.
USER_AGENT = "Mozilla/5.0 (compatible; TikTokPublisherBot/1.0; +https://github.com/)"


class ShortLinkUnreachable(Exception):
    """The short link could not be followed (network error or TikTok refused)."""


class ShortLinkResolver:
    """Follows a short link hop by hop until a URL names a video."""

    def __init__(self, http: httpx.AsyncClient, *, max_hops: int = MAX_HOPS) -> None:
        self._http = http
        self._max_hops = max_hops

    async def resolve(self, link: ShortLink) -> str | None:
        """The video id the link leads to, or None when it leads elsewhere."""
        url = link.url
        for _ in range(self._max_hops):
            try:
                response = await self._http.get(
                    url, follow_redirects=False, headers={"User-Agent": USER_AGENT}
                )
            except httpx.HTTPError as exc:
                log.info("short link %s failed: %s", urlsplit(url).hostname, type(exc).__name__)
                raise ShortLinkUnreachable(type(exc).__name__) from exc
            location = response.headers.get("location")
            if not response.is_redirect or not location:
                if response.status_code >= 500:
                    raise ShortLinkUnreachable(f"HTTP {response.status_code}")
                return None
            url = urljoin(url, location)
            if not is_tiktok_host(urlsplit(url).hostname or ""):
                return None
            ref = parse_video_ref(url)
            if isinstance(ref, VideoId):
                return ref.value
        return None
