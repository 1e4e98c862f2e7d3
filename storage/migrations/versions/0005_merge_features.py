"""merge the publishing, insights and drafts branches

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-22 09:31:00

The three features were built in parallel, each branching from 0001; this
revision joins them so there is one head again (and `alembic revision
--autogenerate` works on a single head).
"""

from __future__ import annotations

revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: a merge point."""


def downgrade() -> None:
    """Nothing to change: a merge point."""
