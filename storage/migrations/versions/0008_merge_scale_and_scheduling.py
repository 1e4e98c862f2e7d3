"""merge the scale-out tables with scheduling, webhooks and creator watches

Revision ID: 0008
Revises: sched01, 0007_cluster
Create Date: 2026-12-01 10:50:00

Both lines grew from 0006 in parallel; this revision joins them so there is
one head again.
"""

from __future__ import annotations

revision = "0008"
down_revision = ("sched01", "0007_cluster")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: a merge point."""


def downgrade() -> None:
    """Nothing to change: a merge point."""
