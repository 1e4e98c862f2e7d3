"""WebhookService.receive: verdicts, one stored event per TikTok event, nothing after stop."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.publishing.webhooks import Verdict, WebhookService, status_from_events
from bot.tiktok.signature import signature_header
from storage.crypto import TokenCipher
from storage.db import Database
from storage.models_webhooks import WebhookEvent
from storage.repositories.webhooks import WebhookEventRecord

SECRET = "client-secret"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
T = int(NOW.timestamp())


def body(event: str = "post.publish.complete", publish_id: str = "v_pub_file~1") -> bytes:
    content = json.dumps({"publish_id": publish_id, "publish_type": "DIRECT_PUBLISH"})
    payload = {
        "client_key": "key",
        "event": event,
        "create_time": T - 2,
        "user_openid": "open-1",
        "content": content,
    }
    return json.dumps(payload).encode()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    await database.upgrade()
    yield database
    await database.dispose()


@pytest.fixture
def service(db: Database) -> WebhookService:
    cipher = TokenCipher([Fernet.generate_key()])
    return WebhookService(db=db, cipher=cipher, clock=lambda: NOW, client_secret=SECRET)


async def stored(db: Database) -> int:
    async with db.transaction() as session:
        return len((await session.exec(select(WebhookEvent))).all())


async def test_verdicts(service: WebhookService, db: Database) -> None:
    raw = body()
    first = await service.receive(raw, signature_header(SECRET, T, raw))
    assert first.verdict is Verdict.ACCEPTED and first.event_id is not None
    replay = await service.receive(raw, signature_header(SECRET, T, raw))
    assert replay.verdict is Verdict.REPLAY
    retry = await service.receive(raw, signature_header(SECRET, T + 1, raw))
    assert retry.verdict is Verdict.DUPLICATE  # TikTok delivering again: 200, nothing new
    assert (await service.receive(raw, None)).verdict is Verdict.UNSIGNED
    assert (await service.receive(raw, signature_header("x", T, raw))).verdict is Verdict.UNSIGNED
    stale = await service.receive(raw, signature_header(SECRET, T - 301, raw))
    assert stale.verdict is Verdict.STALE
    junk = b"not json"
    assert (await service.receive(junk, signature_header(SECRET, T, junk))).verdict is (
        Verdict.UNREADABLE
    )
    assert await stored(db) == 1


async def test_nothing_is_taken_after_stop(service: WebhookService, db: Database) -> None:
    await service.stop()
    raw = body()
    receipt = await service.receive(raw, signature_header(SECRET, T, raw))
    assert receipt.verdict is Verdict.STOPPING and receipt.verdict.refused
    assert await stored(db) == 0


def record(
    event: str, *, post_id: str | None = None, reason: str | None = None
) -> WebhookEventRecord:
    return WebhookEventRecord(1, event, "open-1", "p", post_id, reason, NOW, None)


def test_events_become_status() -> None:
    assert status_from_events([]) is None
    complete = status_from_events([record("post.publish.complete")])
    assert complete is not None and (complete.status, complete.post_ids) == ("PUBLISH_COMPLETE", ())
    public = status_from_events(
        [
            record("post.publish.complete"),
            record("post.publish.publicly_available", post_id="7300000000000000001"),
        ]
    )
    assert public is not None and public.post_ids == ("7300000000000000001",)
    failed = status_from_events([record("post.publish.failed", reason="picture_size_check_failed")])
    assert failed is not None and failed.fail_reason == "picture_size_check_failed"
    inbox = status_from_events([record("post.publish.inbox_delivered")])
    assert inbox is not None and inbox.status == "SEND_TO_USER_INBOX"
