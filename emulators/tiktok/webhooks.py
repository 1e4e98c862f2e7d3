"""Webhooks the sandbox sends: TikTok's publish and authorization events, signed.

An app with a ``webhook_url`` gets an event whenever one of its publishes
reaches a final state and when an account removes its authorization. Each
delivery is a POST with TikTok's body (``client_key``, ``event``,
``create_time``, ``user_openid`` and ``content``, itself a JSON string) and
the ``TikTok-Signature: t=<unix>,s=<hex>`` header: HMAC-SHA256 keyed with the
client secret over ``"<t>.<raw body>"``.

Like TikTok, delivery is at least once: anything but HTTP 200 is retried
after ``retry_delays``, and ``duplicate_rate`` (or ``duplicate_next``) sends an
event a second time. Every attempt is signed anew, with a time later than the
attempt before, so a receiver can tell a retry from a replayed request.
A background ticker settles publishes on the sandbox clock, so events go out
even when nobody polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from emulators.tiktok.config import SELF_ONLY, SandboxApp
from emulators.tiktok.records import Publish, PublishMode, PublishStatus

if TYPE_CHECKING:
    from emulators.tiktok.state import SandboxState

PUBLISH_COMPLETE = "post.publish.complete"
PUBLISH_FAILED = "post.publish.failed"
INBOX_DELIVERED = "post.publish.inbox_delivered"
PUBLICLY_AVAILABLE = "post.publish.publicly_available"
# TikTok's spelling.
NO_LONGER_PUBLIC = "post.publish.no_longer_publicaly_available"
AUTHORIZATION_REMOVED = "authorization.removed"
SIGNATURE_HEADER = "TikTok-Signature"

# authorization.removed reasons as TikTok numbers them.
REASON_USER_DISCONNECTED = 1


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<timestamp>,s=<hex HMAC-SHA256(secret, "<t>.<body>")>``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},s={digest}"


@dataclass
class WebhookDelivery:
    """One POST the sandbox made: what it sent and what the receiver answered.

    ``status`` is None when the connection failed. ``duplicate`` marks the
    extra copy of an event the sandbox sends on purpose.
    """

    url: str
    event: str
    body: bytes
    signature: str
    attempt: int
    duplicate: bool = False
    status: int | None = None


@dataclass
class _Event:
    app: SandboxApp
    body: bytes
    event: str
    last_t: int = 0


@dataclass
class WebhookSender:
    """Queues, signs and delivers the events of one sandbox (``sandbox.webhooks``).

    ``delay`` is real seconds before an event's first attempt; ``tick`` how
    often (real seconds) publishes are settled to find new events.
    """

    state: SandboxState
    delay: float = 0.0
    duplicate_rate: float = 0.0
    retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0)
    tick: float = 0.05
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    _announced: set[tuple[str, str]] = field(default_factory=set)
    _duplicates: deque[bool] = field(default_factory=deque)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _ticker: asyncio.Task[None] | None = None
    _http: httpx.AsyncClient | None = None

    # -- what tests arm and read -------------------------------------------------

    def duplicate_next(self, times: int = 1) -> None:
        """Deliver each of the next ``times`` events twice."""
        self._duplicates.extend([True] * times)

    def sent(self, event: str | None = None) -> list[WebhookDelivery]:
        """Deliveries made so far (of ``event`` only, if given), oldest first."""
        return [d for d in self.deliveries if event is None or d.event == event]

    async def wait_idle(self) -> None:
        """Wait until every queued delivery (and its retries) has been made."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- events ------------------------------------------------------------------

    def collect(self) -> None:
        """Queue events for publishes that reached a final state since the last look."""
        for publish in self.state.publishes.values():
            if not publish.status.final:
                continue
            key = (publish.publish_id, publish.status.value)
            if key in self._announced:
                continue
            self._announced.add(key)
            app = self.state.apps.get(publish.client_key)
            if app is None or not app.webhook_url:
                continue
            for event, content in _publish_events(publish):
                self._queue(app, publish.open_id, event, content)

    def authorization_removed(
        self, app: SandboxApp, open_id: str, reason: int = REASON_USER_DISCONNECTED
    ) -> None:
        """Queue ``authorization.removed`` for ``open_id`` (if the app has a webhook)."""
        if app.webhook_url:
            self._queue(app, open_id, AUTHORIZATION_REMOVED, {"reason": reason})

    def no_longer_public(self, publish: Publish) -> None:
        """Queue ``post.publish.no_longer_publicaly_available`` for a published post."""
        app = self.state.apps.get(publish.client_key)
        if app is not None and app.webhook_url and publish.post_id is not None:
            content = {
                "publish_id": publish.publish_id,
                "publish_type": _publish_type(publish),
                "post_id": publish.post_id,
            }
            self._queue(app, publish.open_id, NO_LONGER_PUBLIC, content)

    def publicly_available(self, publish: Publish) -> None:
        """Queue ``post.publish.publicly_available`` for a post made public later."""
        app = self.state.apps.get(publish.client_key)
        if app is not None and app.webhook_url and publish.post_id is not None:
            content = {
                "publish_id": publish.publish_id,
                "publish_type": _publish_type(publish),
                "post_id": publish.post_id,
            }
            self._queue(app, publish.open_id, PUBLICLY_AVAILABLE, content)

    def _queue(self, app: SandboxApp, open_id: str, event: str, content: dict[str, Any]) -> None:
        payload = {
            "client_key": app.client_key,
            "event": event,
            "create_time": int(self.state.clock.now()),
            "user_openid": open_id,
            "content": json.dumps(content, separators=(",", ":")),
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        item = _Event(app=app, body=body, event=event)
        duplicate = self._duplicates.popleft() if self._duplicates else False
        if not duplicate and self.duplicate_rate > 0:
            duplicate = random.random() < self.duplicate_rate
        self._spawn(self._deliver(item, duplicate))

    # -- delivery ----------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, item: _Event, duplicate: bool) -> None:
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        attempt = 1
        while not await self._post(item, attempt, duplicate=False):
            if attempt > len(self.retry_delays):
                return
            await asyncio.sleep(self.retry_delays[attempt - 1])
            attempt += 1
        if duplicate:
            await self._post(item, attempt + 1, duplicate=True)

    async def _post(self, item: _Event, attempt: int, *, duplicate: bool) -> bool:
        # Signed at sending time, always later than the previous attempt.
        t = max(int(self.state.clock.now()), item.last_t + 1)
        item.last_t = t
        header = signature_header(item.app.client_secret, t, item.body)
        record = WebhookDelivery(
            url=item.app.webhook_url,
            event=item.event,
            body=item.body,
            signature=header,
            attempt=attempt,
            duplicate=duplicate,
        )
        self.deliveries.append(record)
        try:
            response = await self._client().post(
                item.app.webhook_url,
                content=item.body,
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: header},
            )
        except httpx.HTTPError:
            return False
        record.status = response.status_code
        return response.status_code == 200

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=httpx.Timeout(10.0), trust_env=False)
        return self._http

    # -- the ticker --------------------------------------------------------------

    def start(self, settle: Callable[[], None]) -> None:
        """Start settling publishes (with ``settle``) in the background; idempotent."""
        if self._ticker is None:
            self._ticker = asyncio.get_running_loop().create_task(self._tick(settle))

    async def _tick(self, settle: Callable[[], None]) -> None:
        while True:
            if any(app.webhook_url for app in self.state.apps.values()):
                settle()
                self.collect()
            await asyncio.sleep(self.tick)

    async def close(self) -> None:
        """Stop the ticker and pending deliveries; close the HTTP client."""
        ticker, self._ticker = self._ticker, None
        tasks = [*self._tasks, *([ticker] if ticker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            with contextlib.suppress(Exception):
                await self._http.aclose()
            self._http = None


def _publish_type(publish: Publish) -> str:
    return "INBOX_SHARE" if publish.mode is PublishMode.MEDIA_UPLOAD else "DIRECT_PUBLISH"


def _publish_events(publish: Publish) -> list[tuple[str, dict[str, Any]]]:
    """The events TikTok sends when ``publish`` reaches its final state."""
    base: dict[str, Any] = {
        "publish_id": publish.publish_id,
        "publish_type": _publish_type(publish),
    }
    if publish.status is PublishStatus.FAILED:
        return [(PUBLISH_FAILED, {**base, "reason": publish.fail_reason or "internal"})]
    if publish.status is PublishStatus.SEND_TO_USER_INBOX:
        return [(INBOX_DELIVERED, base)]
    events: list[tuple[str, dict[str, Any]]] = [(PUBLISH_COMPLETE, base)]
    if publish.post_id is not None and publish.privacy_level != SELF_ONLY:
        events.append((PUBLICLY_AVAILABLE, {**base, "post_id": publish.post_id}))
    return events
