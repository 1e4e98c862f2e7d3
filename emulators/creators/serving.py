"""What both emulators share: start/stop on a loopback port, a request log, an outage switch."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from emulators.creators.world import CreatorWorld

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Now = Callable[[], float]


@dataclass
class Recorded:
    """One request an emulator answered."""

    path: str
    query: dict[str, str]
    time: float
    status: int
    authorization: str | None


class EmulatorServer(ABC):
    """Serves `routes()` standalone or mounted, records requests, can play "down"."""

    def __init__(self, world: CreatorWorld, *, now: Now = time.time) -> None:
        self.world = world
        self.now = now
        self.requests: list[Recorded] = []
        # A provider outage: every request answers 503 until switched back.
        self.down = False
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @abstractmethod
    def routes(self) -> list[tuple[str, Handler]]:
        """(path, handler) pairs of this emulator (GET only)."""

    @property
    def prefix(self) -> str:
        """The part of the base URL after the origin ("" or "/tiktok")."""
        return ""

    def web_app(self) -> web.Application:
        """An aiohttp application serving the routes (mountable as a sub-app)."""
        app = web.Application(middlewares=[self._record])
        for path, handler in self.routes():
            app.router.add_get(path, handler)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0: a free port); return the base URL the bot should use."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound}{self.prefix}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving (safe to call twice)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def calls(self, path_suffix: str) -> list[Recorded]:
        """Requests whose path ends with `path_suffix`."""
        return [r for r in self.requests if r.path.endswith(path_suffix)]

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.down:
            response: web.StreamResponse = web.Response(
                status=503, text="upstream unavailable", content_type="text/plain"
            )
        else:
            response = await handler(request)
        self.requests.append(
            Recorded(
                path=request.path,
                query=dict(request.query),
                time=self.now(),
                status=response.status,
                authorization=request.headers.get("Authorization"),
            )
        )
        return response
