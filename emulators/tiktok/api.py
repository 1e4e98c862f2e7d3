"""What every /v2/ API handler does first: authenticate, rate-limit, read the body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from emulators.tiktok.config import SandboxAccount, SandboxApp
from emulators.tiktok.errors import ApiError, invalid_params
from emulators.tiktok.grants import Grant
from emulators.tiktok.paths import RATE_LIMITS
from emulators.tiktok.state import SandboxState


@dataclass(frozen=True)
class Caller:
    """The account and grant behind a valid access token."""

    token: str
    grant: Grant
    account: SandboxAccount
    app: SandboxApp

    def has_scope(self, scope: str) -> bool:
        """Whether the user granted ``scope`` to this token."""
        return scope in self.grant.scopes

    def require_scope(self, *any_of: str) -> None:
        """Refuse with scope_not_authorized unless one of ``any_of`` was granted."""
        if not any(self.has_scope(scope) for scope in any_of):
            raise ApiError(
                401,
                "scope_not_authorized",
                f"the user did not authorize the scope required: {' or '.join(any_of)}",
            )


def bearer_token(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if present."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(state: SandboxState, request: web.Request, path: str) -> Caller:
    """Check the bearer token and the per-token rate limit of ``path``."""
    token = bearer_token(request)
    access = state.tokens.lookup(token) if token else None
    if token is None or access is None:
        raise ApiError(
            401, "access_token_invalid", "the access token is invalid, expired or revoked"
        )
    limit = state.faults.rate_limit(path, RATE_LIMITS.get(path, 600))
    if not state.limiter.allow(token, path, state.clock.now(), limit):
        raise ApiError(429, "rate_limit_exceeded", f"more than {limit} requests per minute")
    grant = access.grant
    return Caller(
        token=token,
        grant=grant,
        account=state.accounts[grant.open_id],
        app=state.apps[grant.client_key],
    )


async def read_json_object(request: web.Request, *, required: bool = True) -> dict[str, Any]:
    """Read a JSON object body; an empty body is ``{}`` unless ``required``."""
    raw = await request.read()
    if not raw.strip():
        if required:
            raise invalid_params("the request body must be a JSON object")
        return {}
    if request.content_type != "application/json":
        raise invalid_params("Content-Type must be application/json")
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise invalid_params(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise invalid_params("the request body must be a JSON object")
    return value
