"""Encryption of TikTok tokens at rest (Fernet, from `cryptography`).

Fernet gives authenticated encryption with a versioned format and key
rotation (MultiFernet) without us designing a scheme. TOKEN_ENCRYPTION_KEY may
hold several comma-separated keys: the first encrypts, all decrypt, so an
operator can rotate keys without a migration.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE_NAME = "token.key"


class TokenCipher:
    """Encrypts and decrypts short secrets (tokens, PKCE verifiers)."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is required")
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    def encrypt(self, plain: str) -> str:
        """Return URL-safe ciphertext for `plain`."""
        return self._fernet.encrypt(plain.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the plain text; raises `InvalidToken` for a foreign key or tampering."""
        return self._fernet.decrypt(token.encode("ascii")).decode()


def load_keys(configured: str | None, data_dir: Path) -> list[bytes]:
    """Keys from TOKEN_ENCRYPTION_KEY, else from DATA_DIR/token.key (created 0600)."""
    if configured:
        keys = [k.strip().encode() for k in configured.split(",") if k.strip()]
        for key in keys:
            Fernet(key)  # raises ValueError early on a malformed key
        return keys
    path = data_dir / KEY_FILE_NAME
    if path.exists():
        return [path.read_bytes().strip()]
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: two processes starting at once must not both write a key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return [path.read_bytes().strip()]
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return [key]


__all__ = ["KEY_FILE_NAME", "InvalidToken", "TokenCipher", "load_keys"]
