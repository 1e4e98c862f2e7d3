"""How a download's bytes reach its spool file: past the page cache where the disk allows.

A spool is written once and, in the common case, never read back (the
uploader is served the received pieces from memory, bot/publishing/sources.py).
Buffered writes copy every byte into fresh page-cache pages; on a virtual
machine whose host lends memory lazily (this project's development machines)
touching fresh pages is what a cloud-mode upload spent most of its CPU on:
2.4-2.9 s of system time per GiB against 0.02-0.04 s with O_DIRECT
(docs/performance.md, "The spool is written past the page cache"). So the
pieces are gathered in one reused, page-aligned buffer and written with
O_DIRECT in aligned blocks; the file's last partial block is written padded
and the file cut to its length.

Where the filesystem refuses O_DIRECT (EINVAL at open or at the first write:
tmpfs before Linux 6.6, some FUSE and network filesystems) the writer falls
back to plain buffered writes, as before.
"""

from __future__ import annotations

import errno
import mmap
import os
from collections.abc import Sequence
from pathlib import Path

# Direct I/O wants offsets, lengths and buffer addresses aligned to the
# device's logical block (512 or 4096 bytes); 4096 covers both.
ALIGN = 4096
STAGE_BYTES = 4 * 1024 * 1024  # one write of this size per 4 MiB received


def aligned_down(offset: int) -> int:
    """The block boundary at or below `offset`: where a resumed spool continues."""
    return offset - offset % ALIGN


def pwritev_all(fd: int, pieces: Sequence[bytes | memoryview], offset: int) -> None:
    """Write consecutive pieces at `offset` with as few syscalls as the kernel allows."""
    views = [memoryview(p) for p in pieces]
    while views:
        done = os.pwritev(fd, views, offset)
        offset += done
        while views and done >= len(views[0]):
            done -= len(views[0])
            views.pop(0)
        if views and done:
            views[0] = views[0][done:]


class SpoolWriter:
    """Appends consecutive pieces to a spool from a block-aligned offset (blocking calls)."""

    def __init__(self, path: Path, offset: int) -> None:
        if offset % ALIGN:
            raise ValueError("a spool continues at a block boundary (aligned_down)")
        self._path = path
        self._written = offset  # bytes on disk, counting from the file's start
        self._fill = 0  # bytes waiting in the stage
        self._stage = mmap.mmap(-1, STAGE_BYTES)  # page-aligned, reused for every block
        self._view = memoryview(self._stage)
        self._direct = hasattr(os, "O_DIRECT")
        try:
            self._fd = os.open(path, self._flags(), 0o600)
        except OSError as exc:
            if not self._direct or exc.errno != errno.EINVAL:
                raise
            self._direct = False
            self._fd = os.open(path, self._flags(), 0o600)

    def _flags(self) -> int:
        return os.O_WRONLY | os.O_CREAT | (os.O_DIRECT if self._direct else 0)

    @property
    def direct(self) -> bool:
        """Whether writes bypass the page cache."""
        return self._direct

    @property
    def written(self) -> int:
        """Offset up to which the bytes are on disk (staged bytes not counted)."""
        return self._written

    def write(self, pieces: list[bytes]) -> int:
        """Take consecutive pieces; returns `written` (whole stages reach the disk)."""
        if not self._direct:
            return self._write_buffered(pieces)
        for index, piece in enumerate(pieces):
            view = memoryview(piece)
            while view:
                taken = min(STAGE_BYTES - self._fill, len(view))
                self._view[self._fill : self._fill + taken] = view[:taken]
                self._fill += taken
                view = view[taken:]
                if self._fill == STAGE_BYTES:
                    self._write_stage()
                    if not self._direct:  # refused: the rest goes buffered
                        return self._write_buffered([view, *pieces[index + 1 :]])
        return self._written

    def _write_buffered(self, pieces: Sequence[bytes | memoryview]) -> int:
        pwritev_all(self._fd, [p for p in pieces if len(p)], self._written)
        self._written += sum(len(p) for p in pieces)
        return self._written

    def finish(self) -> int:
        """Put the staged tail on disk (the file ends exactly there); returns `written`."""
        if self._direct and self._fill:
            self._write_stage()
        return self._written

    def close(self) -> None:
        """Close the file (staged bytes not finished are dropped)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self._view.release()
        self._stage.close()

    def _write_stage(self) -> None:
        length = self._fill
        padded = -(-length // ALIGN) * ALIGN  # the last block goes out whole
        try:
            self._write_all(self._view[:padded], self._written)
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise
            self._go_buffered()  # the filesystem takes no direct I/O after all
            self._write_all(self._view[:length], self._written)
        if padded != length:
            os.ftruncate(self._fd, self._written + length)  # drop the padding
        self._written += length
        self._fill = 0

    def _write_all(self, data: memoryview, offset: int) -> None:
        while data:
            done = os.pwrite(self._fd, data, offset)
            data, offset = data[done:], offset + done

    def _go_buffered(self) -> None:
        os.close(self._fd)
        self._direct = False
        self._fd = os.open(self._path, self._flags(), 0o600)
