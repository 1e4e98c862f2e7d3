"""Proxy: forwards each request to its backends in turn (per path), streaming responses back."""

from __future__ import annotations

import asyncio
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

# Hop-by-hop headers (RFC 9110 7.6.1) and the ones aiohttp sets itself.
_SKIP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "host",
    "content-length",
}
Match = Callable[[web.Request], bool]


@dataclass
class HeldRequest:
    """A request the proxy holds until the test releases it (then it fails with 502)."""

    match: Match
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    used: bool = False


class Proxy:
    """Round-robin reverse proxy on 127.0.0.1, port 0 (read `base_url` after start)."""

    def __init__(self, backends: list[str] | None = None) -> None:
        self._backends = list(backends or [])
        # A turn counter per path: consecutive webhook deliveries alternate strictly.
        self._turns: dict[str, itertools.count[int]] = {}
        self._holds: list[HeldRequest] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.base_url = ""
        self.served: dict[str, int] = {}  # backend -> requests it answered
        self.log: list[tuple[str, str, str]] = []  # (method, path, backend) answered

    def set_backends(self, backends: list[str]) -> None:
        """Replace the backends (e.g. once the processes behind it listen)."""
        self._backends = list(backends)

    def hold(self, match: Match) -> HeldRequest:
        """Hold the first request matching `match` until released."""
        held = HeldRequest(match)
        self._holds.append(held)
        return held

    async def start(self) -> str:
        """Listen on a free port; returns the base URL."""
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5), auto_decompress=False
        )
        app = web.Application(client_max_size=1024**3)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        """Release every hold and stop listening."""
        for held in self._holds:
            held.release.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        for held in self._holds:
            if not held.used and held.match(request):
                held.used = True
                held.arrived.set()
                await held.release.wait()
                return web.Response(status=502, text="held by the test, then dropped")
        if not self._backends:
            return web.Response(status=503, text="no backend")
        # One try per backend, starting at the next in turn: a dead one is skipped.
        start = next(self._turns.setdefault(request.path, itertools.count()))
        # Read whole so a refused connection can be retried on the next backend
        # (test-sized bodies: a few MB at most).
        body = await request.read() if request.can_read_body else None
        for attempt in range(len(self._backends)):
            backend = self._backends[(start + attempt) % len(self._backends)]
            try:
                return await self._relay(request, backend, body)
            except aiohttp.ClientConnectionError:
                continue
        return web.Response(status=502, text="no backend answered")

    async def _relay(
        self, request: web.Request, backend: str, body: bytes | None
    ) -> web.StreamResponse:
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _SKIP}
        async with self._session.request(
            request.method,
            backend + request.path_qs,
            headers=headers,
            data=io.BytesIO(body) if body is not None else None,
            allow_redirects=False,
        ) as upstream:
            response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
            for key, value in upstream.headers.items():
                if key.lower() not in _SKIP:
                    response.headers.add(key, value)
            if upstream.headers.get("Content-Length") is not None:
                response.content_length = int(upstream.headers["Content-Length"])
            await response.prepare(request)
            async for piece in upstream.content.iter_chunked(64 * 1024):
                await response.write(piece)
            await response.write_eof()
        self.served[backend] = self.served.get(backend, 0) + 1
        self.log.append((request.method, request.path, backend))
        return response
