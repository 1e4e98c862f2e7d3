"""Teams, their members, shared accounts, approvals and log; flushes, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_
from sqlmodel import col, select

from storage.models_teams import (
    Team,
    TeamAccount,
    TeamApproval,
    TeamApprover,
    TeamEvent,
    TeamMember,
    TeamReview,
)
from storage.repositories.base import Repository
from storage.repositories.cluster import insert_ignoring_duplicates

ACTIVE, SUSPENDED = "active", "suspended"
PENDING, APPROVED, REJECTED, EXPIRED, CANCELLED = (
    "pending",
    "approved",
    "rejected",
    "expired",
    "cancelled",
)


@dataclass(frozen=True, slots=True)
class TeamRow:
    """A team as services see it."""

    id: int
    chat_id: int
    title: str
    owner_user_id: int
    status: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A member and their role."""

    team_id: int
    telegram_user_id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """An approval request as services see it."""

    id: int
    team_id: int
    draft_id: int
    account_id: int
    submitter_id: int
    submitter_name: str
    status: str
    card_message_id: int | None
    approver_id: int | None
    approver_name: str | None
    reason: str | None
    awaiting_reason: bool
    job_id: int | None
    expires_at: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EventRow:
    """One log line."""

    kind: str
    actor: str
    detail: str
    at: datetime


def _team(row: Team) -> TeamRow:
    assert row.id is not None
    return TeamRow(row.id, row.chat_id, row.title, row.owner_user_id, row.status)


def _member(row: TeamMember) -> MemberRow:
    return MemberRow(row.team_id, row.telegram_user_id, row.name, row.role)


def _approval(row: TeamApproval) -> ApprovalRow:
    assert row.id is not None
    return ApprovalRow(
        id=row.id,
        team_id=row.team_id,
        draft_id=row.draft_id,
        account_id=row.account_id,
        submitter_id=row.submitter_id,
        submitter_name=row.submitter_name,
        status=row.status,
        card_message_id=row.card_message_id,
        approver_id=row.approver_id,
        approver_name=row.approver_name,
        reason=row.reason,
        awaiting_reason=row.awaiting_reason,
        job_id=row.job_id,
        expires_at=row.expires_at,
        created_at=row.created_at,
    )


class TeamRepository(Repository[Team]):
    """Teams and their members and shared accounts."""

    model = Team

    async def by_chat(self, chat_id: int) -> TeamRow | None:
        """The team of a group chat."""
        row = (await self._session.exec(select(Team).where(Team.chat_id == chat_id))).first()
        return _team(row) if row else None

    async def get(self, team_id: int) -> TeamRow | None:
        """A team by id."""
        row = await self._row(team_id)
        return _team(row) if row else None

    async def create(self, *, chat_id: int, title: str, owner_user_id: int) -> TeamRow:
        """A new active team."""
        row = await self._add(
            Team(chat_id=chat_id, title=title, owner_user_id=owner_user_id, status=ACTIVE)
        )
        return _team(row)

    async def set_status(self, team_id: int, status: str) -> bool:
        """Suspend or reactivate; False when it already was."""
        changed = await self._update_where(
            col(Team.id) == team_id, col(Team.status) != status, status=status
        )
        return changed == 1

    async def member(self, team_id: int, telegram_user_id: int) -> MemberRow | None:
        """One member's role."""
        row = (
            await self._session.exec(
                select(TeamMember).where(
                    TeamMember.team_id == team_id, TeamMember.telegram_user_id == telegram_user_id
                )
            )
        ).first()
        return _member(row) if row else None

    async def members(self, team_id: int) -> list[MemberRow]:
        """Every member, in joining order."""
        rows = await self._session.exec(
            select(TeamMember).where(TeamMember.team_id == team_id).order_by(col(TeamMember.id))
        )
        return [_member(r) for r in rows]

    async def put_member(self, team_id: int, telegram_user_id: int, name: str, role: str) -> None:
        """Add a member or change their role."""
        row = (
            await self._session.exec(
                select(TeamMember).where(
                    TeamMember.team_id == team_id, TeamMember.telegram_user_id == telegram_user_id
                )
            )
        ).first()
        if row is None:
            row = TeamMember(
                team_id=team_id, telegram_user_id=telegram_user_id, name=name, role=role
            )
        else:
            row.role, row.name = role, name
        self._session.add(row)
        await self._session.flush()

    async def remove_member(self, team_id: int, telegram_user_id: int) -> bool:
        """Drop a member; False when they were none."""
        result: Any = await self._session.exec(
            delete(TeamMember).where(
                col(TeamMember.team_id) == team_id,
                col(TeamMember.telegram_user_id) == telegram_user_id,
            )
        )
        return bool(result.rowcount)

    async def teams_of(self, telegram_user_id: int) -> list[tuple[TeamRow, str]]:
        """The active teams a person belongs to, with their role."""
        rows = await self._session.exec(
            select(Team, TeamMember)
            .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
            .where(TeamMember.telegram_user_id == telegram_user_id, Team.status == ACTIVE)
            .order_by(col(Team.id))
        )
        return [(_team(team), member.role) for team, member in rows]

    async def share(self, team_id: int, account_id: int, shared_by: int) -> bool:
        """Share an account with a team; False when it already was."""
        existing = (
            await self._session.exec(
                select(TeamAccount).where(
                    TeamAccount.team_id == team_id, TeamAccount.account_id == account_id
                )
            )
        ).first()
        if existing is not None:
            return False
        self._session.add(TeamAccount(team_id=team_id, account_id=account_id, shared_by=shared_by))
        await self._session.flush()
        return True

    async def unshare(self, team_id: int, account_id: int) -> bool:
        """Stop sharing; False when it was not shared."""
        result: Any = await self._session.exec(
            delete(TeamAccount).where(
                col(TeamAccount.team_id) == team_id, col(TeamAccount.account_id) == account_id
            )
        )
        return bool(result.rowcount)

    async def shared_accounts(self, team_id: int) -> list[int]:
        """The ids of the accounts shared with a team."""
        rows = await self._session.exec(
            select(TeamAccount.account_id)
            .where(TeamAccount.team_id == team_id)
            .order_by(col(TeamAccount.id))
        )
        return list(rows)

    async def is_shared(self, team_id: int, account_id: int) -> bool:
        """Whether an account is shared with a team."""
        return account_id in await self.shared_accounts(team_id)


class ApprovalRepository(Repository[TeamApproval]):
    """Approval requests; every change of status is one conditional UPDATE."""

    model = TeamApproval

    async def create(
        self,
        *,
        team_id: int,
        draft_id: int,
        account_id: int,
        submitter_id: int,
        submitter_name: str,
        expires_at: datetime,
    ) -> ApprovalRow:
        """A new pending request."""
        row = await self._add(
            TeamApproval(
                team_id=team_id,
                draft_id=draft_id,
                account_id=account_id,
                submitter_id=submitter_id,
                submitter_name=submitter_name,
                status=PENDING,
                expires_at=expires_at,
            )
        )
        return _approval(row)

    async def get(self, approval_id: int) -> ApprovalRow | None:
        """One request."""
        row = await self._row(approval_id)
        return _approval(row) if row else None

    async def by_job(self, job_id: int) -> ApprovalRow | None:
        """The request a publish job came from."""
        row = (
            await self._session.exec(select(TeamApproval).where(TeamApproval.job_id == job_id))
        ).first()
        return _approval(row) if row else None

    async def pending_for(
        self, *, team_id: int | None = None, account_id: int
    ) -> list[ApprovalRow]:
        """Pending requests for an account (in one team, or any)."""
        query = select(TeamApproval).where(
            TeamApproval.account_id == account_id, TeamApproval.status == PENDING
        )
        if team_id is not None:
            query = query.where(TeamApproval.team_id == team_id)
        return [_approval(r) for r in await self._session.exec(query)]

    async def involving(
        self,
        *,
        submitter_id: int,
        account_ids: list[int],
        delegated: list[tuple[int, int]],
        limit: int = 10,
    ) -> list[ApprovalRow]:
        """The newest requests someone sent, or of accounts they own or may approve for."""
        conditions: list[Any] = [col(TeamApproval.submitter_id) == submitter_id]
        if account_ids:
            conditions.append(col(TeamApproval.account_id).in_(account_ids))
        conditions += [
            and_(col(TeamApproval.team_id) == team_id, col(TeamApproval.account_id) == account_id)
            for team_id, account_id in delegated
        ]
        rows = await self._session.exec(
            select(TeamApproval)
            .where(or_(*conditions))
            .order_by(col(TeamApproval.id).desc())
            .limit(limit)
        )
        return [_approval(r) for r in rows]

    async def pending_in(self, team_id: int, *, account_id: int | None = None) -> list[ApprovalRow]:
        """Pending requests of a team (for one account, or all)."""
        query = select(TeamApproval).where(
            TeamApproval.team_id == team_id, TeamApproval.status == PENDING
        )
        if account_id is not None:
            query = query.where(TeamApproval.account_id == account_id)
        return [_approval(r) for r in await self._session.exec(query)]

    async def fresh(self, approval_id: int) -> ApprovalRow | None:
        """One request as committed now (not the session's cached copy): who won a race."""
        row = await self._session.get(TeamApproval, approval_id, populate_existing=True)
        return _approval(row) if row else None

    async def pending_expired(self, now: datetime) -> list[ApprovalRow]:
        """Pending requests whose time ran out."""
        rows = await self._session.exec(
            select(TeamApproval).where(
                TeamApproval.status == PENDING, col(TeamApproval.expires_at) <= now
            )
        )
        return [_approval(r) for r in rows]

    async def awaiting_reason(self, approver_id: int) -> ApprovalRow | None:
        """The request whose rejection reason this person is typing."""
        row = (
            await self._session.exec(
                select(TeamApproval).where(
                    TeamApproval.approver_id == approver_id,
                    TeamApproval.awaiting_reason == True,  # noqa: E712 (SQL, not Python)
                    TeamApproval.status == PENDING,
                )
            )
        ).first()
        return _approval(row) if row else None

    async def close(self, approval_id: int, *, status: str, now: datetime, **values: Any) -> bool:
        """Move a still pending, unexpired request to `status`; False when it was not."""
        conditions = [col(TeamApproval.id) == approval_id, col(TeamApproval.status) == PENDING]
        if status in (APPROVED, REJECTED):
            conditions.append(col(TeamApproval.expires_at) > now)
        changed = await self._update_where(*conditions, status=status, **values)
        return changed == 1

    async def update(self, approval_id: int, **values: Any) -> None:
        """Set plain fields (card message id, job id, awaiting reason)."""
        await self._update_where(col(TeamApproval.id) == approval_id, **values)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One approver's own draft of a request."""

    approval_id: int
    reviewer_id: int
    reviewer_name: str
    draft_id: int


def _review(row: TeamReview) -> ReviewRow:
    return ReviewRow(row.approval_id, row.reviewer_id, row.reviewer_name, row.draft_id)


class ReviewRepository(Repository[TeamReview]):
    """Approvers' drafts of requests: one per approver and request."""

    model = TeamReview

    async def of(self, approval_id: int, reviewer_id: int) -> ReviewRow | None:
        """This approver's draft of the request, if they opened it."""
        row = (
            await self._session.exec(
                select(TeamReview).where(
                    TeamReview.approval_id == approval_id, TeamReview.reviewer_id == reviewer_id
                )
            )
        ).first()
        return _review(row) if row else None

    async def by_draft(self, draft_id: int) -> ReviewRow | None:
        """The review a draft is, if it is one."""
        row = (
            await self._session.exec(select(TeamReview).where(TeamReview.draft_id == draft_id))
        ).first()
        return _review(row) if row else None

    async def of_approval(self, approval_id: int) -> list[ReviewRow]:
        """Every approver's draft of a request."""
        rows = await self._session.exec(
            select(TeamReview)
            .where(TeamReview.approval_id == approval_id)
            .order_by(col(TeamReview.id))
        )
        return [_review(r) for r in rows]

    async def add(self, approval_id: int, reviewer_id: int, name: str, draft_id: int) -> bool:
        """Remember an approver's draft; False when a racing Review of theirs got there first."""
        return await insert_ignoring_duplicates(
            self._session,
            TeamReview,
            approval_id=approval_id,
            reviewer_id=reviewer_id,
            reviewer_name=name,
            draft_id=draft_id,
        )


class ApproverRepository(Repository[TeamApprover]):
    """Who besides the owner may consent for a shared account: admins the owner named."""

    model = TeamApprover

    async def of(self, team_id: int, account_id: int) -> list[int]:
        """The named admins' user ids, in the order they were named."""
        rows = await self._session.exec(
            select(TeamApprover.telegram_user_id)
            .where(TeamApprover.team_id == team_id, TeamApprover.account_id == account_id)
            .order_by(col(TeamApprover.id))
        )
        return list(rows)

    async def of_user(self, telegram_user_id: int) -> list[tuple[int, int]]:
        """(team, account) pairs this person was named to approve for."""
        rows = await self._session.exec(
            select(TeamApprover.team_id, TeamApprover.account_id).where(
                TeamApprover.telegram_user_id == telegram_user_id
            )
        )
        return [(team_id, account_id) for team_id, account_id in rows]

    async def name(self, team_id: int, account_id: int, telegram_user_id: int) -> bool:
        """Name an admin; False when they already were."""
        if telegram_user_id in await self.of(team_id, account_id):
            return False
        await self._add(
            TeamApprover(team_id=team_id, account_id=account_id, telegram_user_id=telegram_user_id)
        )
        return True

    async def drop(
        self, team_id: int, *, account_id: int | None = None, telegram_user_id: int | None = None
    ) -> list[tuple[int, int]]:
        """Take consent rights back (one account, one person, or both); what was dropped."""
        query = select(TeamApprover).where(TeamApprover.team_id == team_id)
        if account_id is not None:
            query = query.where(TeamApprover.account_id == account_id)
        if telegram_user_id is not None:
            query = query.where(TeamApprover.telegram_user_id == telegram_user_id)
        rows = list(await self._session.exec(query))
        for row in rows:
            await self._session.delete(row)
        await self._session.flush()
        return [(r.account_id, r.telegram_user_id) for r in rows]


class TeamEventRepository(Repository[TeamEvent]):
    """The team log."""

    model = TeamEvent

    async def add(self, team_id: int, kind: str, actor: str, detail: str = "") -> None:
        """Append one line."""
        await self._add(TeamEvent(team_id=team_id, kind=kind, actor=actor, detail=detail))

    async def latest(self, team_id: int, limit: int = 15) -> list[EventRow]:
        """The newest lines, newest first."""
        rows = await self._session.exec(
            select(TeamEvent)
            .where(TeamEvent.team_id == team_id)
            .order_by(col(TeamEvent.id).desc())
            .limit(limit)
        )
        return [EventRow(r.kind, r.actor, r.detail, r.at) for r in rows]
