"""Sign-ins waiting for the requester's code: create, read, settle once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import TokenCipher
from storage.models_linking import LinkConfirmation


def _hash(page_token: str) -> str:
    return hashlib.sha256(page_token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ConfirmationRecord:
    """A pending (or settled) sign-in; `payload` is the decrypted grant and profile."""

    id: int
    telegram_user_id: int
    chat_id: int
    code: str
    account_label: str
    payload: str
    relink_account_id: int | None
    status: str
    expires_at: datetime


class LinkConfirmationRepository:
    """Stores sign-ins until both ends agree; every settle is a conditional UPDATE."""

    def __init__(self, session: AsyncSession, cipher: TokenCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def create(
        self,
        *,
        page_token: str,
        telegram_user_id: int,
        chat_id: int,
        code: str,
        account_label: str,
        payload: str,
        relink_account_id: int | None,
        expires_at: datetime,
    ) -> int:
        """Store a pending sign-in; returns its id."""
        row = LinkConfirmation(
            page_token_hash=_hash(page_token),
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            code=code,
            account_label=account_label,
            grant_enc=self._cipher.encrypt(payload),
            relink_account_id=relink_account_id,
            expires_at=expires_at,
        )
        self._session.add(row)
        await self._session.flush()
        assert row.id is not None
        return row.id

    async def get(self, confirmation_id: int) -> ConfirmationRecord | None:
        """The sign-in with this id, if any."""
        row = await self._session.get(LinkConfirmation, confirmation_id)
        return self._record(row) if row is not None else None

    async def by_page_token(self, page_token: str) -> ConfirmationRecord | None:
        """The sign-in a browser page shows."""
        rows = await self._session.exec(
            select(LinkConfirmation).where(
                col(LinkConfirmation.page_token_hash) == _hash(page_token)
            )
        )
        row = rows.first()
        return self._record(row) if row is not None else None

    async def settle(self, confirmation_id: int, status: str) -> bool:
        """Move a pending sign-in to `status`; False when someone settled it first."""
        result = await self._session.exec(
            update(LinkConfirmation)
            .where(
                col(LinkConfirmation.id) == confirmation_id,
                col(LinkConfirmation.status) == "pending",
            )
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1

    async def purge_older_than(self, cutoff: datetime) -> None:
        """Forget sign-ins that expired before `cutoff`."""
        await self._session.exec(
            delete(LinkConfirmation).where(col(LinkConfirmation.expires_at) < cutoff)
        )

    def _record(self, row: LinkConfirmation) -> ConfirmationRecord:
        assert row.id is not None
        return ConfirmationRecord(
            id=row.id,
            telegram_user_id=row.telegram_user_id,
            chat_id=row.chat_id,
            code=row.code,
            account_label=row.account_label,
            payload=self._cipher.decrypt(row.grant_enc),
            relink_account_id=row.relink_account_id,
            status=row.status,
            expires_at=row.expires_at,
        )
