"""SpoolWriter on the real filesystem: exact bytes, past the page cache, fallback, resume."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.publishing.sources import _pread_cached
from bot.publishing.spool_writer import ALIGN, STAGE_BYTES, SpoolWriter, aligned_down


def pieces_of(data: bytes, sizes: list[int]) -> list[bytes]:
    """`data` cut into consecutive pieces of the given sizes (cycled), as a download gives it."""
    out, at, i = [], 0, 0
    while at < len(data):
        out.append(data[at : at + sizes[i % len(sizes)]])
        at += sizes[i % len(sizes)]
        i += 1
    return out


DATA = hashlib.sha256(b"spool").digest() * ((2 * STAGE_BYTES + 12_345) // 32)


def write(path: Path, data: bytes, offset: int = 0) -> SpoolWriter:
    writer = SpoolWriter(path, offset)
    try:
        for batch_start in range(0, len(data), 64 * 16_001):
            batch = data[batch_start : batch_start + 64 * 16_001]
            writer.write(pieces_of(batch, [16_001, 65_536, 3]))
        writer.finish()
    finally:
        writer.close()
    return writer


PWRITE = os.pwrite
Pwrite = Callable[[int, memoryview, int], int]


def replace_first_pwrite(monkeypatch: pytest.MonkeyPatch, first: Pwrite) -> list[int]:
    """Make the next os.pwrite call `first` instead; returns the offsets it was called at."""
    seen: list[int] = []

    def pwrite(fd: int, data: memoryview, offset: int) -> int:
        if not seen:
            seen.append(offset)
            return first(fd, data, offset)
        return PWRITE(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    return seen


def test_the_file_holds_exactly_the_pieces(tmp_path: Path) -> None:
    path = tmp_path / "a.part"
    writer = write(path, DATA)
    assert writer.written == len(DATA)
    assert path.read_bytes() == DATA  # no padding left after the last partial block


def test_the_bytes_bypass_the_page_cache(tmp_path: Path) -> None:
    # Buffered writes would leave every byte in fresh page-cache pages, the
    # cost this writer exists to avoid; a non-blocking read finds them there.
    path = tmp_path / "b.part"
    writer = write(path, DATA)
    assert writer.direct
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _pread_cached(fd, ALIGN, STAGE_BYTES) is None
    finally:
        os.close(fd)


def test_a_filesystem_without_direct_io_gets_plain_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def no_direct(path: str, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_DIRECT:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", no_direct)
    path = tmp_path / "c.part"
    writer = write(path, DATA)
    assert not writer.direct
    assert path.read_bytes() == DATA


def test_a_refused_direct_write_is_done_buffered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(fd: int, data: memoryview, offset: int) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")

    refused = replace_first_pwrite(monkeypatch, refuse)
    path = tmp_path / "d.part"
    writer = write(path, DATA)
    assert refused == [0] and not writer.direct
    assert path.read_bytes() == DATA


def test_a_spool_continues_at_a_block_boundary(tmp_path: Path) -> None:
    path = tmp_path / "e.part"
    stopped_at = STAGE_BYTES + 5_000  # a run stopped here: its tail went out padded
    write(path, DATA[:stopped_at])
    assert path.stat().st_size == stopped_at
    resume = aligned_down(stopped_at)
    assert resume % ALIGN == 0 and stopped_at - resume < ALIGN
    write(path, DATA[resume:], offset=resume)
    assert path.read_bytes() == DATA
    with pytest.raises(ValueError):
        SpoolWriter(path, stopped_at)


@pytest.mark.parametrize("short", [ALIGN, 100])
def test_a_short_direct_write_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short: int
) -> None:
    # A block-aligned short write continues where it stopped; an unaligned one
    # leaves the next direct write misaligned (EINVAL): the stage goes buffered.
    def write_part(fd: int, data: memoryview, offset: int) -> int:
        return PWRITE(fd, data[:short], offset)

    cut = replace_first_pwrite(monkeypatch, write_part)
    path = tmp_path / f"f{short}.part"
    writer = write(path, DATA)
    assert cut == [0]
    assert writer.direct is (short % ALIGN == 0)
    assert path.read_bytes() == DATA
