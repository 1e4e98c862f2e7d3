"""TikTok-Signature verification: HMAC over "<t>.<raw body>", fresh, constant-time."""

from __future__ import annotations

import pytest

from bot.tiktok.signature import (
    SignatureProblem,
    SignatureRefused,
    sign,
    signature_header,
    verify,
)

SECRET = "client-secret"
BODY = b'{"event":"post.publish.complete","content":"{}"}'
NOW = 1_790_000_000


def refusal(header: str | None, body: bytes = BODY, now: float = NOW) -> SignatureProblem:
    with pytest.raises(SignatureRefused) as caught:
        verify(header, body, secret=SECRET, now=now)
    return caught.value.problem


def test_a_valid_signature_passes_and_names_its_time() -> None:
    signed = verify(signature_header(SECRET, NOW - 10, BODY), BODY, secret=SECRET, now=NOW)
    assert signed.timestamp == NOW - 10
    assert signed.signature == sign(SECRET, NOW - 10, BODY)


def test_the_message_is_timestamp_dot_raw_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == expected


def test_upper_case_hex_is_the_same_signature() -> None:
    header = f"t={NOW},s={sign(SECRET, NOW, BODY).upper()}"
    assert verify(header, BODY, secret=SECRET, now=NOW).timestamp == NOW


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, SignatureProblem.MISSING),
        ("", SignatureProblem.MISSING),
        ("s=abc", SignatureProblem.MALFORMED),
        (f"t={NOW}", SignatureProblem.MALFORMED),
        (f"t=-5,s={'0' * 64}", SignatureProblem.MALFORMED),
        (f"t={NOW},t={NOW},s=00", SignatureProblem.MALFORMED),
        (f"t={NOW},s={'0' * 64}", SignatureProblem.MISMATCH),
        (signature_header("other-secret", NOW, BODY), SignatureProblem.MISMATCH),
    ],
)
def test_bad_headers_are_refused(header: str | None, problem: SignatureProblem) -> None:
    assert refusal(header) is problem


def test_a_changed_body_does_not_match() -> None:
    header = signature_header(SECRET, NOW, BODY)
    assert refusal(header, body=BODY.replace(b"complete", b"failed")) is SignatureProblem.MISMATCH


def test_old_and_far_future_timestamps_are_stale() -> None:
    assert refusal(signature_header(SECRET, NOW - 301, BODY)) is SignatureProblem.STALE
    assert refusal(signature_header(SECRET, NOW + 301, BODY)) is SignatureProblem.STALE
    assert verify(signature_header(SECRET, NOW - 300, BODY), BODY, secret=SECRET, now=NOW)


def test_an_empty_secret_never_matches() -> None:
    with pytest.raises(SignatureRefused):
        verify(signature_header("", NOW, BODY), BODY, secret="", now=NOW)
