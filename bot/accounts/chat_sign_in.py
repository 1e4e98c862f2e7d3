"""Signing in from inside the chat, where the TikTok side is emulated (sandbox mode).

A phone can't open the sandbox's consent page on the operator's 127.0.0.1, so
sandbox mode consents on the user's behalf over loopback: the same authorize
-> callback -> code exchange path a browser takes, ending in the same code
confirmation in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SignInAccount:
    """An emulated TikTok account the chat offers to sign in as."""

    open_id: str
    label: str


class ChatSignIn(Protocol):
    """Consent at an emulated TikTok for a chat user."""

    def accounts(self) -> list[SignInAccount]:
        """The accounts to offer, in button order."""
        ...

    async def consent(self, authorize_url: str, *, open_id: str) -> str | None:
        """Consent as `open_id` at the authorize URL, load the callback; the page's code."""
        ...
