"""Teams: a Telegram group that shares TikTok accounts, its members, approvals and log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class Team(SQLModel, table=True):
    """One Telegram group (supergroup) working as a team."""

    __tablename__ = "teams"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    title: str
    owner_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    status: str  # active | suspended (the bot was removed from the group)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class TeamMember(SQLModel, table=True):
    """A person's role in a team."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "telegram_user_id", name="uq_team_member"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    name: str
    role: str  # owner | admin | editor | viewer


class TeamAccount(SQLModel, table=True):
    """A linked TikTok account shared with a team: a reference, never its tokens."""

    __tablename__ = "team_accounts"
    __table_args__ = (UniqueConstraint("team_id", "account_id", name="uq_team_account"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    account_id: int = Field(index=True)
    shared_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class TeamApproval(SQLModel, table=True):
    """A post an editor sent for approval: one group card, at most one post."""

    __tablename__ = "team_approvals"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    draft_id: int = Field(unique=True)  # the editor's draft (kept as submitted)
    account_id: int = Field(index=True)
    submitter_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    submitter_name: str
    status: str  # pending | approved | rejected | expired | cancelled
    card_message_id: int | None = None
    approver_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    approver_name: str | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    awaiting_reason: bool = False
    job_id: int | None = Field(default=None, index=True)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class TeamEvent(SQLModel, table=True):
    """One line of a team's log (/team log)."""

    __tablename__ = "team_events"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    kind: str
    actor: str
    detail: str = ""
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class TeamApprover(SQLModel, table=True):
    """A team admin the account owner named to give the final consent for a shared account."""

    __tablename__ = "team_approvers"
    __table_args__ = (
        UniqueConstraint("team_id", "account_id", "telegram_user_id", name="uq_team_approver"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    account_id: int = Field(index=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )


class TeamReview(SQLModel, table=True):
    """One approver's own composer draft of a request (each approver reviews in their own)."""

    __tablename__ = "team_reviews"
    __table_args__ = (UniqueConstraint("approval_id", "reviewer_id", name="uq_team_review"),)

    id: int | None = Field(default=None, primary_key=True)
    approval_id: int = Field(foreign_key="team_approvals.id", index=True)
    reviewer_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    reviewer_name: str
    draft_id: int = Field(unique=True)
