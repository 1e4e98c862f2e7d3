"""One real bot process for the multi-process tests: `python -m tests.scale.bot_process`.

The same BotApp as `python -m bot run`, configured from the environment, with
the worker's timings shrunk (short leases, so a killed process's job moves on
in seconds, not minutes). It prints `listening <port>` once started, since
it binds WEB_PORT=0.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from bot.app import BotApp
from bot.config import Settings
from bot.logs import configure_logging
from tests.integration.support import fast_options

LEASE_SECONDS = 3.0


async def serve() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    options = fast_options(lease_seconds=LEASE_SECONDS)
    options.rate_limiter = False
    bot = BotApp(settings, options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)

    await bot.start()
    try:
        # start() returned: the web server listens, the webhook is set, the worker runs.
        print(f"listening {bot.web_port}", flush=True)
        await stop.wait()
    finally:
        await bot.stop()


if __name__ == "__main__":
    asyncio.run(serve())
    sys.exit(0)
