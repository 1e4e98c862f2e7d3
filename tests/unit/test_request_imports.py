"""An HTTP request imports nothing: no per-request search of sys.path.

httpcore asks `import sniffio` on every request to learn which event loop
runs it. Without sniffio installed that import failed each time, after
searching every sys.path entry: about 13 ms of each /stats answer, and of
every Telegram request (python-telegram-bot talks through httpx).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

import httpx
from aiohttp import web
from aiohttp.test_utils import TestServer


class _Searches(importlib.abc.MetaPathFinder):
    """Counts module lookups that reach the import machinery (cache misses)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        self.names.append(fullname)
        return None  # let the real finders answer


async def _ok(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def test_requests_after_the_first_import_nothing() -> None:
    app = web.Application()
    app.router.add_get("/", _ok)
    async with TestServer(app, host="127.0.0.1", port=0) as server:
        url = str(server.make_url("/"))
        async with httpx.AsyncClient() as http:
            assert (await http.get(url)).text == "ok"  # the first may import lazily
            searches = _Searches()
            sys.meta_path.insert(0, searches)
            try:
                for _ in range(3):
                    assert (await http.get(url)).status_code == 200
            finally:
                sys.meta_path.remove(searches)
    assert searches.names == []
