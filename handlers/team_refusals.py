"""Why a team approver's Post did nothing, in words: shared by Post and Post later.

Kept apart from handlers/teams.py so the composer can use it without
importing the team handlers (which import the composer).
"""

from __future__ import annotations

from bot.services import Services
from bot.teams import Closed, TeamRefused
from bot.texts import teams as t


def refusal_text(error: Closed | TeamRefused) -> str:
    """What happened to the request (decided, cancelled, ran out) or why this person may not."""
    if isinstance(error, Closed):
        return t.closed(error.status, error.by)
    return t.REFUSED[error.why]


async def ended_review(svc: Services, telegram_user_id: int, draft_id: int) -> str | None:
    """For a closed reviewer's draft: what became of its request (None: not a review draft)."""
    if svc.teams is None:
        return None
    why = await svc.teams.why_closed(telegram_user_id, draft_id)
    return refusal_text(why) if why is not None else None
