"""Alembic environment: runs on a connection handed over by storage.db.

Used programmatically (start-up, `python -m bot db upgrade`) so migrations
share the application's async engine; see Database.upgrade.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from storage.tables import import_all_tables

import_all_tables()  # registers every feature's tables on SQLModel.metadata

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m bot db upgrade`")


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Render SQLModel's AutoString as plain sa.String so revisions do not
    # depend on sqlmodel internals.
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String({obj.length})" if obj.length else "sa.String()"
    return False


context.configure(
    render_item=_render_item,
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite needs batch mode for ALTER TABLE
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
