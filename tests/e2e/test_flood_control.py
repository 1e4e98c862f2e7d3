"""Telegram's flood control (429 with retry_after): the bot waits and the reply still arrives, once.

Production runs python-telegram-bot's AIORateLimiter, which retries a call
Telegram refused with "retry after N" once N seconds have passed; the fake
Telegram server refuses sends beyond its per-chat limit the same way.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.harness import running_bot

HELP = "/comments"  # a line of the /help text


async def test_replies_refused_by_flood_control_arrive_after_the_wait(tmp_path: Path) -> None:
    async with running_bot(tmp_path, rate_limiter=True) as harness:
        harness.tg.flood_limit = 2  # sends per second in one chat
        user = harness.user()
        for _ in range(4):
            await user.send_text("/help")
        for _ in range(4):
            await user.wait_for(HELP, timeout=30)

        refused = [e for e in harness.tg.errors if e.error_code == 429]
        assert refused, "the fake never refused a send: the test proves nothing"
        helps = [m for m in harness.tg.messages(user.id) if HELP in (m.text or "")]
        assert len(helps) == 4  # every reply, none twice
