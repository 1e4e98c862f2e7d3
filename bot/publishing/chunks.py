"""ChunkPlan: TikTok's FILE_UPLOAD arithmetic, as a pure value.

The rules (docs/tiktok-api.md, "Chunked upload"), which TikTok checks exactly:

- a video under 5 MiB is ONE chunk with chunk_size = video_size;
- otherwise 5 MiB <= chunk_size <= 64,000,000 bytes (decimal: "64 MB" is
  enforced as 64,000,000, and 64 MiB is refused);
- total_chunk_count = video_size // chunk_size (floor), 1..1000 chunks;
- the last chunk carries the remainder, so it may reach almost twice
  chunk_size (up to 128 MB);
- at most 4 GiB in all.

Chunks go up in order with `Content-Range: bytes FIRST-LAST/TOTAL`, LAST
inclusive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.errors import ErrorAction

MIB = 1024 * 1024
MIN_CHUNK_SIZE = 5 * MIB
MAX_CHUNK_SIZE = 64_000_000
MAX_VIDEO_SIZE = 4 * 1024 * MIB
MAX_CHUNK_COUNT = 1000


class VideoSizeError(ValueError):
    """The video cannot be uploaded in chunks: empty or over TikTok's 4 GiB."""

    action = ErrorAction.TELL_USER
    retryable = False
    reason = "video_too_large"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One PUT: bytes `first`..`last` (inclusive) of the video."""

    index: int
    first: int
    last: int

    @property
    def size(self) -> int:
        """Number of bytes in this chunk."""
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class ChunkPlan:
    """How a video of `video_size` bytes is cut into `total_chunk_count` chunks."""

    video_size: int
    chunk_size: int
    total_chunk_count: int

    @classmethod
    def for_size(cls, video_size: int, *, preferred_chunk_size: int = MAX_CHUNK_SIZE) -> ChunkPlan:
        """The plan for a video; `preferred_chunk_size` is clamped to TikTok's range.

        Fewer, bigger chunks mean fewer round trips; tests prefer small chunks
        to exercise the multi-chunk path with small files.
        """
        if video_size <= 0:
            raise VideoSizeError("the video is empty")
        if video_size > MAX_VIDEO_SIZE:
            raise VideoSizeError(f"the video is over {MAX_VIDEO_SIZE} bytes")
        if video_size < MIN_CHUNK_SIZE:
            return cls(video_size, video_size, 1)
        chunk = max(MIN_CHUNK_SIZE, min(preferred_chunk_size, MAX_CHUNK_SIZE))
        # Never more than 1000 chunks: grow the chunk instead (the floor keeps
        # the count at or under the cap, the last chunk takes the rest).
        chunk = max(chunk, -(-video_size // MAX_CHUNK_COUNT))
        chunk = min(chunk, video_size)
        return cls(video_size, chunk, video_size // chunk)

    @classmethod
    def declared(cls, video_size: int, chunk_size: int) -> ChunkPlan:
        """The plan an earlier init declared (stored on the job), for resuming."""
        return cls(video_size, chunk_size, max(1, video_size // chunk_size))

    def chunk(self, index: int) -> Chunk:
        """Chunk number `index` (0-based); the last one ends at the last byte."""
        if not 0 <= index < self.total_chunk_count:
            raise IndexError(f"chunk {index} of {self.total_chunk_count}")
        first = index * self.chunk_size
        if index == self.total_chunk_count - 1:
            return Chunk(index, first, self.video_size - 1)
        return Chunk(index, first, first + self.chunk_size - 1)

    def chunks(self, start: int = 0) -> Iterator[Chunk]:
        """Chunks from index `start` to the end, in upload order."""
        for index in range(start, self.total_chunk_count):
            yield self.chunk(index)

    def index_at(self, offset: int) -> int:
        """The chunk to send next when the server holds `offset` bytes.

        TikTok only keeps whole chunks, so `offset` is a chunk boundary; a
        stray offset is rounded down so nothing is skipped. Returns
        `total_chunk_count` when everything has arrived.
        """
        if offset >= self.video_size:
            return self.total_chunk_count
        return min(max(offset, 0) // self.chunk_size, self.total_chunk_count - 1)

    def source_info(self) -> dict[str, Any]:
        """The FILE_UPLOAD source_info of an init request."""
        return {
            "source": "FILE_UPLOAD",
            "video_size": self.video_size,
            "chunk_size": self.chunk_size,
            "total_chunk_count": self.total_chunk_count,
        }
