"""ChunkPlan against TikTok's FILE_UPLOAD rules, at every edge that bit someone."""

from __future__ import annotations

import itertools

import pytest

from bot.publishing.chunks import (
    MAX_CHUNK_COUNT,
    MAX_CHUNK_SIZE,
    MAX_VIDEO_SIZE,
    MIB,
    MIN_CHUNK_SIZE,
    Chunk,
    ChunkPlan,
    VideoSizeError,
)
from emulators.tiktok.chunks import check_file_upload

GIB = 1024 * MIB

EDGE_SIZES = [
    1,
    1000,
    MIN_CHUNK_SIZE - 1,
    MIN_CHUNK_SIZE,
    MIN_CHUNK_SIZE + 1,
    2 * MIN_CHUNK_SIZE - 1,
    2 * MIN_CHUNK_SIZE,
    MAX_CHUNK_SIZE - 1,
    MAX_CHUNK_SIZE,
    MAX_CHUNK_SIZE + 1,
    64 * MIB,
    2 * MAX_CHUNK_SIZE - 1,
    2 * MAX_CHUNK_SIZE,
    2 * MAX_CHUNK_SIZE + 1,
    128 * MIB,
    1_000_000_000,
    GIB,
    MAX_VIDEO_SIZE - 1,
    MAX_VIDEO_SIZE,
]


def check_invariants(plan: ChunkPlan) -> None:
    chunks = list(plan.chunks())
    assert len(chunks) == plan.total_chunk_count
    assert 1 <= plan.total_chunk_count <= MAX_CHUNK_COUNT
    assert plan.total_chunk_count == plan.video_size // plan.chunk_size
    # Contiguous, in order, covering every byte exactly once.
    assert chunks[0].first == 0 and chunks[-1].last == plan.video_size - 1
    for before, after in itertools.pairwise(chunks):
        assert after.first == before.last + 1
    assert sum(c.size for c in chunks) == plan.video_size
    # Every chunk but the last is exactly chunk_size; the last takes the remainder.
    assert all(c.size == plan.chunk_size for c in chunks[:-1])
    assert plan.chunk_size <= chunks[-1].size < 2 * plan.chunk_size
    if plan.video_size < MIN_CHUNK_SIZE:
        assert plan.chunk_size == plan.video_size and plan.total_chunk_count == 1
    else:
        assert MIN_CHUNK_SIZE <= plan.chunk_size <= MAX_CHUNK_SIZE
        assert chunks[-1].size <= 128_000_000
    # The sandbox applies TikTok's exact checks: it must accept the declaration.
    declared = check_file_upload(plan.source_info())
    assert declared.total_chunk_count == plan.total_chunk_count


@pytest.mark.parametrize("size", EDGE_SIZES)
def test_default_plan_follows_every_rule(size: int) -> None:
    check_invariants(ChunkPlan.for_size(size))


@pytest.mark.parametrize("size", EDGE_SIZES)
@pytest.mark.parametrize("preferred", [1, MIN_CHUNK_SIZE, 10 * MIB, 64 * MIB, 10**12])
def test_any_preferred_chunk_size_is_clamped_into_the_rules(size: int, preferred: int) -> None:
    check_invariants(ChunkPlan.for_size(size, preferred_chunk_size=preferred))


@pytest.mark.parametrize(
    ("size", "chunk_size", "count", "last_chunk"),
    [
        (MIN_CHUNK_SIZE - 1, MIN_CHUNK_SIZE - 1, 1, MIN_CHUNK_SIZE - 1),
        (MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, 1, MIN_CHUNK_SIZE),
        (MIN_CHUNK_SIZE + 1, MIN_CHUNK_SIZE + 1, 1, MIN_CHUNK_SIZE + 1),
        (64_000_000, 64_000_000, 1, 64_000_000),
        (64_000_001, 64_000_000, 1, 64_000_001),
        (64 * MIB, 64_000_000, 1, 64 * MIB),  # 64 MiB is ONE chunk of 67,108,864 bytes
        (127_999_999, 64_000_000, 1, 127_999_999),
        (128_000_000, 64_000_000, 2, 64_000_000),
        (128 * MIB, 64_000_000, 2, 128 * MIB - 64_000_000),
        (1_000_000_000, 64_000_000, 15, 1_000_000_000 - 14 * 64_000_000),
        (GIB, 64_000_000, 16, GIB - 15 * 64_000_000),
        (4 * GIB, 64_000_000, 67, 4 * GIB - 66 * 64_000_000),
    ],
)
def test_known_plans(size: int, chunk_size: int, count: int, last_chunk: int) -> None:
    plan = ChunkPlan.for_size(size)
    assert (plan.chunk_size, plan.total_chunk_count) == (chunk_size, count)
    assert plan.chunk(count - 1).size == last_chunk


def test_small_preferred_chunks_for_a_12_mib_file() -> None:
    plan = ChunkPlan.for_size(12 * MIB, preferred_chunk_size=5 * MIB)
    assert list(plan.chunks()) == [
        Chunk(0, 0, 5 * MIB - 1),
        Chunk(1, 5 * MIB, 12 * MIB - 1),  # the last chunk carries the 2 MiB remainder
    ]


def test_chunk_count_never_exceeds_1000() -> None:
    plan = ChunkPlan.for_size(MAX_VIDEO_SIZE, preferred_chunk_size=MIN_CHUNK_SIZE)
    assert plan.total_chunk_count == MAX_VIDEO_SIZE // plan.chunk_size <= 1000
    check_invariants(plan)


@pytest.mark.parametrize("size", [0, -1, MAX_VIDEO_SIZE + 1])
def test_sizes_tiktok_cannot_take(size: int) -> None:
    with pytest.raises(VideoSizeError):
        ChunkPlan.for_size(size)


def test_resume_index_from_tiktoks_offset() -> None:
    plan = ChunkPlan.for_size(130_000_000)
    assert plan.index_at(0) == 0
    assert plan.index_at(64_000_000) == 1
    assert plan.index_at(64_000_001) == 1  # never skip bytes TikTok does not have
    assert plan.index_at(63_999_999) == 0
    assert plan.index_at(130_000_000) == plan.total_chunk_count
    assert list(plan.chunks(plan.index_at(64_000_000))) == [Chunk(1, 64_000_000, 129_999_999)]


def test_declared_plan_round_trips() -> None:
    plan = ChunkPlan.for_size(GIB)
    assert ChunkPlan.declared(plan.video_size, plan.chunk_size) == plan
    with pytest.raises(IndexError):
        plan.chunk(plan.total_chunk_count)


def test_source_info_is_file_upload() -> None:
    assert ChunkPlan.for_size(10).source_info() == {
        "source": "FILE_UPLOAD",
        "video_size": 10,
        "chunk_size": 10,
        "total_chunk_count": 1,
    }
