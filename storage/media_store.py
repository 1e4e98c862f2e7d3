"""Where prepared photos wait for TikTok's pull: one small interface, two backends.

- LocalMediaStore (default for one process): files under DATA_DIR/media/<token>/.
- DatabaseMediaStore (several processes): rows of media_blobs, so whichever
  process TikTok's fetcher reaches can answer. Prepared photos are JPEGs of at
  most 1080 px (a few hundred KB), they live only while their job runs, and
  the database is already shared: no object store to run and secure. Reads
  are ranged (`substr`), so a Range request never loads more than it sends.

Videos need no shared storage: the bot pushes them to TikTok (FILE_UPLOAD)
and a job resumed by another process downloads the file from Telegram again.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, func
from sqlmodel import col, select

from storage.db import Database
from storage.models_cluster import MediaBlob

READ_CHUNK = 256 * 1024


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """A stored file: its size, and either its path on disk or a ranged reader."""

    size: int
    path: Path | None = None
    read: Callable[[int, int], AsyncIterator[bytes]] | None = None


class MediaStore(Protocol):
    """Prepared media addressed by (token, name); a token's files go together."""

    async def put(self, token: str, name: str, source: Path) -> None:
        """Store `source` (the file is moved in, or removed once copied)."""

    async def open(self, token: str, name: str) -> StoredMedia | None:
        """The stored file, or None."""

    async def delete(self, token: str) -> None:
        """Remove every file of `token` (idempotent)."""

    async def sweep(self, live_tokens: set[str]) -> None:
        """Remove what belongs to no live token (crash leftovers)."""


class LocalMediaStore:
    """Files under one directory: DATA_DIR/media/<token>/<name>."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def put(self, token: str, name: str, source: Path) -> None:
        """Move `source` into the token's folder."""

        def move() -> None:
            folder = self.root / token
            folder.mkdir(parents=True, exist_ok=True)
            source.replace(folder / name)

        await asyncio.to_thread(move)

    async def open(self, token: str, name: str) -> StoredMedia | None:
        """The file on disk, if present."""
        path = self.root / token / name
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
        except OSError:
            return None
        return StoredMedia(size=size, path=path)

    async def delete(self, token: str) -> None:
        """Remove the token's folder."""
        await asyncio.to_thread(shutil.rmtree, self.root / token, True)

    async def sweep(self, live_tokens: set[str]) -> None:
        """Remove folders of tokens no unfinished job has."""

        def sweep() -> None:
            if not self.root.is_dir():
                return
            for folder in self.root.iterdir():
                if folder.name not in live_tokens:
                    shutil.rmtree(folder, ignore_errors=True)

        await asyncio.to_thread(sweep)


class DatabaseMediaStore:
    """Rows of media_blobs: every process sharing the database can serve them.

    Each call commits on its own: a photo must be readable by every process
    before TikTok is told its URL, whatever unit of work the caller is in.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, token: str, name: str, source: Path) -> None:
        """Copy the (small) file into a row, then remove it."""
        data = await asyncio.to_thread(source.read_bytes)
        async with self._db.separate_transaction() as session:
            # Writes only (no read first): a retried put replaces the row.
            await session.exec(
                delete(MediaBlob).where(col(MediaBlob.token) == token, col(MediaBlob.name) == name)
            )
            session.add(MediaBlob(token=token, name=name, size=len(data), data=data))
        await asyncio.to_thread(source.unlink, True)

    async def open(self, token: str, name: str) -> StoredMedia | None:
        """The row's size and a ranged reader, if the row exists."""
        async with self._db.separate_transaction() as session:
            size = (
                await session.exec(
                    select(MediaBlob.size).where(
                        col(MediaBlob.token) == token, col(MediaBlob.name) == name
                    )
                )
            ).first()
        if size is None:
            return None

        async def read(start: int, end: int) -> AsyncIterator[bytes]:
            """Bytes [start, end) in chunks; stops early if the row went away."""
            position = start
            while position < end:
                length = min(READ_CHUNK, end - position)
                async with self._db.separate_transaction() as session:
                    piece = (
                        await session.exec(
                            select(func.substr(MediaBlob.data, position + 1, length)).where(
                                col(MediaBlob.token) == token, col(MediaBlob.name) == name
                            )
                        )
                    ).first()
                if not piece:
                    return
                yield bytes(piece)
                position += len(piece)

        return StoredMedia(size=int(size), read=read)

    async def delete(self, token: str) -> None:
        """Delete the token's rows."""
        async with self._db.separate_transaction() as session:
            await session.exec(delete(MediaBlob).where(col(MediaBlob.token) == token))

    async def sweep(self, live_tokens: set[str]) -> None:
        """Delete rows of tokens no unfinished job has."""
        async with self._db.separate_transaction() as session:
            await session.exec(delete(MediaBlob).where(col(MediaBlob.token).not_in(live_tokens)))
