"""Autogenerate an Alembic revision from the SQLModel tables.

Usage: .venv/bin/python scripts/new_migration.py "what changed" 0002
It upgrades a scratch SQLite database to head, diffs it against the models
and writes storage/migrations/versions/<rev>_<message>.py for review.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from storage.db import alembic_config


def main() -> None:
    """Write a new revision file."""
    message, rev_id = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        with engine.begin() as connection:
            config = alembic_config(connection)
            command.upgrade(config, "head")
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    main()
