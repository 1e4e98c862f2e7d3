"""Login Kit: the authorize page, the token endpoint and token revocation."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDict, MultiMapping

from emulators.tiktok.config import BASIC_SCOPE, KNOWN_SCOPES, SandboxApp
from emulators.tiktok.errors import OAuthError, PageError
from emulators.tiktok.grants import CHALLENGE_PATTERN, IssuedTokens
from emulators.tiktok.pages import render_consent_page
from emulators.tiktok.state import SandboxState

# The consent form's hidden copy of the requested scopes; "scope" itself is
# the name of the checkboxes, so the original list travels under this name.
REQUESTED_SCOPE_FIELD = "requested_scope"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated authorize request."""

    app: SandboxApp
    scopes: tuple[str, ...]
    redirect_uri: str
    state: str
    code_challenge: str
    disable_auto_auth: str | None

    def hidden_fields(self) -> dict[str, str]:
        """The parameters the consent form carries back to the POST."""
        fields = {
            "client_key": self.app.client_key,
            REQUESTED_SCOPE_FIELD: ",".join(self.scopes),
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "response_type": "code",
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }
        if self.disable_auto_auth is not None:
            fields["disable_auto_auth"] = self.disable_auto_auth
        return fields


def redirect_with(uri: str, params: Mapping[str, str]) -> str:
    """Append URL-encoded ``params`` to a redirect URI."""
    separator = "&" if "?" in uri else "?"
    return uri + separator + urlencode(params)


def _single(params: MultiMapping[str], name: str) -> str | None:
    values = params.getall(name, [])
    if len(values) > 1:
        raise PageError(f"the parameter {name} was given more than once")
    return values[0] if values else None


def validate_authorize(
    state: SandboxState, params: MultiMapping[str], *, scope_field: str = "scope"
) -> AuthorizeRequest:
    """Check an authorize request the way TikTok does, or raise PageError."""
    app = state.apps.get(_single(params, "client_key") or "")
    if app is None:
        raise PageError("client_key is missing or unknown")
    redirect_uri = _single(params, "redirect_uri") or ""
    # Exact string comparison: a trailing slash or an added query fails.
    if redirect_uri not in app.redirect_uris:
        raise PageError("redirect_uri does not match any redirect URI registered for this app")
    if _single(params, "response_type") != "code":
        raise PageError("response_type must be code")
    scopes = _scopes(_single(params, scope_field))
    oauth_state = _single(params, "state")
    if not oauth_state:
        raise PageError("state is required")
    challenge = _single(params, "code_challenge") or ""
    if not CHALLENGE_PATTERN.fullmatch(challenge):
        raise PageError(
            "code_challenge must be the SHA-256 of the code verifier as 64 lowercase hex characters"
        )
    if _single(params, "code_challenge_method") != "S256":
        raise PageError("code_challenge_method must be S256")
    auto = _single(params, "disable_auto_auth")
    if auto is not None and auto not in ("0", "1"):
        raise PageError("disable_auto_auth must be 0 or 1")
    return AuthorizeRequest(
        app=app,
        scopes=scopes,
        redirect_uri=redirect_uri,
        state=oauth_state,
        code_challenge=challenge,
        disable_auto_auth=auto,
    )


def _scopes(raw: str | None) -> tuple[str, ...]:
    if not raw:
        raise PageError("scope is required")
    scopes = raw.split(",")
    unknown = [scope for scope in scopes if scope not in KNOWN_SCOPES]
    if unknown:
        raise PageError(f"unknown scope: {', '.join(unknown)}")
    if BASIC_SCOPE not in scopes:
        raise PageError(f"scope must include {BASIC_SCOPE}")
    return tuple(dict.fromkeys(scopes))


class OAuthEndpoints:
    """Handlers of the authorize page, /v2/oauth/token/ and /v2/oauth/revoke/."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state

    async def authorize_page(self, request: web.Request) -> web.Response:
        """Validate the authorize request and render the consent form."""
        auth = validate_authorize(self._state, request.query)
        html = render_consent_page(
            app_name=auth.app.display_name,
            client_key=auth.app.client_key,
            # Relative on purpose: the browser may reach the sandbox at another
            # origin (PUBLIC_BASE_URL) than base_url, which is where the bot calls it.
            action_url="./",
            accounts=[
                (a.open_id, a.display_name, a.username) for a in self._state.accounts.values()
            ],
            scopes=auth.scopes,
            hidden=auth.hidden_fields(),
        )
        return web.Response(text=html, content_type="text/html")

    async def authorize_submit(self, request: web.Request) -> web.Response:
        """Handle the consent form: redirect with a code, or with access_denied."""
        form = await request.post()
        params = _text_fields(form)
        auth = validate_authorize(self._state, params, scope_field=REQUESTED_SCOPE_FIELD)
        action = _single(params, "action")
        if action == "cancel":
            location = redirect_with(
                auth.redirect_uri,
                {
                    "error": "access_denied",
                    "error_description": "The user denied the authorization request",
                    "state": auth.state,
                },
            )
            raise web.HTTPFound(location)
        if action != "authorize":
            raise PageError("action must be authorize or cancel")
        open_id = _single(params, "open_id")
        if open_id not in self._state.accounts:
            raise PageError("choose a TikTok account to continue")
        ticked = params.getall("scope", [])
        extra = [scope for scope in ticked if scope not in auth.scopes]
        if extra:
            raise PageError(f"scope not requested by the app: {', '.join(extra)}")
        granted = tuple(s for s in auth.scopes if s == BASIC_SCOPE or s in ticked)
        code = self._state.tokens.issue_code(
            client_key=auth.app.client_key,
            open_id=open_id,
            scopes=granted,
            redirect_uri=auth.redirect_uri,
            code_challenge=auth.code_challenge,
        )
        location = redirect_with(
            auth.redirect_uri, {"code": code, "scopes": ",".join(granted), "state": auth.state}
        )
        raise web.HTTPFound(location)

    async def token(self, request: web.Request) -> web.Response:
        """Exchange a code or a refresh token for tokens (flat JSON reply)."""
        form = await self._read_form(request)
        app = self._client(form)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant_type == "authorization_code":
            issued = self._state.tokens.exchange_code(
                app,
                code=_required(form, "code"),
                redirect_uri=_required(form, "redirect_uri"),
                code_verifier=_required(form, "code_verifier"),
            )
        elif grant_type == "refresh_token":
            issued = self._state.tokens.refresh(app, _required(form, "refresh_token"))
        else:
            raise OAuthError("unsupported_grant_type", f"grant_type {grant_type} is not supported")
        return web.json_response(_token_reply(app, issued))

    async def revoke(self, request: web.Request) -> web.Response:
        """Invalidate every token of the grant the given token belongs to."""
        form = await self._read_form(request)
        app = self._client(form)
        self._state.tokens.revoke(app, _required(form, "token"))
        return web.json_response({})

    async def _read_form(self, request: web.Request) -> dict[str, str]:
        if request.content_type != FORM_CONTENT_TYPE:
            raise OAuthError("invalid_request", f"Content-Type must be {FORM_CONTENT_TYPE}")
        form = await request.post()
        return {key: value for key, value in form.items() if isinstance(value, str)}

    def _client(self, form: Mapping[str, str]) -> SandboxApp:
        app = self._state.apps.get(form.get("client_key", ""))
        secret = form.get("client_secret", "")
        if app is None or not secrets.compare_digest(secret, app.client_secret):
            raise OAuthError("invalid_client", "client_key or client_secret is invalid")
        return app


def _text_fields(form: MultiMapping[object]) -> MultiMapping[str]:
    return MultiDict((key, value) for key, value in form.items() if isinstance(value, str))


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if not value:
        raise OAuthError("invalid_request", f"{name} is required")
    return value


def _token_reply(app: SandboxApp, issued: IssuedTokens) -> dict[str, object]:
    grant = issued.grant
    return {
        "open_id": grant.open_id,
        "scope": ",".join(grant.scopes),
        "access_token": issued.access.token,
        "expires_in": app.access_token_ttl,
        "refresh_token": grant.refresh_token,
        "refresh_expires_in": issued.refresh_expires_in,
        "token_type": "Bearer",
    }
