"""Fixtures: the real bot with fast publishing timings, against sandbox and fake Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.support import fast_options
from tests.support.harness import Harness, running_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """A running bot in cloud mode (20 MB download limit)."""
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running
