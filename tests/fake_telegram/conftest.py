"""Fixtures: a running FakeTelegram, a raw HTTP client for it, and a PTB app against it."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import Application, ApplicationBuilder

from emulators.telegram import FakeTelegram

POLL_TIMEOUT = dtm.timedelta(seconds=1)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A started cloud-mode fake, stopped after the test."""
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def local_fake(tmp_path: Path) -> AsyncIterator[FakeTelegram]:
    """A started fake behaving like a ``--local`` Bot API server."""
    async with FakeTelegram(local_mode_dir=tmp_path / "tg-local") as server:
        yield server


class RawApi:
    """Raw Bot API calls with httpx, for the rejection cases PTB would refuse to send."""

    def __init__(self, client: httpx.AsyncClient, fake: FakeTelegram) -> None:
        self.client = client
        self.fake = fake

    async def call(self, method: str, **params: Any) -> httpx.Response:
        """POST ``params`` as a JSON body."""
        return await self.client.post(
            f"{self.fake.api_base_url}{self.fake.token}/{method}", json=params
        )

    async def ok(self, method: str, **params: Any) -> Any:
        """Call and return ``result``, failing the test on an error."""
        response = await self.call(method, **params)
        body = response.json()
        assert body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        """Call, expect a rejection, return (error_code, description)."""
        response = await self.call(method, **params)
        body = response.json()
        assert body["ok"] is False, body
        assert response.status_code == body["error_code"]
        return body["error_code"], body["description"]


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[RawApi]:
    """Raw HTTP access to ``fake``."""
    async with httpx.AsyncClient(timeout=10) as client:
        yield RawApi(client, fake)


def build_app(
    fake: FakeTelegram, *, local_mode: bool = False
) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB Application wired to the fake."""
    return (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.api_base_url)
        .base_file_url(fake.file_base_url)
        .local_mode(local_mode)
        .build()
    )


@asynccontextmanager
async def running(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Poll and process updates for the duration of the block, then shut down cleanly."""
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)  # type: ignore[union-attr]
        await app.start()
        try:
            yield
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
