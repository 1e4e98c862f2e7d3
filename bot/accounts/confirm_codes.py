"""The short code both ends of a sign-in must agree on, and the choices the chat offers.

The browser page shows the code; the chat offers it among decoys. Someone who
did not see the page picks right with probability 1/CHOICES, and one wrong
pick cancels the sign-in, so guessing does not pay.
"""

from __future__ import annotations

import secrets

CODE_DIGITS = 2
CHOICES = 10


def new_code() -> str:
    """A random two-digit code, "00" to "99"."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def choices_for(code: str) -> list[str]:
    """`code` and CHOICES - 1 distinct decoys, in random order."""
    picked = {code}
    while len(picked) < CHOICES:
        picked.add(new_code())
    shuffled = sorted(picked)
    secrets.SystemRandom().shuffle(shuffled)
    return shuffled


def is_code(value: str) -> bool:
    """Whether `value` has the shape of a code (checked before any lookup)."""
    return len(value) == CODE_DIGITS and value.isascii() and value.isdigit()
