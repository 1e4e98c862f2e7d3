"""GET/HEAD /media/{token}/{n}.jpg: the photos TikTok pulls for a carousel.

Served from DATA_DIR/media/<token>/ only while the job needs them: the
runner deletes the folder when the job ends, and from then on the route
answers 404. The token is random (192 bits), so the URLs cannot be guessed;
aiohttp's FileResponse gives Range requests, HEAD and conditional GETs, which
TikTok's fetcher expects.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

MEDIA_ROUTE = "/media/{token}/{name}"
MEDIA_ROOT = web.AppKey("media_root", Path)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_NAME = re.compile(r"\d{1,2}\.jpg")


async def serve_media(request: web.Request) -> web.StreamResponse:
    """One prepared photo, or 404 (unknown token, finished job, bad name)."""
    token = request.match_info["token"]
    name = request.match_info["name"]
    # Strict patterns: nothing like "..", "/" or "%2f" can reach the filesystem.
    if not _TOKEN.fullmatch(token) or not _NAME.fullmatch(name):
        raise web.HTTPNotFound()
    path = request.app[MEDIA_ROOT] / token / name
    if not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(
        path,
        headers={
            "Content-Type": "image/jpeg",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def mount_media(app: web.Application, media_root: Path) -> None:
    """Add the media route to the bot's web server."""
    app[MEDIA_ROOT] = media_root
    app.router.add_get(MEDIA_ROUTE, serve_media)
