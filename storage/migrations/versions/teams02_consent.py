"""teams: named admins who may consent for a shared account; one review draft per approver

Revision ID: teams02
Revises: teams01
Create Date: 2026-12-01 12:20:00

Each approver reviews in a composer draft of their own (team_reviews), so
the single team_approvals.review_draft_id column moves there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "teams02"
down_revision = "teams01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_approvers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "account_id", "telegram_user_id", name="uq_team_approver"),
    )
    with op.batch_alter_table("team_approvers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_approvers_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_approvers_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.BigInteger(), nullable=False),
        sa.Column("reviewer_name", sa.String(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["approval_id"], ["team_approvals.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("approval_id", "reviewer_id", name="uq_team_review"),
        sa.UniqueConstraint("draft_id"),
    )
    with op.batch_alter_table("team_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_reviews_approval_id"), ["approval_id"], unique=False
        )
    # The one review draft so far was the account owner's (the draft's user).
    op.execute(
        "INSERT INTO team_reviews (approval_id, reviewer_id, reviewer_name, draft_id) "
        "SELECT a.id, d.telegram_user_id, COALESCE(a.approver_name, ''), a.review_draft_id "
        "FROM team_approvals a JOIN drafts d ON d.id = a.review_draft_id "
        "WHERE a.review_draft_id IS NOT NULL"
    )
    with op.batch_alter_table("team_approvals", schema=None) as batch_op:
        batch_op.drop_column("review_draft_id")


def downgrade() -> None:
    with op.batch_alter_table("team_approvals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_draft_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE team_approvals SET review_draft_id = (SELECT MIN(r.draft_id) FROM team_reviews r "
        "WHERE r.approval_id = team_approvals.id)"
    )
    with op.batch_alter_table("team_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_reviews_approval_id"))
    op.drop_table("team_reviews")
    with op.batch_alter_table("team_approvers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_approvers_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_approvers_account_id"))
    op.drop_table("team_approvers")
