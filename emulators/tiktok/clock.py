"""Injectable time for the sandbox: tests move it forward instead of sleeping."""

from __future__ import annotations

import time


class SandboxClock:
    """A clock that either follows real time or stands still until advanced.

    Every lifetime in the sandbox (tokens, codes, upload URLs, processing,
    rate-limit windows) is measured on this clock, so a test can jump a day
    ahead with one call.
    """

    def __init__(self, start: float | None = None) -> None:
        """Create a clock frozen at ``start``, or following ``time.time()`` if None."""
        self._start = start
        self._offset = 0.0

    def now(self) -> float:
        """Return the current sandbox time in seconds since the epoch."""
        base = time.time() if self._start is None else self._start
        return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward (also in real-time mode, as a fixed offset)."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self._offset += seconds
