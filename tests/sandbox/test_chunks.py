"""FILE_UPLOAD arithmetic at TikTok's edge sizes (pure checks, no HTTP)."""

from __future__ import annotations

import pytest

from emulators.tiktok.chunks import check_file_upload
from emulators.tiktok.errors import ApiError
from tests.sandbox.helpers import MIB, file_source

GIB = 1024 * MIB


@pytest.mark.parametrize(
    ("size", "chunk", "count"),
    [
        (1, 1, 1),
        (5 * MIB - 1, 5 * MIB - 1, 1),
        (5 * MIB, 5 * MIB, 1),
        (5 * MIB + 1, 5 * MIB, 1),
        (64_000_000, 64_000_000, 1),
        (64 * MIB, 64_000_000, 1),  # last chunk carries the 3,108,864-byte remainder
        (64 * MIB, 5 * MIB, 12),
        (128_000_000, 64_000_000, 2),
        (128_000_001, 64_000_000, 2),
        (4 * GIB, 64_000_000, 67),
        (4 * GIB, 5 * MIB, 819),  # the most chunks possible: 1000 is never reached
    ],
)
def test_valid_plans(size: int, chunk: int, count: int) -> None:
    plan = check_file_upload(file_source(size, chunk, count))
    assert (plan.video_size, plan.chunk_size, plan.total_chunk_count) == (size, chunk, count)


@pytest.mark.parametrize(
    ("size", "chunk", "count", "fragment"),
    [
        (0, 0, 1, "video_size"),
        (4 * GIB + 1, 64_000_000, 67, "video_size"),
        (5 * MIB - 1, 5 * MIB, 1, "chunk_size must equal video_size"),
        (5 * MIB - 1, 5 * MIB - 1, 2, "total_chunk_count must be 1"),
        (5 * MIB, 5 * MIB - 1, 1, "chunk_size must be between"),
        (64 * MIB, 64 * MIB, 1, "chunk_size must be between"),
        (64 * MIB, 64_000_000, 2, "floor"),
        (128_000_000, 64_000_000, 3, "floor"),
        (10 * MIB, 5 * MIB, 3, "floor"),
        (4 * GIB, 5 * MIB, 820, "floor"),
    ],
)
def test_invalid_plans(size: int, chunk: int, count: int, fragment: str) -> None:
    with pytest.raises(ApiError) as error:
        check_file_upload(file_source(size, chunk, count))
    assert error.value.code == "invalid_params"
    assert fragment in error.value.message


def test_types_are_strict() -> None:
    with pytest.raises(ApiError):
        check_file_upload({"video_size": 10.0, "chunk_size": 10, "total_chunk_count": 1})
    with pytest.raises(ApiError):
        check_file_upload({"video_size": 10, "chunk_size": 10, "total_chunk_count": True})
    with pytest.raises(ApiError):
        check_file_upload({"video_size": "10", "chunk_size": 10, "total_chunk_count": 1})
