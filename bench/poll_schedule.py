"""Benchmark: what the status-poll schedule costs and how late it notices completion.

Run:  .venv/bin/python bench/poll_schedule.py

Pure arithmetic on bot/publishing/polling.py (the defaults of PublishTuning):
for processing times from 10 s to 5 min, the polls made until TikTok's
PUBLISH_COMPLETE is seen, polls per minute of processing, and how many
seconds after completion the bot hears of it. Also the min/median/max over
30-90 s in 0.1 s steps (every position between two polls).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.publishing.jobs import PublishTuning


def main() -> None:
    """Print the table and the typical-range summary."""
    schedule = PublishTuning().poll_schedule()
    print(f"schedule: {schedule}")
    print(f"{'processing s':>12} {'polls':>6} {'polls/min':>10} {'late s':>7}")
    for finished in (10, 20, 30, 31, 45, 60, 61, 75, 90, 91, 120, 180, 300):
        polls, late = schedule.polls_until(float(finished))
        print(f"{finished:>12} {polls:>6} {polls * 60 / finished:>10.2f} {late:>7.2f}")
    typical = [30 + tenth / 10 for tenth in range(601)]
    rates = [schedule.polls_until(f)[0] * 60 / f for f in typical]
    delays = [schedule.polls_until(f)[1] for f in typical]
    print("\nprocessing 30-90 s (0.1 s steps), min / median / max:")
    print(
        f"  polls per minute of processing {min(rates):.2f} / {statistics.median(rates):.2f}"
        f" / {max(rates):.2f}   (target <= 10, TikTok allows 30)"
    )
    print(
        f"  seconds late                   {min(delays):.2f} / {statistics.median(delays):.2f}"
        f" / {max(delays):.2f}   (target ~5)"
    )


if __name__ == "__main__":
    main()
