"""Snapshots, comments written through the bot, pending comments, and posted video ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import column, delete, func, inspect, table, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.dialect import dialect_of
from storage.models import TikTokAccount
from storage.models_insights import AccountSnapshot, BotComment, PendingComment

ChartBucket = Literal["hour", "day"]


def _bucket(session: AsyncSession, per: ChartBucket, taken_at: Any) -> Any:
    """The UTC hour or day a snapshot falls in, as the database can group by it."""
    dialect = dialect_of(session)
    if dialect == "postgresql":
        return func.date_trunc(per, taken_at)  # naive UTC timestamps: no zone applies
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff": the hour is the first 13 characters.
    return func.substr(taken_at, 1, 13 if per == "hour" else 10)


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """An account's numbers at `taken_at` (None: not readable then)."""

    account_id: int
    taken_at: datetime
    follower_count: int | None
    following_count: int | None
    likes_count: int | None
    video_count: int | None


@dataclass(frozen=True, slots=True)
class BotCommentRecord:
    """A comment written through the bot."""

    id: int
    telegram_user_id: int
    account_id: int
    video_id: str
    video_title: str
    comment_id: str
    reply_to_comment_id: str | None
    text: str
    created_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True, slots=True)
class PendingCommentRecord:
    """A comment being written: `text` is None until the user sent it."""

    telegram_user_id: int
    chat_id: int
    account_id: int
    video_id: str
    video_title: str
    reply_to_comment_id: str | None
    reply_to_text: str | None
    text: str | None
    token: str
    expires_at: datetime


def _snapshot(row: AccountSnapshot) -> SnapshotRecord:
    return SnapshotRecord(
        account_id=row.account_id,
        taken_at=row.taken_at,
        follower_count=row.follower_count,
        following_count=row.following_count,
        likes_count=row.likes_count,
        video_count=row.video_count,
    )


def _comment(row: BotComment) -> BotCommentRecord:
    assert row.id is not None
    return BotCommentRecord(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        account_id=row.account_id,
        video_id=row.video_id,
        video_title=row.video_title,
        comment_id=row.comment_id,
        reply_to_comment_id=row.reply_to_comment_id,
        text=row.text,
        created_at=row.created_at,
        deleted_at=row.deleted_at,
    )


def _pending(row: PendingComment) -> PendingCommentRecord:
    return PendingCommentRecord(
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        account_id=row.account_id,
        video_id=row.video_id,
        video_title=row.video_title,
        reply_to_comment_id=row.reply_to_comment_id,
        reply_to_text=row.reply_to_text,
        text=row.text,
        token=row.token,
        expires_at=row.expires_at,
    )


class SnapshotRepository:
    """Reads and writes AccountSnapshot rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        account_id: int,
        *,
        taken_at: datetime,
        follower_count: int | None,
        following_count: int | None,
        likes_count: int | None,
        video_count: int | None,
        source: str,
    ) -> SnapshotRecord:
        """Store one snapshot."""
        row = AccountSnapshot(
            account_id=account_id,
            taken_at=taken_at,
            follower_count=follower_count,
            following_count=following_count,
            likes_count=likes_count,
            video_count=video_count,
            source=source,
        )
        self._session.add(row)
        await self._session.flush()
        return _snapshot(row)

    async def latest(self, account_id: int, *, source: str | None = None) -> SnapshotRecord | None:
        """The newest snapshot of the account (of one `source` when given), if any."""
        query = select(AccountSnapshot).where(col(AccountSnapshot.account_id) == account_id)
        if source is not None:
            query = query.where(col(AccountSnapshot.source) == source)
        row = (
            await self._session.exec(
                query.order_by(
                    col(AccountSnapshot.taken_at).desc(), col(AccountSnapshot.id).desc()
                ).limit(1)
            )
        ).first()
        return _snapshot(row) if row else None

    async def history(
        self, account_id: int, *, since: datetime, per: ChartBucket | None = None
    ) -> list[SnapshotRecord]:
        """Snapshots taken at or after `since`, oldest first; with `per`, each hour's or day's last.

        Hours and days are UTC. Thinning happens in the database, so someone
        who looks a thousand times a day reads one row per hour, not a thousand.
        """
        taken_at, row_id = col(AccountSnapshot.taken_at), col(AccountSnapshot.id)
        window = (col(AccountSnapshot.account_id) == account_id, taken_at >= since)
        if per is None:
            rows = await self._session.exec(
                select(AccountSnapshot).where(*window).order_by(taken_at, row_id)
            )
            return [_snapshot(r) for r in rows.all()]
        ranked = (
            sa_select(
                row_id.label("id"),
                func.row_number()
                .over(
                    partition_by=_bucket(self._session, per, taken_at),
                    order_by=(taken_at.desc(), row_id.desc()),
                )
                .label("rank"),
            )
            .where(*window)
            .subquery()
        )
        thinned = await self._session.exec(
            select(AccountSnapshot)
            .join(ranked, ranked.c.id == row_id)
            .where(ranked.c.rank == 1)
            .order_by(taken_at, row_id)
        )
        return [_snapshot(r) for r in thinned.all()]

    async def oldest(self, account_id: int, *, since: datetime) -> datetime | None:
        """When the first snapshot at or after `since` was taken, if there is one."""
        taken_at = col(AccountSnapshot.taken_at)
        first = await self._session.exec(
            select(func.min(taken_at)).where(
                col(AccountSnapshot.account_id) == account_id, taken_at >= since
            )
        )
        value = first.one()
        return _as_utc(value) if value is not None else None

    async def accounts_due(self, *, scope: str, taken_before: datetime) -> list[int]:
        """Linked, working accounts granting `scope` with no snapshot since `taken_before`."""
        last = (
            sa_select(
                col(AccountSnapshot.account_id).label("account_id"),
                func.max(AccountSnapshot.taken_at).label("taken_at"),
            )
            .group_by(col(AccountSnapshot.account_id))
            .subquery()
        )
        rows = await self._session.exec(
            select(col(TikTokAccount.id), col(TikTokAccount.scopes), last.c.taken_at)
            .outerjoin(last, last.c.account_id == TikTokAccount.id)
            .where(col(TikTokAccount.needs_relink).is_(False))
            .order_by(col(TikTokAccount.id))
        )
        due = []
        for account_id, scopes, taken_at in rows.all():
            granted = scope in str(scopes).split(",")
            if (
                granted
                and account_id is not None
                and (taken_at is None or _as_utc(taken_at) < taken_before)
            ):
                due.append(int(account_id))
        return due


def _as_utc(value: datetime) -> datetime:
    # An aggregate over a UTC column may come back naive from SQLite.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class BotCommentRepository:
    """Reads and writes BotComment rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        telegram_user_id: int,
        account_id: int,
        video_id: str,
        video_title: str,
        comment_id: str,
        reply_to_comment_id: str | None,
        text: str,
        created_at: datetime,
    ) -> BotCommentRecord:
        """Remember a comment TikTok accepted."""
        row = BotComment(
            telegram_user_id=telegram_user_id,
            account_id=account_id,
            video_id=video_id,
            video_title=video_title,
            comment_id=comment_id,
            reply_to_comment_id=reply_to_comment_id,
            text=text,
            created_at=created_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _comment(row)

    async def get_owned(
        self, telegram_user_id: int, comment_row_id: int
    ) -> BotCommentRecord | None:
        """The comment if `telegram_user_id` wrote it through the bot, else None."""
        row = await self._session.get(BotComment, comment_row_id)
        if row is None or row.telegram_user_id != telegram_user_id:
            return None
        return _comment(row)

    async def recent(self, telegram_user_id: int, *, limit: int = 10) -> list[BotCommentRecord]:
        """The user's live (not deleted) comments, newest first."""
        rows = await self._session.exec(
            select(BotComment)
            .where(
                col(BotComment.telegram_user_id) == telegram_user_id,
                col(BotComment.deleted_at).is_(None),
            )
            .order_by(col(BotComment.created_at).desc(), col(BotComment.id).desc())
            .limit(limit)
        )
        return [_comment(r) for r in rows.all()]

    async def mark_deleted(self, comment_row_id: int, when: datetime) -> bool:
        """Flag the comment deleted; False if it already was (a second tap)."""
        result = await self._session.exec(
            update(BotComment)
            .where(col(BotComment.id) == comment_row_id, col(BotComment.deleted_at).is_(None))
            .values(deleted_at=when)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


class PendingCommentRepository:
    """The one comment each user may be writing."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, telegram_user_id: int) -> PendingCommentRecord | None:
        """The user's pending comment, expired or not."""
        row = await self._session.get(PendingComment, telegram_user_id)
        return _pending(row) if row else None

    async def put(
        self,
        *,
        telegram_user_id: int,
        chat_id: int,
        account_id: int,
        video_id: str,
        video_title: str,
        reply_to_comment_id: str | None,
        reply_to_text: str | None,
        text: str | None,
        token: str,
        created_at: datetime,
        expires_at: datetime,
    ) -> PendingCommentRecord:
        """Start (or restart) the user's pending comment, replacing any other."""
        row = await self._session.get(PendingComment, telegram_user_id)
        if row is None:
            row = PendingComment(
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                account_id=account_id,
                video_id=video_id,
                token=token,
                expires_at=expires_at,
            )
        row.chat_id, row.account_id, row.video_id = chat_id, account_id, video_id
        row.video_title = video_title
        row.reply_to_comment_id, row.reply_to_text = reply_to_comment_id, reply_to_text
        row.text, row.token = text, token
        row.created_at, row.expires_at = created_at, expires_at
        self._session.add(row)
        await self._session.flush()
        return _pending(row)

    async def set_text(
        self, telegram_user_id: int, *, text: str, token: str, expires_at: datetime
    ) -> PendingCommentRecord | None:
        """Store the text under a new token (older previews' buttons go stale)."""
        row = await self._session.get(PendingComment, telegram_user_id)
        if row is None:
            return None
        row.text, row.token, row.expires_at = text, token, expires_at
        self._session.add(row)
        await self._session.flush()
        return _pending(row)

    async def swap_token(self, telegram_user_id: int, *, expected: str, new: str) -> bool:
        """Replace the token only if it is still `expected` (one of two taps wins)."""
        result = await self._session.exec(
            update(PendingComment)
            .where(
                col(PendingComment.telegram_user_id) == telegram_user_id,
                col(PendingComment.token) == expected,
            )
            .values(token=new)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def delete(self, telegram_user_id: int, *, token: str | None = None) -> bool:
        """Forget the pending comment (only if it still has `token`, when given)."""
        statement = delete(PendingComment).where(
            col(PendingComment.telegram_user_id) == telegram_user_id
        )
        if token is not None:
            statement = statement.where(col(PendingComment.token) == token)
        result = await self._session.exec(statement)
        return result.rowcount == 1


# The publishing feature's table, named here without importing its model so that
# /stats keeps working whatever else that table grows (see PublishedPostsRepository).
_PUBLISH_JOBS = table("publish_jobs", column("account_id"), column("post_id"), column("created_at"))


class PublishedPostsRepository:
    """Video ids of posts the bot published, read from the publishing feature's table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def table_exists(self) -> bool:
        """Whether the publishing migration has created its table yet."""
        connection = await self._session.connection()

        def check(sync: Connection) -> bool:
            return inspect(sync).has_table("publish_jobs")

        return await connection.run_sync(check)

    async def video_ids(self, account_id: int, *, limit: int) -> list[str]:
        """Post ids TikTok gave the account's published jobs, newest first."""
        rows = await self._session.exec(
            select(_PUBLISH_JOBS.c.post_id)
            .where(
                _PUBLISH_JOBS.c.account_id == account_id,
                _PUBLISH_JOBS.c.post_id.is_not(None),
            )
            .order_by(_PUBLISH_JOBS.c.created_at.desc())
            .limit(limit)
        )
        return list(dict.fromkeys(str(post_id) for post_id in rows.all() if post_id))
