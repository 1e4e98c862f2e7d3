"""TikTok's webhook signature: `TikTok-Signature: t=<unix seconds>,s=<hex>`.

`s` is HMAC-SHA256 keyed with the app's client secret over "<t>.<raw body>".
The raw body is what was received, byte for byte: parsing and re-serialising
the JSON first would change it and break the signature.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

SIGNATURE_HEADER = "TikTok-Signature"
# How far the signed time may be from ours (older: a replay; newer: a skewed clock).
TOLERANCE_SECONDS = 300


class SignatureProblem(StrEnum):
    """Why a webhook delivery was refused."""

    MISSING = "missing"
    MALFORMED = "malformed"
    MISMATCH = "mismatch"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class SignedAt:
    """A verified signature: when it was made and its value (the replay key)."""

    timestamp: int
    signature: str


class SignatureRefused(Exception):
    """The delivery is not TikTok's, or not fresh."""

    def __init__(self, problem: SignatureProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 TikTok puts in `s=`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The whole header value for `body` signed at `timestamp`."""
    return f"t={timestamp},s={sign(secret, timestamp, body)}"


def _parse(header: str) -> tuple[int, str]:
    parts: dict[str, str] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or key in parts:
            raise SignatureRefused(SignatureProblem.MALFORMED)
        parts[key] = value
    t, s = parts.get("t", ""), parts.get("s", "")
    if not t.isdigit() or len(t) > 12 or not s:
        raise SignatureRefused(SignatureProblem.MALFORMED)
    return int(t), s.lower()


def verify(
    header: str | None,
    body: bytes,
    *,
    secret: str,
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> SignedAt:
    """Check the header against `body`; raises SignatureRefused, returns the signed time."""
    if not header:
        raise SignatureRefused(SignatureProblem.MISSING)
    timestamp, given = _parse(header)
    expected = sign(secret, timestamp, body)
    # Constant time, and before the freshness check: a forger learns nothing
    # about which part was wrong from the timing.
    if not secret or not hmac.compare_digest(given.encode(), expected.encode()):
        raise SignatureRefused(SignatureProblem.MISMATCH)
    if abs(now - timestamp) > tolerance:
        raise SignatureRefused(SignatureProblem.STALE)
    return SignedAt(timestamp, expected)
