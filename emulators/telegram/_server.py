"""The HTTP face of the fake: Bot API routes, file downloads, recording every call.

Routes, like api.telegram.org:

* ``/bot<token>/<method>`` (any HTTP verb; method names case-insensitive);
* ``GET /file/bot<token>/<file_path>`` streams a file from disk with
  Content-Length and Range support (cloud mode only: 404 on a ``--local`` server);
* anything else: 404 ``Not Found``.

Every call lands in ``World.calls``; every rejected call the client could still
read also lands in ``World.errors``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from aiohttp import web

from ._api_setup import Handler
from ._errors import ApiError, not_found, unauthorized
from ._models import ApiCall
from ._params import Params, read_params
from ._world import World

_LOGGER = logging.getLogger(__name__)
FORM_SIZE_LIMIT = 64 * 1024 * 1024  # urlencoded/JSON bodies; uploads stream separately
# Sends and edits count towards per-chat flood control.
FLOOD_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendVideo", "sendDocument", "sendMediaGroup",
        "editMessageText", "editMessageCaption", "editMessageReplyMarkup",
    }
)  # fmt: skip


def _client_connected(request: web.Request) -> bool:
    transport = request.transport
    return transport is not None and not transport.is_closing()


class ApiServer:
    """aiohttp handlers dispatching Bot API methods to their handlers."""

    def __init__(self, world: World, methods: Mapping[str, Handler]) -> None:
        self.world = world
        self._methods = {name.lower(): (name, handler) for name, handler in methods.items()}

    def application(self) -> web.Application:
        """Build the aiohttp application."""
        app = web.Application(client_max_size=FORM_SIZE_LIMIT)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self.download)
        app.router.add_route("*", "/bot{token}/{method}", self.api)
        app.router.add_route("*", "/{tail:.*}", self.unknown)
        return app

    def _reject(self, request: web.Request, call: ApiCall, error: ApiError) -> web.Response:
        call.error_code, call.description = error.code, error.description
        if _client_connected(request):
            self.world.errors.append(call)
        return web.json_response(error.payload(), status=error.code)

    async def api(self, request: web.Request) -> web.Response:
        """Handle one Bot API call."""
        name = request.match_info["method"]
        method, handler = self._methods.get(name.lower(), (name, None))
        call = ApiCall(method=method, params={}, time=time.monotonic())
        self.world.calls.append(call)
        params: Params | None = None
        try:
            if request.match_info["token"] != self.world.token:
                raise unauthorized()
            params = await read_params(
                request,
                new_path=self.world.files.new_path,
                upload_limit=self.world.files.upload_limit,
            )
            call.params, call.files = params.values, dict(params.files)
            if handler is None:
                raise not_found()
            result = await handler(self.world, params)
        except ApiError as error:
            return self._reject(request, call, error)
        except Exception as exc:
            _LOGGER.exception("fake Telegram failed on %s", method)
            failure = ApiError(500, f"Internal Server Error: fake Telegram bug: {exc!r}")
            return self._reject(request, call, failure)
        finally:
            if params is not None:
                params.discard_unclaimed()
        call.result = result
        hold = self.world.holds.take(method, call.params)
        if hold is not None:
            await hold.wait_released()
        return web.json_response({"ok": True, "result": result})

    async def download(self, request: web.Request) -> web.StreamResponse:
        """Serve a file handed out by getFile (cloud mode), streamed from disk."""
        file_path = request.match_info["file_path"]
        call = ApiCall(method="file", params={"file_path": file_path}, time=time.monotonic())
        self.world.calls.append(call)
        fake = self.world.files.served(file_path)
        if request.match_info["token"] != self.world.token or fake is None:
            return self._reject(request, call, not_found())
        call.result = {"file_id": fake.file_id, "file_size": fake.file_size}
        content_type = fake.mime_type or "application/octet-stream"
        return web.FileResponse(fake.path, headers={"Content-Type": content_type})

    async def unknown(self, request: web.Request) -> web.Response:
        """Answer any other path like Telegram does."""
        call = ApiCall(method=request.path, params={}, time=time.monotonic())
        self.world.calls.append(call)
        return self._reject(request, call, not_found())
