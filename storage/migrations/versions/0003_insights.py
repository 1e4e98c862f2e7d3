"""insights: account snapshots, comments written through the bot, pending comments

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _account_fk() -> sa.ForeignKeyConstraint:
    # Unlinking an account forgets its snapshots and comment records too.
    return sa.ForeignKeyConstraint(["account_id"], ["tiktok_accounts.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "account_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("follower_count", sa.Integer(), nullable=True),
        sa.Column("following_count", sa.Integer(), nullable=True),
        sa.Column("likes_count", sa.Integer(), nullable=True),
        sa.Column("video_count", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        _account_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_snapshots_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            "ix_account_snapshots_account_taken", ["account_id", "taken_at"], unique=False
        )

    op.create_table(
        "bot_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("video_title", sa.Text(), nullable=False),
        sa.Column("comment_id", sa.String(length=32), nullable=False),
        sa.Column("reply_to_comment_id", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", storage.types.UTCDateTime(), nullable=True),
        _account_fk(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bot_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bot_comments_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            "ix_bot_comments_owner_created", ["telegram_user_id", "created_at"], unique=False
        )

    op.create_table(
        "pending_comments",
        sa.Column("telegram_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.String(length=32), nullable=False),
        sa.Column("video_title", sa.Text(), nullable=False),
        sa.Column("reply_to_comment_id", sa.String(length=32), nullable=True),
        sa.Column("reply_to_text", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        _account_fk(),
        sa.PrimaryKeyConstraint("telegram_user_id"),
    )
    with op.batch_alter_table("pending_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_comments_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_comments_account_id"))
    op.drop_table("pending_comments")
    with op.batch_alter_table("bot_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_bot_comments_owner_created")
        batch_op.drop_index(batch_op.f("ix_bot_comments_account_id"))
    op.drop_table("bot_comments")
    with op.batch_alter_table("account_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_account_snapshots_account_taken")
        batch_op.drop_index(batch_op.f("ix_account_snapshots_account_id"))
    op.drop_table("account_snapshots")
