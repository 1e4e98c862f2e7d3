"""The bounded pool photo conversions run in: CPU-heavy, memory-hungry, so few at a time."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

WORKERS = 2  # two cores on a small host; decoding more at once only adds memory
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="photo")


async def in_photo_pool(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking conversion in the shared photo pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(function, *args, **kwargs))
