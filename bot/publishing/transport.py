"""AiohttpTransport: httpx's interface, aiohttp's byte-moving engine.

The TikTok API client stays an `httpx.AsyncClient` (small JSON calls, MockTransport
in tests). The two paths that move whole videos, chunk PUTs to TikTok and Bot
API file downloads, go through an httpx client built on this transport: on
this machine aiohttp's client moves a GiB with about half the CPU of httpx's
own transport (h11 reads 64 KiB at a time and copies every piece), see
bench/README.md. Everything above the transport (timeouts, errors, headers,
test hooks that replace the transport) keeps working unchanged.

Only what the bot uses is supported: plain HTTP/1.1, bodies streamed both
ways, no redirects (the httpx client follows them), no decompression here
(httpx decodes Content-Encoding itself).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx

MIB = 1024 * 1024


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests with one long-lived aiohttp session (created on first use)."""

    def __init__(self, *, read_size: int = MIB) -> None:
        # aiohttp pauses the socket once it buffers 2 x read_bufsize: with the
        # default 64 KiB a 1 MiB read would come back in many small pieces.
        self._read_size = read_size
        self._session: aiohttp.ClientSession | None = None

    def _session_now(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                auto_decompress=False,
                read_bufsize=self._read_size,
                skip_auto_headers=("User-Agent", "Content-Type"),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`; the response body streams from aiohttp as httpx reads it."""
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        body = _request_body(request.stream) if has_body else None
        try:
            response = await self._session_now().request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=body,
                allow_redirects=False,
                timeout=timeout,
            )
        except Exception as exc:
            raise _httpx_error(exc, request) or exc from exc
        return httpx.Response(
            response.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers],
            stream=_ResponseBody(response, request, self._read_size),
            extensions={"http_version": b"HTTP/1.1"},
            request=request,
        )

    async def aclose(self) -> None:
        """Close the aiohttp session (a later request opens a new one)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()


async def _request_body(
    stream: httpx.AsyncByteStream | httpx.SyncByteStream,
) -> AsyncIterator[bytes]:
    assert isinstance(stream, httpx.AsyncByteStream)
    async for piece in stream:
        yield piece


def upload_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The client for chunk PUTs (`transport`: a test's hook in place of aiohttp's engine)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(30.0, connect=10.0),
        transport=transport or AiohttpTransport(),
        follow_redirects=False,
        trust_env=False,
    )


def download_client(read_size: int) -> httpx.AsyncClient:
    """The client for Bot API file downloads: aiohttp's engine, reads of one buffer."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(60.0, connect=10.0),
        follow_redirects=True,
        trust_env=False,
        transport=AiohttpTransport(read_size=read_size),
    )


class _ResponseBody(httpx.AsyncByteStream):
    """An aiohttp response body as an httpx stream, in reads of up to `read_size`."""

    def __init__(
        self, response: aiohttp.ClientResponse, request: httpx.Request, read_size: int
    ) -> None:
        self._response = response
        self._request = request
        self._read_size = read_size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        while True:
            try:
                piece = await content.read(self._read_size)
            except Exception as exc:
                raise _httpx_error(exc, self._request) or exc from exc
            if not piece:
                return
            yield piece

    async def aclose(self) -> None:
        self._response.release()


def _httpx_error(exc: Exception, request: httpx.Request) -> httpx.TransportError | None:
    """The httpx error a caller of an httpx client expects (never carrying the URL)."""
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return httpx.ConnectTimeout(type(exc).__name__, request=request)
        return httpx.ReadTimeout(type(exc).__name__, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(type(exc).__name__, request=request)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(type(exc).__name__, request=request)
    if isinstance(exc, aiohttp.ClientError | OSError):
        return httpx.ReadError(type(exc).__name__, request=request)
    return None
