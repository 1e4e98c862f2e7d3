"""Photos stored by one process, pulled (Range included) from another, as TikTok's fetcher does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from aiohttp import web

from bot.publishing.media_route import mount_media
from storage.db import Database
from storage.media_store import READ_CHUNK, DatabaseMediaStore
from tests.support.databases import isolated_database

TOKEN = "A" * 32


@asynccontextmanager
async def process(url: str) -> AsyncIterator[tuple[DatabaseMediaStore, str]]:
    """One bot process's view: its own engine, store and web server on port 0."""
    db = Database(url)
    await db.upgrade()
    store = DatabaseMediaStore(db)
    app = web.Application()
    mount_media(app, store)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield store, f"http://127.0.0.1:{port}/media/{TOKEN}/"
    finally:
        await runner.cleanup()
        await db.dispose()


async def test_a_photo_stored_by_one_process_is_served_by_another(tmp_path: Path) -> None:
    data = bytes(range(256)) * (READ_CHUNK // 256 * 2 + 3)  # spans several read chunks
    photo = tmp_path / "prepared.jpg"
    photo.write_bytes(data)
    async with (
        isolated_database(tmp_path) as url,
        process(url) as (writer, _),
        process(url) as (_, other),
        httpx.AsyncClient() as fetcher,
    ):
        await writer.put(TOKEN, "0.jpg", photo)
        assert not photo.exists()  # moved into the store, nothing left on this disk

        whole = await fetcher.get(other + "0.jpg")
        assert whole.status_code == 200 and whole.content == data
        assert whole.headers["Content-Type"] == "image/jpeg"
        assert whole.headers["Accept-Ranges"] == "bytes"
        head = await fetcher.head(other + "0.jpg")
        assert head.status_code == 200 and head.headers["Content-Length"] == str(len(data))
        assert head.content == b""

        middle = READ_CHUNK - 10
        cases = {
            f"bytes={middle}-{middle + 99}": (middle, middle + 100),  # across a chunk boundary
            "bytes=5-": (5, len(data)),
            "bytes=-7": (len(data) - 7, len(data)),
            f"bytes=0-{len(data) + 50}": (0, len(data)),  # clipped to the end
        }
        for header, (start, stop) in cases.items():
            part = await fetcher.get(other + "0.jpg", headers={"Range": header})
            assert part.status_code == 206, header
            assert part.content == data[start:stop], header
            assert part.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{len(data)}"
        beyond = await fetcher.get(other + "0.jpg", headers={"Range": f"bytes={len(data)}-"})
        assert beyond.status_code == 416
        assert beyond.headers["Content-Range"] == f"bytes */{len(data)}"

        assert (await fetcher.get(other + "1.jpg")).status_code == 404
        await writer.delete(TOKEN)
        assert (await fetcher.get(other + "0.jpg")).status_code == 404


async def test_sweep_keeps_only_live_tokens(tmp_path: Path) -> None:
    async with isolated_database(tmp_path) as url, process(url) as (store, _):
        for token in ("live" * 5, "dead" * 5):
            photo = tmp_path / f"{token}.jpg"
            photo.write_bytes(b"jpeg bytes")
            await store.put(token, "0.jpg", photo)
        await store.sweep({"live" * 5})
        assert await store.open("live" * 5, "0.jpg") is not None
        assert await store.open("dead" * 5, "0.jpg") is None
