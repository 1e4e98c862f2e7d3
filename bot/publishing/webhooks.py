"""TikTok webhooks, the domain side: verify, store once, then act.

A delivery is accepted only with a valid `TikTok-Signature` made within the
tolerance, and only once per signature (a replayed request is refused). The
event is then stored under a key of what identifies it, so TikTok's retries
and duplicates (delivery is at least once) are answered 200 and do nothing.
The effects run after the answer:

- publish events are the outcome of a publish; the run waiting on it reads
  them (`publish_status`) and finishes the job: the link goes out as soon as
  the event arrives;
- `authorization.removed` marks every link of that TikTok account as needing
  a re-link, cancels its posts that have not started, and tells the owners;
- `post.publish.no_longer_publicaly_available` tells the owner.

Events whose effects a crash interrupted are redone at start-up.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.clock import Clock
from bot.publishing.requests import PublishRequest
from bot.publishing.webhook_signals import PublishSignals
from bot.scheduling.captions import caption_of, shorten
from bot.tiktok import PublishStatus
from bot.tiktok.signature import TOLERANCE_SECONDS, SignatureProblem, SignatureRefused, verify
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository
from storage.repositories.publish_jobs import PublishJobRepository
from storage.repositories.scheduled_posts import ScheduledPost, ScheduledPostRepository
from storage.repositories.webhooks import WebhookEventRecord, WebhookRepository

log = logging.getLogger(__name__)

PUBLISH_COMPLETE = "post.publish.complete"
PUBLISH_FAILED = "post.publish.failed"
INBOX_DELIVERED = "post.publish.inbox_delivered"
PUBLICLY_AVAILABLE = "post.publish.publicly_available"
NO_LONGER_PUBLIC = "post.publish.no_longer_publicaly_available"  # TikTok's spelling
AUTHORIZATION_REMOVED = "authorization.removed"
PUBLISH_EVENTS = frozenset(
    {PUBLISH_COMPLETE, PUBLISH_FAILED, INBOX_DELIVERED, PUBLICLY_AVAILABLE, NO_LONGER_PUBLIC}
)
PUBLISHED = "published"  # JobState.PUBLISHED, as stored


def share_url(username: str, post_id: str) -> str:
    """A post's public link, as TikTok builds it."""
    return f"https://www.tiktok.com/@{username}/video/{post_id}"


# The outcome code of a post cancelled because its account was disconnected.
AUTHORIZATION_REMOVED_CODE = "authorization_removed"


class Verdict(StrEnum):
    """What became of one delivery."""

    ACCEPTED = "accepted"  # new event, stored; effects follow
    DUPLICATE = "duplicate"  # a retry of a stored event: nothing to do
    UNSIGNED = "unsigned"  # no valid signature: not TikTok
    STALE = "stale"  # signed too long ago (or in the future)
    REPLAY = "replay"  # this exact signed request was accepted before
    UNREADABLE = "unreadable"  # signed, but not an event we can read
    STOPPING = "stopping"  # this process is shutting down: TikTok will deliver again

    @property
    def refused(self) -> bool:
        """Whether the delivery is turned away."""
        return self not in (Verdict.ACCEPTED, Verdict.DUPLICATE)


@dataclass(frozen=True, slots=True)
class Receipt:
    """The verdict on a delivery and, when accepted, the stored event's id."""

    verdict: Verdict
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class CancelledPost:
    """A post that will not go out: what it was and when it was due."""

    kind: str
    caption_start: str
    due: datetime
    chat_id: int
    progress_message_id: int | None  # its own "will be posted at …" message


@dataclass(frozen=True, slots=True)
class AccountDisconnected:
    """The TikTok account removed this bot's access: tell the Telegram user who linked it."""

    telegram_user_id: int
    account_label: str
    cancelled: tuple[CancelledPost, ...]


@dataclass(frozen=True, slots=True)
class PostNoLongerPublic:
    """A post made through the bot left the public profile."""

    telegram_user_id: int
    chat_id: int
    account_label: str
    kind: str
    share_url: str | None


@dataclass(frozen=True, slots=True)
class PostNowPublic:
    """A post that ended without a link (it was private, or TikTok was slow) is public now."""

    telegram_user_id: int
    chat_id: int
    account_label: str
    kind: str
    share_url: str


Notice = AccountDisconnected | PostNoLongerPublic | PostNowPublic
NoticeSink = Callable[[Notice], Awaitable[None]]


def event_key(payload: dict[str, Any]) -> str:
    """What identifies an event across TikTok's retries (not the signature, which changes)."""
    parts = [
        str(payload.get(name, ""))
        for name in ("client_key", "event", "user_openid", "create_time", "content")
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def caption_start(job: ScheduledPost) -> str:
    """The first words of a job's caption, for lists."""
    return shorten(caption_of(PublishRequest.from_json(job.request_json)))


@dataclass(frozen=True, slots=True)
class _Parsed:
    event: str
    open_id: str
    created_at: datetime
    publish_id: str | None
    post_id: str | None
    reason: str | None


def _parse(payload: dict[str, Any]) -> _Parsed:
    event, open_id = payload.get("event"), payload.get("user_openid")
    if not isinstance(event, str) or not event or not isinstance(open_id, str):
        raise ValueError("event and user_openid are required")
    raw_content = payload.get("content") or "{}"
    content = json.loads(raw_content) if isinstance(raw_content, str) else raw_content
    if not isinstance(content, dict):
        raise ValueError("content is not an object")
    created = payload.get("create_time")
    created_at = (
        datetime.fromtimestamp(int(created), UTC)
        if isinstance(created, int | str) and str(created).isdigit()
        else datetime.now(UTC)
    )

    def text(name: str) -> str | None:
        value = content.get(name)
        return str(value) if value not in (None, "") else None

    return _Parsed(
        event=event,
        open_id=open_id,
        created_at=created_at,
        publish_id=text("publish_id"),
        post_id=text("post_id"),
        reason=text("reason") or text("fail_reason"),
    )


def status_from_events(events: list[WebhookEventRecord]) -> PublishStatus | None:
    """What the events say about a publish, in status/fetch's terms (None: nothing yet)."""
    names = {e.event: e for e in events}
    if PUBLISH_FAILED in names:
        return _status("FAILED", fail_reason=names[PUBLISH_FAILED].reason or "internal")
    if INBOX_DELIVERED in names:
        return _status("SEND_TO_USER_INBOX")
    public = names.get(PUBLICLY_AVAILABLE)
    if public is not None and public.post_id:
        return _status("PUBLISH_COMPLETE", post_ids=(public.post_id,))
    if PUBLISH_COMPLETE in names:
        return _status("PUBLISH_COMPLETE")
    return None


def _status(
    status: str, *, fail_reason: str | None = None, post_ids: tuple[str, ...] = ()
) -> PublishStatus:
    return PublishStatus(
        status=status,
        fail_reason=fail_reason,
        uploaded_bytes=0,
        downloaded_bytes=0,
        post_ids=post_ids,
        share_url=None,
    )


class WebhookService:
    """Receives TikTok's webhook deliveries and carries out what they say."""

    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        clock: Clock,
        client_secret: str,
        tolerance: float = TOLERANCE_SECONDS,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._secret = client_secret
        self._tolerance = tolerance
        self.signals = PublishSignals()
        self._notices: NoticeSink | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = False

    def connect(self, notices: NoticeSink) -> None:
        """Give the service its Telegram side (who renders and sends notices)."""
        self._notices = notices

    # -- receiving -------------------------------------------------------------

    async def receive(self, body: bytes, signature: str | None) -> Receipt:
        """Verify and store one delivery; the caller answers TikTok from the verdict."""
        if self._stopped:
            return Receipt(Verdict.STOPPING)
        now = self._clock()
        try:
            signed = verify(
                signature,
                body,
                secret=self._secret,
                now=now.timestamp(),
                tolerance=self._tolerance,
            )
        except SignatureRefused as refused:
            stale = refused.problem is SignatureProblem.STALE
            return Receipt(Verdict.STALE if stale else Verdict.UNSIGNED)
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
            parsed = _parse(payload)
        except ValueError:
            return Receipt(Verdict.UNREADABLE)
        signed_at = datetime.fromtimestamp(signed.timestamp, UTC)
        try:
            async with self._db.transaction() as session:
                repo = WebhookRepository(session)
                await repo.forget_deliveries_before(now - timedelta(seconds=2 * self._tolerance))
                if not await repo.remember_delivery(signed.signature, signed_at):
                    return Receipt(Verdict.REPLAY)
        except IntegrityError:
            return Receipt(Verdict.REPLAY)  # the same request, racing in another process
        try:
            async with self._db.transaction() as session:
                event_id = await WebhookRepository(session).add_event(
                    event_key=event_key(payload),
                    event=parsed.event,
                    open_id=parsed.open_id,
                    publish_id=parsed.publish_id,
                    post_id=parsed.post_id,
                    reason=parsed.reason,
                    created_at=parsed.created_at,
                )
        except IntegrityError:
            event_id = None
        if event_id is None:
            log.info("tiktok webhook: %s delivered again, already stored", parsed.event)
            return Receipt(Verdict.DUPLICATE)
        log.info("tiktok webhook: %s stored as event %s", parsed.event, event_id)
        if parsed.publish_id is not None:
            self.signals.notify(parsed.publish_id)  # a run here may be waiting on it
        return Receipt(Verdict.ACCEPTED, event_id)

    def dispatch(self, event_id: int) -> None:
        """Carry out an accepted event in the background (TikTok is answered first)."""
        if self._stopped:
            return  # stored: process_pending() carries it out at the next start
        task = asyncio.get_running_loop().create_task(self._process_logged(event_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process_logged(self, event_id: int) -> None:
        if self._notices is None:
            return  # not started yet: process_pending() picks it up at connect time
        try:
            await self.process(event_id)
        except Exception:
            log.exception("tiktok webhook: event %s failed; redone at the next start", event_id)

    async def process_pending(self) -> None:
        """Redo events whose effects a crash interrupted (start-up)."""
        async with self._db.transaction() as session:
            pending = await WebhookRepository(session).unprocessed()
        for event in pending:
            await self._process_logged(event.id)

    async def stop(self) -> None:
        """Take no more deliveries; let running effects finish (a few writes and messages)."""
        self._stopped = True
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- effects ---------------------------------------------------------------

    async def process(self, event_id: int) -> None:
        """Do what one stored event says, once (marked processed when done)."""
        async with self._db.transaction() as session:
            event = await WebhookRepository(session).get(event_id)
        if event is None or event.processed_at is not None:
            return
        notices: list[Notice] = []
        if event.event == AUTHORIZATION_REMOVED:
            notices = await self._disconnect(event.open_id)
        elif event.event == NO_LONGER_PUBLIC and event.publish_id is not None:
            notices = await self._no_longer_public(event.publish_id)
        elif event.event == PUBLICLY_AVAILABLE and event.publish_id and event.post_id:
            notices = await self._late_link(event.publish_id, event.post_id)
        elif event.event not in PUBLISH_EVENTS:
            log.info("tiktok webhook: ignoring event %r", event.event)
        async with self._db.transaction() as session:
            claimed = await WebhookRepository(session).mark_processed(event_id, self._clock())
        if not claimed:
            return  # another process carried it out first; it sends the messages
        for notice in notices:
            await self._tell(notice)

    async def _disconnect(self, open_id: str) -> list[Notice]:
        now = self._clock()
        notices: list[Notice] = []
        async with self._db.transaction() as session:
            accounts = AccountRepository(session, self._cipher)
            jobs = ScheduledPostRepository(session)
            for account in await accounts.with_open_id(open_id):
                await accounts.mark_needs_relink(account.id)
                cancelled: list[CancelledPost] = []
                for job in await jobs.waiting_for_account(account.id):
                    ended = await jobs.cancel(job.id, now=now, code=AUTHORIZATION_REMOVED_CODE)
                    if ended is not None:
                        cancelled.append(
                            CancelledPost(
                                job.kind,
                                caption_start(job),
                                job.not_before,
                                job.chat_id,
                                ended.progress_message_id,
                            )
                        )
                notices.append(
                    AccountDisconnected(account.telegram_user_id, account.label, tuple(cancelled))
                )
        log.info("tiktok webhook: authorization removed for %s link(s)", len(notices))
        return notices

    async def _no_longer_public(self, publish_id: str) -> list[Notice]:
        async with self._db.transaction() as session:
            job = await PublishJobRepository(session, self._cipher).by_publish_id(publish_id)
            account = (
                await AccountRepository(session, self._cipher).get(job.account_id) if job else None
            )
        if job is None:
            return []
        label = account.label if account else "TikTok"
        return [
            PostNoLongerPublic(job.telegram_user_id, job.chat_id, label, job.kind, job.share_url)
        ]

    async def _late_link(self, publish_id: str, post_id: str) -> list[Notice]:
        """A finished job without a link gets it now; a running one reads the event itself."""
        async with self._db.transaction() as session:
            job = await PublishJobRepository(session, self._cipher).by_publish_id(publish_id)
            if job is None or job.state != PUBLISHED or job.share_url:
                return []
            account = await AccountRepository(session, self._cipher).get(job.account_id)
            if account is None or not account.username:
                return []
            url = share_url(account.username, post_id)
            if not await WebhookRepository(session).give_link(job.id, post_id=post_id, url=url):
                return []
        return [PostNowPublic(job.telegram_user_id, job.chat_id, account.label, job.kind, url)]

    async def _tell(self, notice: Notice) -> None:
        if self._notices is None:
            log.warning("tiktok webhook: no Telegram side connected; notice dropped")
            return
        try:
            await self._notices(notice)
        except Exception:
            log.exception("tiktok webhook: could not tell the user")

    # -- the worker's side -----------------------------------------------------

    async def publish_status(self, publish_id: str) -> PublishStatus | None:
        """The outcome webhooks reported for a publish, if any yet."""
        async with self._db.transaction() as session:
            events = await WebhookRepository(session).for_publish(publish_id)
        return status_from_events(events)
