"""publishing: durable publish jobs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 08:54:34.199271
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publish_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("request_json", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("not_before", storage.types.UTCDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("inits", sa.Integer(), nullable=False),
        sa.Column("publish_id", sa.String(128), nullable=True),
        sa.Column("upload_url_enc", sa.Text(), nullable=True),
        sa.Column("upload_expires_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("video_size", sa.BigInteger(), nullable=True),
        sa.Column("chunk_size", sa.BigInteger(), nullable=True),
        sa.Column("content_type", sa.String(32), nullable=True),
        sa.Column("uploaded_bytes", sa.BigInteger(), nullable=False),
        sa.Column("media_token", sa.String(64), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("post_id", sa.String(32), nullable=True),
        sa.Column("share_url", sa.String(), nullable=True),
        sa.Column("outcome_code", sa.String(64), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("processing_since", storage.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("notified_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        # One job per draft: a double tap on Post cannot publish twice.
        sa.UniqueConstraint("draft_id", name="uq_publish_jobs_draft"),
    )
    with op.batch_alter_table("publish_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publish_jobs_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index("ix_publish_jobs_due", ["state", "not_before"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_publish_jobs_telegram_user_id"), ["telegram_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("publish_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publish_jobs_telegram_user_id"))
        batch_op.drop_index("ix_publish_jobs_due")
        batch_op.drop_index(batch_op.f("ix_publish_jobs_account_id"))
    op.drop_table("publish_jobs")
