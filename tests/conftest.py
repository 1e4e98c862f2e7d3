"""Shared fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The real bot, running against the fake Telegram server and the sandbox."""
    async with running_bot(tmp_path) as running:
        yield running


@pytest.fixture(scope="session")
def video_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real videos of every kind TikTok's rules care about, made once per session."""
    from tests.support.corpus import build

    return build(tmp_path_factory.mktemp("video-corpus"))
