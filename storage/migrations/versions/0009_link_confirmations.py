"""link confirmations; used/expired states notify once

A finished TikTok sign-in waits in link_confirmations until the Telegram user
who asked enters the code its page shows (both ends confirm).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:17:38.520114
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_token_hash", sa.String(64), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(2), nullable=False),
        sa.Column("account_label", sa.String(), nullable=False),
        sa.Column("grant_enc", sa.String(), nullable=False),
        sa.Column("relink_account_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("link_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_link_confirmations_page_token_hash"), ["page_token_hash"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_link_confirmations_telegram_user_id"), ["telegram_user_id"], unique=False
        )

    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("problem_notified_at", storage.types.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.drop_column("problem_notified_at")

    with op.batch_alter_table("link_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_confirmations_telegram_user_id"))
        batch_op.drop_index(batch_op.f("ix_link_confirmations_page_token_hash"))

    op.drop_table("link_confirmations")
