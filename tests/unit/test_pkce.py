"""PKCE as TikTok wants it: hex SHA-256."""

from __future__ import annotations

import hashlib
import re

import pytest

from bot.tiktok import code_challenge, new_code_verifier


def test_verifier_alphabet_and_length() -> None:
    verifier = new_code_verifier()
    assert re.fullmatch(r"[A-Za-z0-9\-._~]{64}", verifier)
    assert new_code_verifier() != verifier
    assert len(new_code_verifier(43)) == 43 and len(new_code_verifier(128)) == 128
    with pytest.raises(ValueError):
        new_code_verifier(42)


def test_challenge_is_lowercase_hex_sha256() -> None:
    verifier = "a" * 43
    assert code_challenge(verifier) == hashlib.sha256(b"a" * 43).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", code_challenge(new_code_verifier()))
