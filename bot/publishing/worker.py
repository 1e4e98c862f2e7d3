"""PublishService: the worker that runs durable publish jobs.

Jobs come from the queue (bot/publishing/queue.py); start-up recovery is in
bot/publishing/recovery.py. The worker claims due jobs with a lease (owner id
+ lease_until, one conditional UPDATE), renews it while the job runs, and
gives it back when the run ends; a crashed process's jobs are picked up once
its short lease runs out, by this process after a restart or by any other
process sharing the database (docs/job-state-machine.md, "Leases").
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bot.accounts import TokenManager
from bot.clock import Clock
from bot.ops import metrics
from bot.ops.health import Heartbeat
from bot.publishing.events import JobEvents, JobQueued
from bot.publishing.jobs import JobState, PublishTuning
from bot.publishing.lane import InlineLane, ThreadLane, TransferLane
from bot.publishing.pacing import SharedPacer
from bot.publishing.queue import JobQueue
from bot.publishing.recovery import renotify as renotify_lost
from bot.publishing.recovery import sweep_files
from bot.publishing.requests import PublishRequest
from bot.publishing.runner import JobRun, LeaseLost, RunContext
from bot.publishing.sources import TelegramFiles
from bot.publishing.transport import download_client
from bot.publishing.webhook_wait import WebhookOutcomes
from bot.scheduling.due_gate import DueGate
from bot.tiktok import PublishingAPI, VideosAPI
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import LocalMediaStore, MediaStore
from storage.repositories import AccountRepository, LinkedAccount
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository

log = logging.getLogger(__name__)


class PublishService:
    """Submits publish jobs and runs them in the background."""

    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        tokens: TokenManager,
        api: PublishingAPI,
        videos: VideosAPI,
        clock: Clock,
        data_dir: Path,
        public_base_url: str,
        tuning: PublishTuning | None = None,
        webhooks: WebhookOutcomes | None = None,
        due_gate: DueGate | None = None,
        media: MediaStore | None = None,
        inline_transfers: bool = False,
    ) -> None:
        self._db = db
        self._webhooks = webhooks
        self._due_gate = due_gate
        self._cipher = cipher
        self._tokens = tokens
        self._api = api
        self._videos = videos
        self._clock = clock
        self._tuning = tuning or PublishTuning()
        self._public_base_url = public_base_url
        self.spool_dir = data_dir / "spool"
        self.media_root = data_dir / "media"
        # Prepared photos for TikTok's pulls; the database backend lets any process serve them.
        self.media: MediaStore = media or LocalMediaStore(self.media_root)
        self.heartbeat = Heartbeat()  # /healthz: the worker is alive
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._events: JobEvents | None = None
        self._files: TelegramFiles | None = None
        self._http: httpx.AsyncClient | None = None
        # Tests that hook the bot's own HTTP transport need the bytes on this loop.
        self._inline_transfers = inline_transfers or not self._tuning.transfer_thread
        self._lane: TransferLane = InlineLane()
        self._pacer = SharedPacer(
            db,
            status_interval=self._tuning.poll_min_interval,
            init_interval=self._tuning.init_min_interval,
        )
        self._wake = asyncio.Event()
        # Replaced on every write: waiters hold the old one, which is set.
        self._changed = asyncio.Event()
        self._background: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._running: dict[int, asyncio.Task[None]] = {}
        # Running jobs that only wait for TikTok's processing: not counted in `workers`.
        self._waiting: set[int] = set()
        self.queue = JobQueue(db=db, cipher=cipher, clock=clock, on_queued=self._queued)

    @property
    def tuning(self) -> PublishTuning:
        """The worker's timings and sizes."""
        return self._tuning

    def connect(self, *, events: JobEvents, files: TelegramFiles) -> None:
        """Give the service its chat side (built after the PTB Application)."""
        self._events = events
        self._files = files

    async def remember_progress_message(self, job_id: int, message_id: int) -> bool:
        """Store which chat message shows a job's progress; True if it was cancelled first."""
        return await self.queue.remember_progress_message(job_id, message_id)

    async def submit(self, request: PublishRequest, *, not_before: datetime | None = None) -> int:
        """Store a publish job for `request` in the caller's unit of work (see JobQueue)."""
        return await self.queue.submit(request, not_before=not_before)

    def _queued(self, job: PublishJobRecord, account: LinkedAccount, scheduled: bool) -> None:
        """The job is durable: show it and wake the worker."""
        log.info("job %s queued for draft %s", job.id, job.draft_id)
        if self._events is not None:
            due = job.not_before if scheduled else None
            self._events.emit(JobQueued(job, account.label, due=due))
        self._wake.set()

    async def job(self, job_id: int) -> PublishJobRecord | None:
        """A job as stored now."""
        return await self.queue.job(job_id)

    @property
    def changed(self) -> asyncio.Event:
        """An event set at the next write of any job's state here (then replaced)."""
        return self._changed

    def wake(self) -> None:
        """Look for due jobs now (a queued post was moved or made due)."""
        self._wake.set()

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        """Start the worker: resume unfinished jobs, tidy files, deliver lost outcomes."""
        if self._events is None or self._files is None:
            raise RuntimeError("connect() the Telegram side before start()")
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self.media_root.mkdir(parents=True, exist_ok=True)
        self._http = download_client(self._tuning.buffer_size)
        self._lane = (
            InlineLane()
            if self._inline_transfers
            else ThreadLane(buffer_size=self._tuning.buffer_size)
        )
        await sweep_files(self._db, self._cipher, spool_dir=self.spool_dir, media=self.media)
        loop = asyncio.get_running_loop()
        assert self._events is not None
        renotify = loop.create_task(
            renotify_lost(self._db, self._cipher, self._clock, self._events)
        )
        self._background.add(renotify)
        renotify.add_done_callback(self._background.discard)
        self._stopping = False
        self._loop_task = loop.create_task(self._loop())
        log.info("publishing worker %s started", self._owner)

    async def stop(self) -> None:
        """Stop the worker; running jobs give their lease back and resume on the next start."""
        loop_task, self._loop_task = self._loop_task, None
        if loop_task is not None:
            # Let the loop finish its scan: cancelling it mid-query would only
            # leave SQLAlchemy complaining about an interrupted rollback.
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(loop_task), 10.0)
            except TimeoutError:
                loop_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await loop_task
        running = [*self._running.values(), *self._background]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if self._events is not None:
            await self._events.close()
        await self._lane.close()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- the worker ------------------------------------------------------------

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self._claim_due()
                timeout = await self._sleep_for()
                self.heartbeat.beat()
            except Exception:
                log.exception("publishing worker: scan failed")
                timeout = self._tuning.scan_interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _sleep_for(self) -> float:
        """Until the next job is due or a lease runs out, at most the scan interval."""
        async with self._db.transaction() as session:
            due = await PublishJobRepository(session, self._cipher).next_due_at(owner=self._owner)
        timeout = self._tuning.scan_interval
        if due is not None:
            timeout = min(timeout, max((due - self._clock()).total_seconds(), 0.05))
        return timeout

    def _free_places(self) -> int:
        """How many more jobs may start here now."""
        busy = len(self._running) - len(self._waiting)
        return min(
            self._tuning.workers - busy,
            self._tuning.workers + self._tuning.waiting_jobs - len(self._running),
        )

    def _waiting_for_tiktok(self, job_id: int) -> None:
        if job_id in self._running and job_id not in self._waiting:
            self._waiting.add(job_id)
            self._wake.set()  # its place is free: look for the next job

    async def _claim_due(self) -> None:
        free = self._free_places()
        if free <= 0:
            return
        now = self._clock()
        async with self._db.transaction() as session:
            candidates = await PublishJobRepository(session, self._cipher).due(
                now, limit=free + len(self._running)
            )
        for job_id in candidates:
            if self._free_places() <= 0:
                return
            if job_id in self._running:
                continue
            until = now + timedelta(seconds=self._tuning.lease_seconds)
            async with self._db.transaction() as session:
                claimed = await PublishJobRepository(session, self._cipher).claim(
                    job_id, owner=self._owner, now=now, until=until
                )
            if claimed:
                task = asyncio.get_running_loop().create_task(self._run_job(job_id))
                self._running[job_id] = task
                task.add_done_callback(functools.partial(self._job_done, job_id))

    def _job_done(self, job_id: int, _task: asyncio.Task[None]) -> None:
        self._running.pop(job_id, None)
        self._waiting.discard(job_id)
        self._wake.set()

    async def _run_job(self, job_id: int) -> None:
        current = asyncio.current_task()
        assert current is not None
        keeper = asyncio.get_running_loop().create_task(self._keep_lease(job_id, current))
        final = False
        try:
            async with self._db.transaction() as session:
                job = await PublishJobRepository(session, self._cipher).get(job_id)
                if job is None:
                    return
                account = await AccountRepository(session, self._cipher).get(job.account_id)
            assert self._events is not None
            run = JobRun(self._context(), job, account, self._events)
            started = time.monotonic()
            await run.run()
            final = JobState(run.job.state).final
            if final:
                metrics.publish_finished(job.kind, run.job.state, time.monotonic() - started)
        except LeaseLost:
            log.warning("job %s: lease lost to another worker", job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s: run crashed", job_id)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            with contextlib.suppress(Exception):
                async with self._db.transaction() as session:
                    await PublishJobRepository(session, self._cipher).release(
                        job_id, owner=self._owner
                    )
            if final and self._events is not None:
                await self._events.release(job_id)
            self._notify_change(job_id)

    async def _keep_lease(self, job_id: int, runner: asyncio.Task[None]) -> None:
        """Renew the lease while the job runs; cancel the run once we may not hold it.

        Renewal failing for a whole lease period counts as lost too: by then
        another worker may have claimed the job.
        """
        period = self._tuning.lease_seconds / 3
        loop = asyncio.get_running_loop()
        held_until = loop.time() + self._tuning.lease_seconds
        while True:
            await asyncio.sleep(period)
            until = self._clock() + timedelta(seconds=self._tuning.lease_seconds)
            try:
                async with self._db.transaction() as session:
                    held = await PublishJobRepository(session, self._cipher).renew(
                        job_id, owner=self._owner, until=until
                    )
            except Exception:
                log.exception("job %s: lease renewal failed", job_id)
                if loop.time() < held_until - period:
                    continue
                held = False
            if not held:
                log.warning("job %s: lease taken over, stopping this run", job_id)
                runner.cancel()
                return
            held_until = loop.time() + self._tuning.lease_seconds

    def _context(self) -> RunContext:
        assert self._files is not None and self._http is not None
        return RunContext(
            db=self._db,
            cipher=self._cipher,
            owner=self._owner,
            clock=self._clock,
            tuning=self._tuning,
            api=self._api,
            videos=self._videos,
            tokens=self._tokens,
            files=self._files,
            http=self._http,
            pacer=self._pacer,
            spool_dir=self.spool_dir,
            media=self.media,
            public_base_url=self._public_base_url,
            on_change=self._notify_change,
            on_waiting=self._waiting_for_tiktok,
            webhooks=self._webhooks,
            due_gate=self._due_gate,
            poll_schedule=self._tuning.poll_schedule(),
            lane=self._lane,
        )

    def _notify_change(self, _job_id: int) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
