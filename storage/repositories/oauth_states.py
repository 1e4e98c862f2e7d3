"""Pending OAuth states: random, single use, bound to a Telegram user, short-lived."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.crypto import TokenCipher
from storage.models import OAuthState
from storage.repositories.records import PendingLink


class StateProblem(StrEnum):
    """Why a state cannot be used."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class OAuthStateRepository:
    """Creates and consumes OAuth states."""

    def __init__(self, session: AsyncSession, cipher: TokenCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def create(
        self,
        *,
        state: str,
        telegram_user_id: int,
        chat_id: int,
        code_verifier: str,
        expires_at: datetime,
        relink_account_id: int | None = None,
    ) -> None:
        """Store a new pending link."""
        self._session.add(
            OAuthState(
                state=state,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                code_verifier_enc=self._cipher.encrypt(code_verifier),
                expires_at=expires_at,
                relink_account_id=relink_account_id,
            )
        )
        await self._session.flush()

    async def peek(self, state: str) -> OAuthState | None:
        """The row for `state` without consuming it (for error pages)."""
        return await self._session.get(OAuthState, state)

    async def consume(self, state: str, *, now: datetime) -> PendingLink | StateProblem:
        """Mark the state used, atomically; a second caller gets USED."""
        row = await self._session.get(OAuthState, state)
        if row is None:
            return StateProblem.UNKNOWN
        if row.used_at is not None:
            return StateProblem.USED
        if row.expires_at <= now:
            return StateProblem.EXPIRED
        # Conditional UPDATE: of two concurrent callbacks only one matches.
        result = await self._session.exec(
            update(OAuthState)
            .where(col(OAuthState.state) == state, col(OAuthState.used_at).is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            return StateProblem.USED
        return PendingLink(
            telegram_user_id=row.telegram_user_id,
            chat_id=row.chat_id,
            code_verifier=self._cipher.decrypt(row.code_verifier_enc),
            relink_account_id=row.relink_account_id,
        )

    async def claim_problem_notice(self, state: str, *, now: datetime) -> bool:
        """True once per state: whether its owner should hear about a refused hit."""
        result = await self._session.exec(
            update(OAuthState)
            .where(col(OAuthState.state) == state, col(OAuthState.problem_notified_at).is_(None))
            .values(problem_notified_at=now)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1

    async def purge_older_than(self, cutoff: datetime) -> None:
        """Forget states that expired before `cutoff`."""
        await self._session.exec(delete(OAuthState).where(col(OAuthState.expires_at) < cutoff))
