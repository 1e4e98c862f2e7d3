"""A minimal TikTok upload endpoint and Bot API file server, run in its own process.

Run:  python bench/receiver.py --source FILE [--hash]

It prints its base URL on the first line of stdout and serves until stdin
closes (so it dies with the benchmark that started it):

- PUT /upload/{name} (or /upload/?upload_id=NAME, TikTok's shape): one
  chunk of an upload of `total` bytes. Like TikTok it checks the
  Content-Range (the next byte expected, inclusive end, the same total every
  time) and that the body is exactly Content-Length bytes; it answers 206
  until the last byte arrived, then 201. The body is discarded (or hashed
  with --hash, to check the bytes end to end).
- GET /upload/{name}: JSON: bytes received, sha256 (with --hash), and the
  monotonic times of the first PUT, of the last byte and of the latest file
  download (the transfer as the receiver saw it, the same clock for all).
- GET /file/{anything}: the source file (sendfile, Range honoured), standing
  in for the cloud Bot API's file server.

It imports nothing from the bot: it is the other side of the wire.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


@dataclass
class Upload:
    """What one upload URL has received so far."""

    total: int
    received: int = 0
    started: float = 0.0  # time.monotonic() (system-wide on Linux) of the first PUT
    finished: float = 0.0  # ... and of the last byte
    digest: hashlib._Hash | None = field(default=None)
    # (first header seen, last byte read) of every chunk: the gaps between them
    # are the sender's time between chunks.
    spans: list[tuple[float, float]] = field(default_factory=list)


class Receiver:
    """The routes, with the uploads they have seen."""

    def __init__(self, source: Path, *, hashing: bool) -> None:
        self.source = source
        self.hashing = hashing
        self.uploads: dict[str, Upload] = {}
        self.file_requested = 0.0  # time.monotonic() of the latest file download

    async def put(self, request: web.Request) -> web.Response:
        """Check the chunk's headers against the upload's progress, then swallow its body."""
        match = RANGE.fullmatch(request.headers.get("Content-Range", ""))
        length = request.content_length
        if match is None or length is None:
            return web.Response(status=400, text="Content-Range and Content-Length required")
        first, last, total = (int(g) for g in match.groups())
        name = request.match_info.get("name") or request.query.get("upload_id", "")
        upload = self.uploads.setdefault(
            name, Upload(total, digest=hashlib.sha256() if self.hashing else None)
        )
        if not upload.started:
            upload.started = time.monotonic()
        if total != upload.total or first != upload.received or last < first or last >= total:
            return web.Response(status=416, text=f"expected bytes {upload.received}-")
        if last - first + 1 != length:
            return web.Response(status=400, text="Content-Length does not match the range")
        got = 0
        began = time.monotonic()
        while data := await request.content.readany():
            got += len(data)
            if upload.digest is not None:
                upload.digest.update(data)
        if got != length:
            return web.Response(status=400, text="short body")
        upload.received = last + 1
        upload.spans.append((began, time.monotonic()))
        if upload.received == total:
            upload.finished = time.monotonic()
        return web.Response(status=201 if upload.received == total else 206)

    async def status(self, request: web.Request) -> web.Response:
        """How much an upload holds (and its hash when hashing)."""
        upload = self.uploads.get(request.match_info["name"])
        if upload is None:
            return web.json_response({"received": 0}, status=404)
        digest = upload.digest.hexdigest() if upload.digest is not None else None
        return web.json_response(
            {
                "received": upload.received,
                "sha256": digest,
                "started": upload.started,
                "finished": upload.finished,
                "file_requested": self.file_requested,
                "spans": upload.spans,
            }
        )

    async def file(self, request: web.Request) -> web.StreamResponse:
        """The source file, as the Bot API's file server would send it."""
        self.file_requested = time.monotonic()
        return web.FileResponse(self.source)


async def serve(source: Path, *, hashing: bool) -> None:
    """Serve on a free loopback port until stdin closes."""
    receiver = Receiver(source, hashing=hashing)
    app = web.Application(client_max_size=128 * 1024 * 1024)
    app.router.add_put("/upload/{name}", receiver.put)
    app.router.add_put("/upload/", receiver.put)
    app.router.add_get("/upload/{name}", receiver.status)
    app.router.add_get("/file/{tail:.*}", receiver.file)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert isinstance(server, asyncio.Server)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # EOF: the benchmark is gone
    await runner.cleanup()


def main() -> None:
    """Parse the arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--hash", action="store_true", help="sha256 every upload's bytes")
    args = parser.parse_args()
    asyncio.run(serve(args.source, hashing=args.hash))


if __name__ == "__main__":
    main()
