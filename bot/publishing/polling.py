"""PollSchedule: when to ask TikTok again while a post is processing, as a pure value.

TikTok allows 30 status fetches per minute per token, and typical videos
take 30-90 s to process. The old schedule grew towards 15 s between polls, so
the link came 11-13 s after TikTok had finished. This one:

- asks once early (`first`, short clips and photos are often done by then);
- then stays quiet until `quiet_until` (hardly anything finishes in between);
- then asks every `steady` seconds until `settle_after`: completion is
  noticed at most `steady` seconds late (3 s on average);
- then backs off by `growth` per poll up to `longest` (processing that long is
  rare, and a late link matters less than the account's rate budget).

With the defaults (2, 18, 6, 120, x1.5, 15 s) a processing time P in 18-120 s
costs at most 10 polls per minute of P, a third of TikTok's limit (tests
shrink every figure to run fast). The per-account
spacing of the calls (StatusPacer) is a separate matter; webhooks, when on,
replace polling as the first signal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """Poll times measured from the moment TikTok started processing."""

    first: float = 2.0
    quiet_until: float = 18.0
    steady: float = 6.0
    settle_after: float = 120.0
    growth: float = 1.5
    longest: float = 15.0

    def next_poll(self, elapsed: float) -> float:
        """The first poll time strictly after `elapsed` seconds of processing."""
        if elapsed < self.first:
            at = self.first
        elif elapsed < self.quiet_until:
            at = self.quiet_until
        elif elapsed < self.settle_after:
            steps = math.floor((elapsed - self.quiet_until) / self.steady) + 1
            at = self.quiet_until + steps * self.steady
        else:
            at = self._after_settling(elapsed)
        return at

    def _after_settling(self, elapsed: float) -> float:
        # The last steady poll, then intervals growing to `longest` (a bounded
        # walk: every step is at least `steady` long).
        at = (
            self.quiet_until
            + math.floor((self.settle_after - self.quiet_until) / self.steady) * self.steady
        )
        interval = self.steady
        while at <= elapsed:
            interval = min(interval * self.growth, self.longest)
            at += max(interval, self.steady)
            if interval >= self.longest:
                # From here on the spacing is constant: jump, do not walk.
                steps = math.floor((elapsed - at) / interval) + 1 if at <= elapsed else 0
                at += steps * interval
        return at

    def delay(self, elapsed: float) -> float:
        """Seconds to wait before the next poll, `elapsed` seconds into processing."""
        return max(self.next_poll(elapsed) - elapsed, 0.0)

    def polls_until(self, finished: float) -> tuple[int, float]:
        """(polls made, seconds late) when processing takes `finished` seconds."""
        polls = 0
        at = 0.0
        while True:
            at = self.next_poll(at)
            polls += 1
            if at >= finished:
                return polls, at - finished
