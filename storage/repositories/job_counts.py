"""How many publish jobs are in each state (for /metrics)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_publishing import PublishJob


async def jobs_by_state(session: AsyncSession) -> dict[str, int]:
    """State -> number of jobs, over the whole database."""
    rows = await session.exec(select(PublishJob.state, func.count()).group_by(PublishJob.state))
    return {state: int(count) for state, count in rows.all()}
