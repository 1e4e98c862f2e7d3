"""GET/HEAD /media/{token}/{n}.jpg: the photos TikTok pulls for a carousel.

Served from the media store (storage/media_store.py) only while the job needs
them: the runner deletes the token's files when the job ends, and from then
on the route answers 404. The token is random (192 bits), so the URLs cannot
be guessed. TikTok's fetcher sends HEAD and Range requests: local files go
through aiohttp's FileResponse (Range, HEAD, conditional GETs); files in the
database get Range and HEAD answered here, read in chunks, so any process
sharing the database can serve any photo.
"""

from __future__ import annotations

import re

from aiohttp import web

from storage.media_store import MediaStore, StoredMedia

MEDIA_ROUTE = "/media/{token}/{name}"
MEDIA_STORE: web.AppKey[MediaStore] = web.AppKey("media_store")

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_NAME = re.compile(r"\d{1,2}\.jpg")
_HEADERS = {
    "Content-Type": "image/jpeg",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


async def serve_media(request: web.Request) -> web.StreamResponse:
    """One prepared photo, or 404 (unknown token, finished job, bad name)."""
    token = request.match_info["token"]
    name = request.match_info["name"]
    # Strict patterns: nothing like "..", "/" or "%2f" can reach the store.
    if not _TOKEN.fullmatch(token) or not _NAME.fullmatch(name):
        raise web.HTTPNotFound()
    stored = await request.app[MEDIA_STORE].open(token, name)
    if stored is None:
        raise web.HTTPNotFound()
    if stored.path is not None:
        return web.FileResponse(stored.path, headers=_HEADERS)
    return await _stream(request, stored)


def _byte_range(request: web.Request, size: int) -> tuple[int, int] | None:
    """[start, end) asked for by a Range header; None for the whole file."""
    if "Range" not in request.headers:
        return None
    try:
        wanted = request.http_range  # one range; aiohttp rejects lists and junk
    except ValueError:
        raise _unsatisfiable(size) from None
    start, stop = wanted.start, wanted.stop
    if start is None and stop is None:
        return None
    if start is not None and start < 0:  # "bytes=-n": the last n bytes
        start, stop = max(size + start, 0), size
    start = start or 0
    stop = size if stop is None else min(stop, size)
    if start >= size or start >= stop:
        raise _unsatisfiable(size)
    return start, stop


def _unsatisfiable(size: int) -> web.HTTPRequestRangeNotSatisfiable:
    return web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{size}"})


async def _stream(request: web.Request, stored: StoredMedia) -> web.StreamResponse:
    assert stored.read is not None
    size = stored.size
    span = _byte_range(request, size)
    start, stop = span if span is not None else (0, size)
    response = web.StreamResponse(status=200 if span is None else 206, headers=_HEADERS)
    response.headers["Accept-Ranges"] = "bytes"
    if span is not None:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    response.content_length = stop - start
    await response.prepare(request)
    if request.method != "HEAD":
        async for piece in stored.read(start, stop):
            await response.write(piece)
    await response.write_eof()
    return response


def mount_media(app: web.Application, store: MediaStore) -> None:
    """Add the media route to the bot's web server."""
    app[MEDIA_STORE] = store
    app.router.add_get(MEDIA_ROUTE, serve_media)
