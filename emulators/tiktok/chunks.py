"""TikTok's FILE_UPLOAD chunk arithmetic, checked exactly as TikTok checks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulators.tiktok.errors import invalid_params
from emulators.tiktok.params import require_int

MIB = 1024 * 1024
# A file below 5 MiB must be sent as one chunk of exactly its size.
MIN_CHUNK_SIZE = 5 * MIB
# TikTok documents "64 MB" and enforces the decimal value: 64 MiB is refused.
MAX_CHUNK_SIZE = 64_000_000
MAX_VIDEO_SIZE = 4 * 1024 * MIB
MAX_CHUNK_COUNT = 1000


@dataclass(frozen=True)
class ChunkPlan:
    """A validated FILE_UPLOAD declaration."""

    video_size: int
    chunk_size: int
    total_chunk_count: int


def check_file_upload(source_info: dict[str, Any]) -> ChunkPlan:
    """Validate video_size/chunk_size/total_chunk_count or raise invalid_params.

    The last chunk carries the remainder (so it may be up to twice chunk_size),
    which is why the count is the floor of size / chunk_size.
    """
    where = "source_info"
    size = require_int(source_info, "video_size", where)
    chunk = require_int(source_info, "chunk_size", where)
    count = require_int(source_info, "total_chunk_count", where)
    if not 1 <= size <= MAX_VIDEO_SIZE:
        raise invalid_params(f"video_size must be between 1 and {MAX_VIDEO_SIZE} bytes")
    if size < MIN_CHUNK_SIZE:
        if chunk != size:
            raise invalid_params(
                f"a video smaller than {MIN_CHUNK_SIZE} bytes is one chunk: "
                f"chunk_size must equal video_size ({size})"
            )
        if count != 1:
            raise invalid_params(
                f"a video smaller than {MIN_CHUNK_SIZE} bytes is one chunk: total_chunk_count "
                "must be 1"
            )
        return ChunkPlan(size, chunk, count)
    if not MIN_CHUNK_SIZE <= chunk <= MAX_CHUNK_SIZE:
        raise invalid_params(
            f"chunk_size must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes"
        )
    if chunk > size:
        raise invalid_params("chunk_size must not exceed video_size")
    expected = size // chunk
    if not 1 <= expected <= MAX_CHUNK_COUNT:
        raise invalid_params(f"total_chunk_count must be between 1 and {MAX_CHUNK_COUNT}")
    if count != expected:
        raise invalid_params(
            f"total_chunk_count must be floor(video_size / chunk_size) = {expected}, got {count}"
        )
    return ChunkPlan(size, chunk, count)
