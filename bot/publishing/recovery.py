"""Start-up recovery: what a crash left behind, tidied and told.

- spool files and stored photos no unfinished job needs are deleted;
- outcomes saved but never delivered (the process died in between) are
  delivered if they are recent.

Interrupted jobs themselves need nothing here: their leases run out and the
worker claims them again (docs/job-state-machine.md, "Leases").
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.clock import Clock
from bot.publishing.events import JobEvents, JobFinished
from bot.publishing.requests import PublishRequest
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import MediaStore
from storage.repositories import AccountRepository, LinkedAccount
from storage.repositories.publish_jobs import PublishJobRepository

# Outcomes that never reached the user (a crash right at the end) are
# delivered at start-up if they are this recent.
RENOTIFY_WINDOW = timedelta(days=1)


async def sweep_files(
    db: Database, cipher: TokenCipher, *, spool_dir: Path, media: MediaStore
) -> None:
    """Delete spool files and stored photos no unfinished job needs (crash leftovers)."""
    async with db.transaction() as session:
        repo = PublishJobRepository(session, cipher)
        live_jobs = await repo.unfinished_ids()
        live_tokens = await repo.live_media_tokens()
    await asyncio.to_thread(_remove_spool_leftovers, spool_dir, live_jobs)
    await media.sweep(live_tokens)


def _remove_spool_leftovers(spool_dir: Path, live_jobs: set[int]) -> None:
    for path in spool_dir.iterdir():
        job_part = path.name.split(".", 1)[0].split("-", 1)[0]
        if not job_part.isdigit() or int(job_part) not in live_jobs:
            path.unlink(missing_ok=True)


async def renotify(db: Database, cipher: TokenCipher, clock: Clock, events: JobEvents) -> None:
    """Tell users outcomes a crash kept from them."""
    since = clock() - RENOTIFY_WINDOW
    async with db.transaction() as session:
        pending = await PublishJobRepository(session, cipher).unnotified_final(since)
        accounts: dict[int, LinkedAccount | None] = {}
        for job in pending:
            if job.account_id not in accounts:
                accounts[job.account_id] = await AccountRepository(session, cipher).get(
                    job.account_id
                )
    for job in pending:
        account = accounts.get(job.account_id)
        event = JobFinished(
            job,
            account.label if account else "TikTok",
            username=account.username if account else None,
            privacy_level=PublishRequest.from_json(job.request_json).choices.privacy_level,
        )
        if await events.finish(event, within=10.0):
            async with db.transaction() as session:
                await PublishJobRepository(session, cipher).mark_notified(job.id, clock())
        await events.release(job.id)
