"""Token encryption at rest."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from storage.crypto import KEY_FILE_NAME, InvalidToken, TokenCipher, load_keys


def test_round_trip_and_no_plain_text() -> None:
    cipher = TokenCipher([Fernet.generate_key()])
    secret = "act.very-secret-token"
    sealed = cipher.encrypt(secret)
    assert secret not in sealed
    assert cipher.decrypt(sealed) == secret


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    keys = load_keys(None, tmp_path)
    path = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keys(None, tmp_path) == keys


def test_rotation_old_key_still_decrypts() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    sealed = TokenCipher([old]).encrypt("rft.x")
    rotated = TokenCipher(load_keys(f"{new.decode()},{old.decode()}", Path("/nonexistent")))
    assert rotated.decrypt(sealed) == "rft.x"
    with pytest.raises(InvalidToken):
        TokenCipher([new]).decrypt(sealed)


def test_malformed_configured_key_fails_early() -> None:
    with pytest.raises(ValueError):
        load_keys("not-a-key", Path("/nonexistent"))
