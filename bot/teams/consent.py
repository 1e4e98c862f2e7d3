"""Who may give the final consent for a shared account: its owner, and the admins they named.

TikTok wants the account holder's explicit consent for each post. A holder
may delegate it: they name team admins who may review and post for them
(docs/teams.md). The right is checked again at every Review and inside the
Post transaction, so revoking it, a lost admin role or leaving the group
takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.teams.roles import Role, at_least
from storage.repositories import DraftRepository
from storage.repositories.drafts import CANCELLED as DRAFT_CANCELLED
from storage.repositories.drafts import OPEN
from storage.repositories.teams import (
    ACTIVE,
    ApprovalRepository,
    ApproverRepository,
    ReviewRepository,
    TeamRepository,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A team admin the account owner may name, and whether they are named."""

    telegram_user_id: int
    name: str
    named: bool


@dataclass(frozen=True, slots=True)
class ConsentView:
    """The "who gives the final consent" picker of one shared account in one team."""

    account_id: int
    account_label: str
    team_id: int
    team_title: str
    candidates: tuple[Candidate, ...]

    @property
    def only_owner(self) -> bool:
        """Whether nobody but the owner may consent (the default)."""
        return not any(c.named for c in self.candidates)


async def may_consent(
    session: AsyncSession, *, team_id: int, account_id: int, owner_id: int, user_id: int
) -> bool:
    """Whether `user_id` may give the final consent for the account in this team, now."""
    if user_id == owner_id:
        return True
    teams = TeamRepository(session)
    team = await teams.get(team_id)
    if team is None or team.status != ACTIVE or not await teams.is_shared(team_id, account_id):
        return False
    member = await teams.member(team_id, user_id)
    if not at_least(member.role if member else None, Role.ADMIN):
        return False
    return user_id in await ApproverRepository(session).of(team_id, account_id)


async def approvers(
    session: AsyncSession, *, team_id: int, account_id: int, owner_id: int
) -> tuple[int, ...]:
    """Everyone who may consent now: the owner first, then the named admins still admins."""
    named = [
        uid
        for uid in await ApproverRepository(session).of(team_id, account_id)
        if await may_consent(
            session, team_id=team_id, account_id=account_id, owner_id=owner_id, user_id=uid
        )
    ]
    return (owner_id, *[uid for uid in named if uid != owner_id])


async def candidates(
    session: AsyncSession, *, team_id: int, account_id: int, owner_id: int
) -> tuple[Candidate, ...]:
    """The team's admins (and its owner) other than the account owner, marked when named."""
    named = set(await ApproverRepository(session).of(team_id, account_id))
    return tuple(
        Candidate(m.telegram_user_id, m.name, m.telegram_user_id in named)
        for m in await TeamRepository(session).members(team_id)
        if m.telegram_user_id != owner_id and at_least(m.role, Role.ADMIN)
    )


async def close_reviews_of(
    session: AsyncSession, *, team_id: int, user_id: int, account_id: int | None = None
) -> int:
    """Someone lost the right: their open review drafts of pending requests stop posting."""
    closed = 0
    reviews, drafts = ReviewRepository(session), DraftRepository(session)
    for approval in await ApprovalRepository(session).pending_in(team_id, account_id=account_id):
        review = await reviews.of(approval.id, user_id)
        if review is not None and await drafts.transition(
            review.draft_id, from_status=OPEN, to_status=DRAFT_CANCELLED
        ):
            closed += 1
    return closed
