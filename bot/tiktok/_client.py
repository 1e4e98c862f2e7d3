"""The TikTok Open API client: OAuth, the v2 envelope, user info.

One long-lived `httpx.AsyncClient` is shared by every call and closed at
shutdown. Endpoint groups that later features need (publishing, videos,
comments) live in their own modules and call `TikTokClient.call_api`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.tiktok._errors import (
    TikTokUnavailable,
    classify_api_error,
    classify_oauth_error,
)
from bot.tiktok._models import TokenGrant, UserInfo

log = logging.getLogger(__name__)

TOKEN_PATH = "/v2/oauth/token/"  # noqa: S105 (a path, not a secret)
REVOKE_PATH = "/v2/oauth/revoke/"
USER_INFO_PATH = "/v2/user/info/"


class TikTokClient:
    """Talks to the TikTok Open API on behalf of one app (client key)."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        client_key: str,
        client_secret: str,
        api_base_url: str,
        auth_url: str,
    ) -> None:
        self._http = http
        self._client_key = client_key
        self._client_secret = client_secret
        self._api_base = api_base_url.rstrip("/")
        self._auth_url = auth_url

    @property
    def http(self) -> httpx.AsyncClient:
        """The shared HTTP client (uploads stream through it too)."""
        return self._http

    # -- OAuth -----------------------------------------------------------------

    def authorize_url(
        self,
        *,
        state: str,
        code_challenge: str,
        scopes: tuple[str, ...],
        redirect_uri: str,
        force_consent: bool = False,
    ) -> str:
        """The Login Kit URL a user opens to grant access (PKCE S256, hex)."""
        query = {
            "client_key": self._client_key,
            "scope": ",".join(scopes),
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if force_consent:
            query["disable_auto_auth"] = "1"
        return f"{self._auth_url}?{urlencode(query)}"

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> TokenGrant:
        """Trade an authorization code for tokens."""
        return await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )

    async def refresh(self, refresh_token: str) -> TokenGrant:
        """Get a new access token; the reply carries a NEW refresh token (rotation)."""
        return await self._token_request(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    async def revoke(self, token: str) -> None:
        """Revoke the grant behind `token` at TikTok."""
        await self._form_post(REVOKE_PATH, {"token": token})

    async def _token_request(self, form: dict[str, str]) -> TokenGrant:
        body = await self._form_post(TOKEN_PATH, form)
        try:
            return TokenGrant.from_json(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise TikTokUnavailable("malformed token reply", code="malformed_reply") from exc

    async def _form_post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        data = {
            "client_key": self._client_key,
            "client_secret": self._client_secret,
            **form,
        }
        try:
            response = await self._http.post(
                self._api_base + path,
                data=data,
                headers={"Cache-Control": "no-cache"},
            )
        except httpx.HTTPError as exc:
            raise TikTokUnavailable(f"{path}: {type(exc).__name__}") from exc
        body = _json_or_empty(response)
        if "error" in body and isinstance(body["error"], str) and body["error"]:
            raise classify_oauth_error(
                body["error"],
                str(body.get("error_description", "")),
                log_id=str(body.get("log_id", "")),
                http_status=response.status_code,
            )
        if response.status_code >= 400:
            raise classify_oauth_error(
                "server_error" if response.status_code >= 500 else "invalid_request",
                f"HTTP {response.status_code}",
                http_status=response.status_code,
            )
        return body

    # -- v2 API ----------------------------------------------------------------

    async def call_api(
        self,
        method: str,
        path: str,
        *,
        access_token: str,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Call a v2 endpoint and return `data`, or raise the classified error.

        Reads `error.code` even on HTTP 200: TikTok refuses some requests
        (posting caps) with a 200.
        """
        try:
            response = await self._http.request(
                method,
                self._api_base + path,
                params=params,
                json=json,
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except httpx.HTTPError as exc:
            raise TikTokUnavailable(f"{path}: {type(exc).__name__}") from exc
        body = _json_or_empty(response)
        error = body.get("error") if isinstance(body.get("error"), dict) else None
        code = str(error.get("code", "")) if error else ""
        if error is None or code != "ok" or response.status_code >= 400:
            message = str(error.get("message", "")) if error else f"HTTP {response.status_code}"
            log_id = str(error.get("log_id", "")) if error else ""
            log.info("TikTok %s answered %s %s", path, response.status_code, code or "-")
            raise classify_api_error(
                code or ("internal_error" if response.status_code >= 500 else "invalid_reply"),
                message,
                log_id=log_id,
                http_status=response.status_code,
            )
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    async def user_info(self, access_token: str, fields: list[str]) -> UserInfo:
        """Profile fields of the token's user (ask only for granted scopes' fields)."""
        data = await self.call_api(
            "GET",
            USER_INFO_PATH,
            access_token=access_token,
            params={"fields": ",".join(fields)},
        )
        user = data.get("user")
        return UserInfo.from_json(user if isinstance(user, dict) else {})


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
