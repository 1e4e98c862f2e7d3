"""Composer drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.models_drafts import Draft
from storage.repositories.base import Repository

# Draft statuses: COLLECTING (album items still arriving), OPEN (composer
# shown or waiting for a linked account), SUBMITTED (handed to publishing),
# CANCELLED.
COLLECTING, OPEN, SUBMITTED, CANCELLED = "collecting", "open", "submitted", "cancelled"


@dataclass(frozen=True, slots=True)
class DraftRow:
    """A draft as services see it: the choices as their stored document.

    The domain reads `choices_json` with PostChoices.from_json (validated);
    storage does not interpret it.
    """

    id: int
    telegram_user_id: int
    chat_id: int
    account_id: int | None
    kind: str
    status: str
    media_group_id: str | None
    media: list[dict[str, Any]] = field(default_factory=list)
    choices_json: str = "{}"
    awaiting: str | None = None
    composer_message_id: int | None = None
    creator: dict[str, Any] | None = None
    job_id: int | None = None
    updated_at: datetime | None = None


_PLAIN = ("kind", "account_id", "choices_json", "awaiting", "composer_message_id", "job_id")


def _record(row: Draft) -> DraftRow:
    assert row.id is not None
    return DraftRow(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        account_id=row.account_id,
        kind=row.kind,
        status=row.status,
        media_group_id=row.media_group_id,
        media=json.loads(row.media_json),
        choices_json=row.choices_json,
        awaiting=row.awaiting,
        composer_message_id=row.composer_message_id,
        creator=json.loads(row.creator_json) if row.creator_json else None,
        job_id=row.job_id,
        updated_at=row.updated_at,
    )


class DraftRepository(Repository[Draft]):
    """Reads and writes Draft rows; flushes, never commits."""

    model = Draft

    async def create(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        kind: str,
        status: str,
        media: list[dict[str, Any]],
        choices_json: str,
        account_id: int | None,
        media_group_id: str | None = None,
    ) -> DraftRow:
        """Insert a new draft."""
        row = await self._add(
            Draft(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                kind=kind,
                status=status,
                media_json=json.dumps(media),
                choices_json=choices_json,
                account_id=account_id,
                media_group_id=media_group_id,
            )
        )
        return _record(row)

    async def get(self, draft_id: int) -> DraftRow | None:
        """A draft by id."""
        row = await self._row(draft_id)
        return _record(row) if row else None

    async def by_media_group(self, telegram_user_id: int, media_group_id: str) -> DraftRow | None:
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
    ) -> DraftRow | None:
        """The user's newest draft in `status` (and of `kind`)."""
        query = select(Draft).where(
            Draft.telegram_user_id == telegram_user_id, Draft.status == status
        )
        if kind is not None:
            query = query.where(Draft.kind == kind)
        row = (await self._session.exec(query.order_by(col(Draft.id).desc()))).first()
        return _record(row) if row else None

    async def with_status(self, status: str) -> list[DraftRow]:
        """Every user's drafts in `status` (start-up recovery)."""
        rows = await self._session.exec(select(Draft).where(Draft.status == status))
        return [_record(r) for r in rows.all()]

    async def awaiting_text(self, telegram_user_id: int) -> DraftRow | None:
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

    async def open_without_account(self, telegram_user_id: int) -> list[DraftRow]:
        """Drafts kept while the user had no linked account."""
        rows = await self._session.exec(
            select(Draft).where(
                Draft.telegram_user_id == telegram_user_id,
                Draft.status == OPEN,
                col(Draft.account_id).is_(None),
            )
        )
        return [_record(r) for r in rows.all()]

    async def update(self, draft_id: int, **changes: Any) -> DraftRow:
        """Set only the given fields, so concurrent steps on one draft (a tap
        while the composer message id is being stored) never undo each other."""
        row = await self._row(draft_id, for_update=True)
        if row is None:
            raise LookupError(f"draft {draft_id} is gone")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "media":
                values["media_json"] = json.dumps(value)
            elif name == "creator":
                values["creator_json"] = json.dumps(value) if value is not None else None
            elif name in _PLAIN:
                values[name] = value
            else:
                raise AttributeError(name)
        return _record(await self._save(row, **values))

    async def transition(self, draft_id: int, *, from_status: str, to_status: str) -> bool:
        """Move a draft between statuses atomically; False if someone else moved it first."""
        matched = await self._update_where(
            col(Draft.id) == draft_id,
            col(Draft.status) == from_status,
            status=to_status,
            awaiting=None,
        )
        return matched == 1
