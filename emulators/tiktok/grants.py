"""Authorization codes, grants and tokens: the OAuth state machine, without HTTP."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field

from emulators.tiktok.clock import SandboxClock
from emulators.tiktok.config import SandboxApp
from emulators.tiktok.errors import OAuthError

CODE_TTL_SECONDS = 600
VERIFIER_PATTERN = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
CHALLENGE_PATTERN = re.compile(r"[0-9a-f]{64}")


def _opaque(prefix: str) -> str:
    # TikTok's tokens and codes end like "*0!1234.va"; the "!" and "*" make a
    # client that forgets to URL-encode them fail here rather than in production.
    return f"{prefix}{secrets.token_urlsafe(30)}!{secrets.randbelow(10_000):04d}.va"


@dataclass
class AuthCode:
    """A single-use authorization code and what it was issued for."""

    code: str
    client_key: str
    open_id: str
    scopes: tuple[str, ...]
    redirect_uri: str
    code_challenge: str
    expires_at: float
    used: bool = False


@dataclass
class Grant:
    """One authorization of an app by an account: its scopes and refresh token."""

    client_key: str
    open_id: str
    scopes: tuple[str, ...]
    refresh_token: str
    refresh_expires_at: float
    revoked: bool = False


@dataclass
class AccessToken:
    """An issued access token; older ones stay valid until they expire."""

    token: str
    grant: Grant
    expires_at: float


@dataclass
class IssuedTokens:
    """What a successful token request hands out."""

    grant: Grant
    access: AccessToken
    refresh_expires_in: int


@dataclass
class TokenStore:
    """Every code, grant and token the sandbox issued."""

    clock: SandboxClock
    codes: dict[str, AuthCode] = field(default_factory=dict)
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    issued: dict[str, list[str]] = field(default_factory=dict)

    def issue_code(
        self,
        *,
        client_key: str,
        open_id: str,
        scopes: tuple[str, ...],
        redirect_uri: str,
        code_challenge: str,
    ) -> str:
        """Issue a code valid for ten minutes of sandbox time."""
        code = _opaque("")
        self.codes[code] = AuthCode(
            code=code,
            client_key=client_key,
            open_id=open_id,
            scopes=scopes,
            redirect_uri=redirect_uri,
            code_challenge=code_challenge,
            expires_at=self.clock.now() + CODE_TTL_SECONDS,
        )
        return code

    def exchange_code(
        self, app: SandboxApp, *, code: str, redirect_uri: str, code_verifier: str
    ) -> IssuedTokens:
        """Trade a code for a new grant, checking PKCE with TikTok's hex challenge."""
        entry = self.codes.get(code)
        if entry is None or entry.client_key != app.client_key:
            raise OAuthError("invalid_grant", "authorization code is invalid")
        if entry.used:
            raise OAuthError("invalid_grant", "authorization code has already been used")
        if self.clock.now() >= entry.expires_at:
            raise OAuthError("invalid_grant", "authorization code has expired")
        if redirect_uri != entry.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorize request")
        if not VERIFIER_PATTERN.fullmatch(code_verifier):
            raise OAuthError(
                "invalid_grant", "code_verifier must be 43-128 characters of [A-Za-z0-9-._~]"
            )
        # TikTok compares the HEX digest, not base64url as RFC 7636 says.
        if hashlib.sha256(code_verifier.encode()).hexdigest() != entry.code_challenge:
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge")
        entry.used = True
        now = self.clock.now()
        grant = Grant(
            client_key=app.client_key,
            open_id=entry.open_id,
            scopes=entry.scopes,
            refresh_token="",
            refresh_expires_at=now + app.refresh_token_ttl,
        )
        self._rotate_refresh(grant)
        return self._issue_access(grant, app)

    def refresh(self, app: SandboxApp, refresh_token: str) -> IssuedTokens:
        """Issue a new access token and rotate the refresh token."""
        grant = self.refresh_tokens.get(refresh_token)
        if grant is None or grant.client_key != app.client_key or grant.revoked:
            raise OAuthError("invalid_grant", "refresh token is invalid")
        if refresh_token != grant.refresh_token:
            raise OAuthError(
                "invalid_grant", "refresh token has been rotated and is no longer valid"
            )
        if self.clock.now() >= grant.refresh_expires_at:
            raise OAuthError("invalid_grant", "refresh token has expired")
        self._rotate_refresh(grant)
        return self._issue_access(grant, app)

    def revoke(self, app: SandboxApp, token: str) -> None:
        """Invalidate every token of the grant ``token`` belongs to (unknown: no-op)."""
        access = self.access_tokens.get(token)
        grant = access.grant if access is not None else self.refresh_tokens.get(token)
        if grant is not None and grant.client_key == app.client_key:
            grant.revoked = True

    def revoke_account(self, app: SandboxApp, open_id: str) -> bool:
        """Revoke every live grant of ``open_id`` for ``app``; whether there was one."""
        every = [a.grant for a in self.access_tokens.values()] + list(self.refresh_tokens.values())
        grants = {
            id(g): g for g in every if g.open_id == open_id and g.client_key == app.client_key
        }
        live = [g for g in grants.values() if not g.revoked]
        for grant in live:
            grant.revoked = True
        return bool(live)

    def lookup(self, token: str) -> AccessToken | None:
        """Return the access token if it is known, unexpired and not revoked."""
        access = self.access_tokens.get(token)
        if access is None or access.grant.revoked or self.clock.now() >= access.expires_at:
            return None
        return access

    def tokens_for(self, open_id: str) -> list[str]:
        """Every access and refresh token ever issued for ``open_id``, oldest first."""
        return list(self.issued.get(open_id, []))

    def expire_access_tokens(self, open_id: str) -> None:
        """Make the current access tokens of ``open_id`` expired."""
        now = self.clock.now()
        for access in self.access_tokens.values():
            if access.grant.open_id == open_id:
                access.expires_at = min(access.expires_at, now)

    def _rotate_refresh(self, grant: Grant) -> None:
        grant.refresh_token = _opaque("rft.")
        self.refresh_tokens[grant.refresh_token] = grant
        self.issued.setdefault(grant.open_id, []).append(grant.refresh_token)

    def _issue_access(self, grant: Grant, app: SandboxApp) -> IssuedTokens:
        now = self.clock.now()
        access = AccessToken(_opaque("act."), grant, now + app.access_token_ttl)
        self.access_tokens[access.token] = access
        self.issued.setdefault(grant.open_id, []).append(access.token)
        # The refresh lifetime counts from the first issuance; refreshing keeps it.
        remaining = max(0, int(grant.refresh_expires_at - now))
        return IssuedTokens(grant=grant, access=access, refresh_expires_in=remaining)
