"""teams: groups sharing TikTok accounts, members, approval requests, the team log

Revision ID: teams01
Revises: 0009
Create Date: 2026-12-01 10:38:54.419115

The id names the feature so it cannot collide with another branch's 0008.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "teams01"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("owner_user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id"),
    )
    op.create_table(
        "team_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("shared_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "account_id", name="uq_team_account"),
    )
    with op.batch_alter_table("team_accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_accounts_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_accounts_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("submitter_id", sa.BigInteger(), nullable=False),
        sa.Column("submitter_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("card_message_id", sa.Integer(), nullable=True),
        sa.Column("review_draft_id", sa.Integer(), nullable=True),
        sa.Column("approver_id", sa.BigInteger(), nullable=True),
        sa.Column("approver_name", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("awaiting_reason", sa.Boolean(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_id"),
        sa.UniqueConstraint("review_draft_id"),
    )
    with op.batch_alter_table("team_approvals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_approvals_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_approvals_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_approvals_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_events_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "telegram_user_id", name="uq_team_member"),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_members_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_members_team_id"))

    op.drop_table("team_members")
    with op.batch_alter_table("team_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_events_team_id"))

    op.drop_table("team_events")
    with op.batch_alter_table("team_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_approvals_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_approvals_job_id"))
        batch_op.drop_index(batch_op.f("ix_team_approvals_account_id"))

    op.drop_table("team_approvals")
    with op.batch_alter_table("team_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_accounts_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_accounts_account_id"))

    op.drop_table("team_accounts")
    op.drop_table("teams")
