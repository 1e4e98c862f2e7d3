"""PTB job-queue callbacks that run once per period across every process."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram.ext import ContextTypes

from bot.clock import Clock
from bot.ops.cleanup import Cleanup
from bot.ops.cluster import ClusterOnce

JobCallback = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def daily(moment: datetime) -> str:
    """The period of a once-a-day job: the UTC date."""
    return moment.date().isoformat()


def hourly(moment: datetime) -> str:
    """The period of a once-an-hour job: the UTC date and hour."""
    return moment.strftime("%Y-%m-%dT%H")


def half_minute(moment: datetime) -> str:
    """The period of a job that runs twice a minute: the UTC minute and which half."""
    return f"{moment:%Y-%m-%dT%H:%M}/{moment.second // 30}"


def once_per_period(
    cluster: ClusterOnce,
    name: str,
    period_of: Callable[[datetime], str],
    clock: Clock,
    callback: JobCallback,
) -> JobCallback:
    """`callback`, run by whichever process wins the period (the others skip it)."""

    async def run(context: ContextTypes.DEFAULT_TYPE) -> None:
        await cluster.run(name, period_of(clock()), lambda: callback(context))

    return run


async def run_cleanup(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: the hourly clean-up (its Cleanup is the job's data)."""
    assert context.job is not None and isinstance(context.job.data, Cleanup)
    await context.job.data.run()
