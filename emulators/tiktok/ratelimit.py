"""Per-token, per-endpoint rate limits over a rolling minute of sandbox time."""

from __future__ import annotations

from collections import deque

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Counts calls per (access token, path) and says when a limit is reached."""

    def __init__(self) -> None:
        self._calls: dict[tuple[str, str], deque[float]] = {}

    def allow(self, token: str, path: str, now: float, per_minute: int) -> bool:
        """Record a call and return True, or return False if the limit is reached.

        Refused calls are not counted, so a client that backs off recovers
        exactly one window after its first counted call.
        """
        calls = self._calls.setdefault((token, path), deque())
        while calls and calls[0] <= now - WINDOW_SECONDS:
            calls.popleft()
        if len(calls) >= per_minute:
            return False
        calls.append(now)
        return True
