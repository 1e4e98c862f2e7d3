"""Refusals the sandbox answers, each rendered the way TikTok renders it.

SandboxError            raised by handlers, turned into a reply by the middleware
├── ApiError            /v2/ APIs: the {"data", "error"} envelope
├── OAuthError          /v2/oauth/*: flat {"error", "error_description", "log_id"}
├── PageError           /v2/auth/authorize/: an HTML error page, no redirect
└── UploadError         PUT /upload/: a plain-text reply with an HTTP status
"""

from __future__ import annotations

import secrets
from abc import ABCMeta, abstractmethod
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from emulators.tiktok.pages import render_error_page

# TikTok spells the generic validation code "invalid_params" in the Content
# Posting API docs (some pages say "invalid_param"); the sandbox uses the former.
INVALID_PARAMS = "invalid_params"


def new_log_id() -> str:
    """Return a log id shaped like TikTok's (a timestamp plus random hex)."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(10).upper()


def envelope(
    data: dict[str, Any] | None = None, *, code: str = "ok", message: str = "", status: int = 200
) -> web.Response:
    """Build a /v2/ API reply in TikTok's envelope."""
    body = {
        "data": data if data is not None else {},
        "error": {"code": code, "message": message, "log_id": new_log_id()},
    }
    return web.json_response(body, status=status)


class SandboxError(Exception, metaclass=ABCMeta):
    """A refusal; ``code`` is what the request log records as its error code.

    Abstract: each subclass renders itself the way its TikTok endpoint does.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @abstractmethod
    def response(self) -> web.StreamResponse:
        """Render the refusal as an HTTP reply."""


class ApiError(SandboxError):
    """A /v2/ API refusal rendered in the envelope with empty data."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = status

    def response(self) -> web.StreamResponse:
        """Render as the envelope."""
        return envelope(code=self.code, message=self.message, status=self.status)


def invalid_params(message: str) -> ApiError:
    """Return the HTTP 400 invalid_params refusal with a message saying what was wrong."""
    return ApiError(400, INVALID_PARAMS, message)


class OAuthError(SandboxError):
    """An OAuth endpoint refusal: flat JSON, HTTP 401 for invalid_client else 400."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(error, description)

    def response(self) -> web.StreamResponse:
        """Render as TikTok's flat OAuth error."""
        status = 401 if self.code == "invalid_client" else 400
        body = {"error": self.code, "error_description": self.message, "log_id": new_log_id()}
        return web.json_response(body, status=status)


class PageError(SandboxError):
    """An authorize-page refusal: TikTok shows an error page instead of redirecting."""

    def __init__(self, message: str, status: int = 400) -> None:
        # Recorded as invalid_request; the page itself shows only the message.
        super().__init__("invalid_request", message)
        self.status = status

    def response(self) -> web.StreamResponse:
        """Render as an HTML page."""
        return web.Response(
            text=render_error_page(self.message), status=self.status, content_type="text/html"
        )


class UploadError(SandboxError):
    """A chunk PUT refusal with its HTTP status and a short sandbox code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = status

    def response(self) -> web.StreamResponse:
        """Render as plain text."""
        return web.Response(text=f"{self.code}: {self.message}\n", status=self.status)
