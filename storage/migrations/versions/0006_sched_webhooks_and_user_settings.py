"""TikTok webhook deliveries and events; per-user settings (time zone)

Revision ID: sched01
Revises: 0007_creators
Create Date: 2026-12-01 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

# Named, not numbered: features built in parallel each add their own; this one
# follows main's head when it was merged (0007_creators).
revision = "sched01"
down_revision = "0007_creators"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tiktok_webhook_deliveries",
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("signed_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature"),
    )
    op.create_table(
        "tiktok_webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("open_id", sa.String(128), nullable=False),
        sa.Column("publish_id", sa.String(128), nullable=True),
        sa.Column("post_id", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("processed_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_key", name="uq_tiktok_webhook_events_key"),
    )
    with op.batch_alter_table("tiktok_webhook_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tiktok_webhook_events_open_id"), ["open_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tiktok_webhook_events_publish_id"), ["publish_id"], unique=False
        )
    op.create_table(
        "user_settings",
        sa.Column("telegram_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("awaiting", sa.String(64), nullable=True),
        sa.Column("awaiting_since", storage.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("telegram_user_id"),
    )


def downgrade() -> None:
    op.drop_table("user_settings")
    with op.batch_alter_table("tiktok_webhook_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tiktok_webhook_events_publish_id"))
        batch_op.drop_index(batch_op.f("ix_tiktok_webhook_events_open_id"))
    op.drop_table("tiktok_webhook_events")
    op.drop_table("tiktok_webhook_deliveries")
