"""PKCE for TikTok Login Kit.

TikTok's quirk: the S256 challenge is the HEX digest of SHA-256 of the
verifier, not base64url as in RFC 7636.
"""

from __future__ import annotations

import hashlib
import secrets
import string

_VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"


def new_code_verifier(length: int = 64) -> str:
    """A fresh verifier of `length` (43-128) unreserved characters."""
    if not 43 <= length <= 128:
        raise ValueError("PKCE verifier length must be 43..128")
    return "".join(secrets.choice(_VERIFIER_ALPHABET) for _ in range(length))


def code_challenge(verifier: str) -> str:
    """TikTok's S256 challenge: lowercase hex SHA-256 of the verifier."""
    return hashlib.sha256(verifier.encode("ascii")).hexdigest()
