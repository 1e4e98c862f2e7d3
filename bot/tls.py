"""One TLS context for every outgoing HTTP client of the process.

Each `httpx.AsyncClient()` builds its own SSL context and loads the whole CA
bundle into it: 40-90 ms of CPU per client on this machine, and the bot makes
about eight at start-up (TikTok API, uploads, downloads, short links,
creator providers, Telegram). One context, shared, is loaded once; OpenSSL
contexts may be shared between threads (the transfer lane uses it too).
SSL_CERT_FILE / SSL_CERT_DIR are honoured as httpx honours them.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def client_tls() -> ssl.SSLContext:
    """The process's client TLS context (CA bundle loaded once)."""
    return httpx.create_ssl_context()
