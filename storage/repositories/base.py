"""A typed generic repository base: the add/get/update boilerplate, once.

Repositories flush, never commit: the unit of work around them (one update,
one job step) decides (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlmodel import SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.types import utcnow

Row = TypeVar("Row", bound=SQLModel)


def rowcount(result: Any) -> int:
    """How many rows an UPDATE matched."""
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


class Repository(Generic[Row]):
    """Rows of one table in the caller's session."""

    model: type[Row]

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _add(self, row: Row) -> Row:
        """Insert `row` and flush, so it has its id."""
        self._session.add(row)
        await self._session.flush()
        return row

    async def _row(self, row_id: int, *, for_update: bool = False) -> Row | None:
        """One row by primary key (locked FOR UPDATE where the backend can)."""
        return await self._session.get(self.model, row_id, with_for_update=for_update)

    async def _save(self, row: Row, **values: Any) -> Row:
        """Set `values` on a loaded row (and its updated_at), then flush."""
        for name, value in values.items():
            if name not in type(row).model_fields:
                raise AttributeError(name)
            setattr(row, name, value)
        if "updated_at" in type(row).model_fields:
            row.updated_at = utcnow()
        self._session.add(row)
        await self._session.flush()
        return row

    async def _update_where(self, *conditions: Any, **values: Any) -> int:
        """One conditional UPDATE; returns how many rows matched."""
        table: Any = self.model
        if "updated_at" in self.model.model_fields and "updated_at" not in values:
            values["updated_at"] = utcnow()
        result = await self._session.exec(
            update(table)
            .where(*conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    def _id(self) -> Any:
        """The primary key column, for conditions."""
        return col(self.model.id)  # type: ignore[attr-defined]
