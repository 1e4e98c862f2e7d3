"""cluster tables: leases for periodic jobs, shared rate budgets, albums, media blobs

Revision ID: 0007_cluster
Revises: 0006
Create Date: 2026-12-01 09:18:26.803906
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0007_cluster"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables several processes coordinate through."""
    op.create_table(
        "albums",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("media_group_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_item_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("finished_by", sa.String(64), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("telegram_user_id", "media_group_id", name="uq_albums_user_group"),
    )
    with op.batch_alter_table("albums", schema=None) as batch_op:
        batch_op.create_index("ix_albums_status", ["status"], unique=False)

    op.create_table(
        "cluster_leases",
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("job", "period"),
    )
    op.create_table(
        "media_blobs",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("name", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", "name"),
    )
    op.create_table(
        "rate_budgets",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "album_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("album_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("media_json", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("arrived_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["album_id"],
            ["albums.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("album_id", "message_id", name="uq_album_items_message"),
    )
    with op.batch_alter_table("album_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_album_items_album_id"), ["album_id"], unique=False)


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("album_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_album_items_album_id"))

    op.drop_table("album_items")
    op.drop_table("rate_budgets")
    op.drop_table("media_blobs")
    op.drop_table("cluster_leases")
    with op.batch_alter_table("albums", schema=None) as batch_op:
        batch_op.drop_index("ix_albums_status")

    op.drop_table("albums")
