"""TikTok webhook deliveries (replay guard) and events (stored once each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models_publishing import PublishJob
from storage.models_webhooks import WebhookDelivery, WebhookEvent
from storage.types import utcnow


@dataclass(frozen=True, slots=True)
class WebhookEventRecord:
    """A stored TikTok event."""

    id: int
    event: str
    open_id: str
    publish_id: str | None
    post_id: str | None
    reason: str | None
    created_at: datetime
    processed_at: datetime | None


def _record(row: WebhookEvent) -> WebhookEventRecord:
    assert row.id is not None
    return WebhookEventRecord(
        id=row.id,
        event=row.event,
        open_id=row.open_id,
        publish_id=row.publish_id,
        post_id=row.post_id,
        reason=row.reason,
        created_at=row.created_at,
        processed_at=row.processed_at,
    )


class WebhookRepository:
    """Reads and writes the webhook tables; flushes, never commits.

    Two requests racing with the same signature or event both pass the
    look-up; the unique keys make one commit fail, and the caller treats that
    as "seen".
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def remember_delivery(self, signature: str, signed_at: datetime) -> bool:
        """Record a signature; False when it was seen before (a replay)."""
        if await self._session.get(WebhookDelivery, signature) is not None:
            return False
        self._session.add(WebhookDelivery(signature=signature, signed_at=signed_at))
        await self._session.flush()
        return True

    async def forget_deliveries_before(self, moment: datetime) -> None:
        """Drop signatures older than `moment` (stale ones are refused anyway)."""
        await self._session.exec(
            delete(WebhookDelivery).where(col(WebhookDelivery.signed_at) < moment)
        )

    async def add_event(
        self,
        *,
        event_key: str,
        event: str,
        open_id: str,
        publish_id: str | None,
        post_id: str | None,
        reason: str | None,
        created_at: datetime,
    ) -> int | None:
        """Store an event; None when one with the same key is stored already."""
        existing = await self._session.exec(
            select(WebhookEvent.id).where(WebhookEvent.event_key == event_key)
        )
        if existing.first() is not None:
            return None
        row = WebhookEvent(
            event_key=event_key,
            event=event,
            open_id=open_id,
            publish_id=publish_id,
            post_id=post_id,
            reason=reason,
            created_at=created_at,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, event_id: int) -> WebhookEventRecord | None:
        """One event by id."""
        row = await self._session.get(WebhookEvent, event_id)
        return _record(row) if row is not None else None

    async def for_publish(self, publish_id: str) -> list[WebhookEventRecord]:
        """Every event about one publish_id, in arrival order."""
        rows = await self._session.exec(
            select(WebhookEvent)
            .where(WebhookEvent.publish_id == publish_id)
            .order_by(col(WebhookEvent.id))
        )
        return [_record(r) for r in rows.all()]

    async def unprocessed(self, *, limit: int = 100) -> list[WebhookEventRecord]:
        """Events whose effects were not done (a crash right after answering TikTok)."""
        rows = await self._session.exec(
            select(WebhookEvent)
            .where(col(WebhookEvent.processed_at).is_(None))
            .order_by(col(WebhookEvent.id))
            .limit(limit)
        )
        return [_record(r) for r in rows.all()]

    async def mark_processed(self, event_id: int, when: datetime) -> bool:
        """Claim the event's effects; False when another worker already did them."""
        result = await self._session.exec(
            update(WebhookEvent)
            .where(col(WebhookEvent.id) == event_id, col(WebhookEvent.processed_at).is_(None))
            .values(processed_at=when)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def give_link(self, job_id: int, *, post_id: str, url: str) -> bool:
        """Store a late link on a finished, published job that has none; whether it did."""
        result = await self._session.exec(
            update(PublishJob)
            .where(
                col(PublishJob.id) == job_id,
                col(PublishJob.state) == "published",
                col(PublishJob.share_url).is_(None),
            )
            .values(post_id=post_id, share_url=url, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
