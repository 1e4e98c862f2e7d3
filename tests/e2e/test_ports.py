"""The bot's web port is chosen by the OS and held: no bind-close-rebind window."""

from __future__ import annotations

import socket

import pytest

from bot.app import BotApp
from tests.support.harness import Harness


def _try_to_take(port: int) -> None:
    with socket.socket() as intruder:
        # As a server would (aiohttp does): TIME_WAIT leftovers don't count, a listener does.
        intruder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        intruder.bind(("127.0.0.1", port))
        intruder.listen()


async def test_the_web_port_stays_ours_across_a_restart(harness: Harness) -> None:
    port = harness.settings.web_port
    with pytest.raises(OSError):
        _try_to_take(port)
    await harness.bot.stop()
    # Stopped, but the port is still held: another process can't slip in before the restart.
    with pytest.raises(OSError):
        _try_to_take(port)
    harness.bot = BotApp(harness.settings, harness.bot.options)
    await harness.bot.start()
    health = await harness.browser.get(f"http://127.0.0.1:{port}/healthz")
    # The same port answers again (the worker's heartbeat may not have ticked yet).
    assert health.json()["database"] == "reachable"
