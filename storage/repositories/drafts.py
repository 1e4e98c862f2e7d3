"""Composer drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_drafts import Draft
from storage.types import utcnow

# Draft statuses: COLLECTING (album items still arriving), OPEN (composer
# shown or waiting for a linked account), SUBMITTED (handed to publishing),
# CANCELLED.
COLLECTING, OPEN, SUBMITTED, CANCELLED = "collecting", "open", "submitted", "cancelled"


@dataclass(slots=True)
class DraftRecord:
    """A draft as services see it; `media` is a list of plain dicts."""

    id: int
    telegram_user_id: int
    chat_id: int
    account_id: int | None
    kind: str
    status: str
    media_group_id: str | None
    media: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "direct"
    title: str = ""
    description: str = ""
    privacy_level: str | None = None
    allow_comment: bool = False
    allow_duet: bool = False
    allow_stitch: bool = False
    is_aigc: bool = False
    disclose: bool = False
    brand_organic: bool = False
    brand_content: bool = False
    cover_index: int = 0
    awaiting: str | None = None
    composer_message_id: int | None = None
    creator: dict[str, Any] | None = None
    job_id: int | None = None
    updated_at: datetime | None = None


_COPIED = [f.name for f in fields(DraftRecord) if f.name not in {"media", "creator", "updated_at"}]


def _record(row: Draft) -> DraftRecord:
    values = {name: getattr(row, name) for name in _COPIED}
    return DraftRecord(
        **values,
        media=json.loads(row.media_json),
        creator=json.loads(row.creator_json) if row.creator_json else None,
        updated_at=row.updated_at,
    )


class DraftRepository:
    """Reads and writes Draft rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        kind: str,
        status: str,
        media: list[dict[str, Any]],
        account_id: int | None,
        media_group_id: str | None = None,
        title: str = "",
    ) -> DraftRecord:
        """Insert a new draft."""
        row = Draft(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            kind=kind,
            status=status,
            media_json=json.dumps(media),
            account_id=account_id,
            media_group_id=media_group_id,
            title=title,
        )
        self._session.add(row)
        await self._session.flush()
        return _record(row)

    async def get(self, draft_id: int) -> DraftRecord | None:
        """A draft by id."""
        row = await self._session.get(Draft, draft_id)
        return _record(row) if row else None

    async def by_media_group(
        self, telegram_user_id: int, media_group_id: str
    ) -> DraftRecord | None:
        """The draft collecting this album, if any."""
        row = (
            await self._session.exec(
                select(Draft).where(
                    Draft.telegram_user_id == telegram_user_id,
                    Draft.media_group_id == media_group_id,
                )
            )
        ).first()
        return _record(row) if row else None

    async def latest(
        self, telegram_user_id: int, *, status: str, kind: str | None = None
    ) -> DraftRecord | None:
        """The user's newest draft in `status` (and of `kind`)."""
        query = select(Draft).where(
            Draft.telegram_user_id == telegram_user_id, Draft.status == status
        )
        if kind is not None:
            query = query.where(Draft.kind == kind)
        row = (await self._session.exec(query.order_by(col(Draft.id).desc()))).first()
        return _record(row) if row else None

    async def with_status(self, status: str) -> list[DraftRecord]:
        """Every user's drafts in `status` (start-up recovery)."""
        rows = await self._session.exec(select(Draft).where(Draft.status == status))
        return [_record(r) for r in rows.all()]

    async def awaiting_text(self, telegram_user_id: int) -> DraftRecord | None:
        """The user's open draft waiting for typed text, if any."""
        row = (
            await self._session.exec(
                select(Draft)
                .where(
                    Draft.telegram_user_id == telegram_user_id,
                    Draft.status == OPEN,
                    col(Draft.awaiting).is_not(None),
                )
                .order_by(col(Draft.updated_at).desc())
            )
        ).first()
        return _record(row) if row else None

    async def open_without_account(self, telegram_user_id: int) -> list[DraftRecord]:
        """Drafts kept while the user had no linked account."""
        rows = await self._session.exec(
            select(Draft).where(
                Draft.telegram_user_id == telegram_user_id,
                Draft.status == OPEN,
                col(Draft.account_id).is_(None),
            )
        )
        return [_record(r) for r in rows.all()]

    async def update(self, draft_id: int, **changes: Any) -> DraftRecord:
        """Set only the given fields, so concurrent steps on one draft (a tap
        while the composer message id is being stored) never undo each other."""
        row = await self._session.get(Draft, draft_id, with_for_update=True)
        if row is None:
            raise LookupError(f"draft {draft_id} is gone")
        for name, value in changes.items():
            if name == "media":
                row.media_json = json.dumps(value)
            elif name == "creator":
                row.creator_json = json.dumps(value) if value is not None else None
            elif name in _COPIED and name != "id":
                setattr(row, name, value)
            else:
                raise AttributeError(name)
        row.updated_at = utcnow()
        self._session.add(row)
        await self._session.flush()
        return _record(row)

    async def transition(self, draft_id: int, *, from_status: str, to_status: str) -> bool:
        """Move a draft between statuses atomically; False if someone else moved it first."""
        result = await self._session.exec(
            update(Draft)
            .where(col(Draft.id) == draft_id, col(Draft.status) == from_status)
            .values(status=to_status, awaiting=None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1
