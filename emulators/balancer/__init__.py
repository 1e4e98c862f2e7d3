"""A small HTTP reverse proxy standing in for a load balancer (round-robin) or a network tap.

Used by the multi-process tests: Telegram's webhook deliveries, OAuth
callbacks and TikTok's photo pulls reach the bot processes through it in
turn, as behind a real load balancer; in front of the TikTok sandbox it can
hold a chosen request, so a test can act while an upload is in flight.
"""

from emulators.balancer._proxy import HeldRequest, Proxy

__all__ = ["HeldRequest", "Proxy"]
