"""creators: watched creators, their daily snapshots, alerts sent

Revision ID: 0007_creators
Revises: 0006
Create Date: 2026-12-01 09:30:00.000000

Written on 0005, moved onto the reshaped core's 0006 when this branch
adopted it. The id names the feature so it cannot collide with another
branch's 0007.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0007_creators"
down_revision = "0006"
branch_labels = None
depends_on = None


def _watch_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["watch_id"], ["creator_watches.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "creator_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("sec_uid", sa.String(length=128), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("nickname", sa.String(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("telegram_user_id", "sec_uid", name="uq_creator_watch"),
    )
    with op.batch_alter_table("creator_watches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_creator_watches_telegram_user_id"), ["telegram_user_id"], unique=False
        )
    op.create_table(
        "creator_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("taken_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=True),
        sa.Column("following", sa.Integer(), nullable=True),
        sa.Column("likes", sa.Integer(), nullable=True),
        sa.Column("videos", sa.Integer(), nullable=True),
        sa.Column("median_views", sa.Integer(), nullable=True),
        _watch_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("watch_id", "day", name="uq_creator_snapshot_day"),
    )
    with op.batch_alter_table("creator_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_creator_snapshots_watch_id"), ["watch_id"], unique=False
        )
    op.create_table(
        "creator_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("aweme_id", sa.String(length=32), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("median_views", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        _watch_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("watch_id", "aweme_id", name="uq_creator_alert_video"),
    )
    with op.batch_alter_table("creator_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_creator_alerts_watch_id"), ["watch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("creator_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creator_alerts_watch_id"))
    op.drop_table("creator_alerts")
    with op.batch_alter_table("creator_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creator_snapshots_watch_id"))
    op.drop_table("creator_snapshots")
    with op.batch_alter_table("creator_watches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creator_watches_telegram_user_id"))
    op.drop_table("creator_watches")
