"""PublishService: durable publish jobs and the worker that runs them.

The composer calls `submit(request)` once the user taps Post. The job is a
row first (so a crash loses nothing, and the draft's unique key turns a double
tap into one job), then the worker is woken. The worker claims due jobs with a
lease (owner id + lease_until, one conditional UPDATE), renews it while the
job runs, and gives it back when the run ends; a crashed process's jobs are
picked up once its leases run out, by this process after a restart or by any
other process sharing the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy.exc import IntegrityError

from bot.accounts import TokenManager
from bot.clock import Clock
from bot.errors import AccountNotFound
from bot.ops import metrics
from bot.ops.health import Heartbeat
from bot.publishing.jobs import JobState, PublishTuning, request_from_json, request_to_json
from bot.publishing.pacing import SharedPacer
from bot.publishing.progress import ProgressChannel, ProgressReporter
from bot.publishing.render import outcome_text
from bot.publishing.requests import PublishRequest
from bot.publishing.runner import JobRun, LeaseLost, RunContext
from bot.publishing.sources import TelegramFiles
from bot.texts import publishing as texts
from bot.tiktok import PublishingAPI, VideosAPI
from storage.crypto import TokenCipher
from storage.db import Database
from storage.media_store import LocalMediaStore, MediaStore
from storage.repositories import AccountRepository, LinkedAccount
from storage.repositories.publish_jobs import PublishJobRecord, PublishJobRepository

log = logging.getLogger(__name__)

# Outcomes that never reached the user (a crash right at the end) are
# delivered at start-up if they are this recent.
RENOTIFY_WINDOW = timedelta(days=1)


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
        media: MediaStore | None = None,
    ) -> None:
        self._db = db
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
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._reporter: ProgressReporter | None = None
        self._files: TelegramFiles | None = None
        self._http: httpx.AsyncClient | None = None
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
        self._channels: dict[int, ProgressChannel] = {}
        self.heartbeat = Heartbeat()  # /healthz: the worker is alive

    @property
    def tuning(self) -> PublishTuning:
        """The worker's timings and sizes."""
        return self._tuning

    def connect(self, *, reporter: ProgressReporter, files: TelegramFiles) -> None:
        """Give the service its Telegram side (built after the PTB Application)."""
        self._reporter = reporter
        self._files = files

    # -- the composer's side ---------------------------------------------------

    async def submit(self, request: PublishRequest, *, not_before: datetime | None = None) -> int:
        """Store a publish job for `request` and wake the worker; returns the job id.

        Idempotent per draft: a second submit of the same draft (a double tap
        on Post) returns the first job's id and publishes nothing more.
        `not_before` schedules the post for later.
        """
        if not request.media:
            raise ValueError("a publish request needs media")
        now = self._clock()
        due = not_before if not_before is not None and not_before > now else now
        async with self._db.transaction() as session:
            existing = await PublishJobRepository(session, self._cipher).by_draft(request.draft_id)
            if existing is not None:
                return existing.id
            account = await AccountRepository(session, self._cipher).get_owned(
                request.telegram_user_id, request.account_id
            )
            if account is None:
                raise AccountNotFound(str(request.account_id))
        try:
            async with self._db.transaction() as session:
                job = await PublishJobRepository(session, self._cipher).add(
                    draft_id=request.draft_id,
                    telegram_user_id=request.telegram_user_id,
                    chat_id=request.chat_id,
                    account_id=request.account_id,
                    kind=request.kind.value,
                    mode=request.settings.mode.value,
                    request_json=request_to_json(request),
                    state=JobState.QUEUED.value,
                    not_before=due,
                )
        except IntegrityError:
            # The other tap won the race for the draft's unique key.
            async with self._db.transaction() as session:
                winner = await PublishJobRepository(session, self._cipher).by_draft(
                    request.draft_id
                )
            assert winner is not None
            return winner.id
        log.info("job %s queued for draft %s", job.id, request.draft_id)
        if self._reporter is not None:
            channel = self._channel(job)
            if due > now:
                channel.show(texts.scheduled(job.kind, account.label, due))
            else:
                channel.show(texts.queued(job.kind, account.label))
        self._wake.set()
        return job.id

    async def job(self, job_id: int) -> PublishJobRecord | None:
        """A job as stored now."""
        async with self._db.transaction() as session:
            return await PublishJobRepository(session, self._cipher).get(job_id)

    async def jobs_of(self, telegram_user_id: int, *, limit: int = 20) -> list[PublishJobRecord]:
        """A user's newest jobs."""
        async with self._db.transaction() as session:
            return await PublishJobRepository(session, self._cipher).for_user(
                telegram_user_id, limit=limit
            )

    async def wait_for(
        self,
        job_id: int,
        predicate: Callable[[PublishJobRecord], bool],
        *,
        within: float = 60.0,
    ) -> PublishJobRecord:
        """Wait until the job satisfies `predicate` (woken by every state write here)."""

        async def until() -> PublishJobRecord:
            while True:
                changed = self._changed
                job = await self.job(job_id)
                if job is not None and predicate(job):
                    return job
                with contextlib.suppress(TimeoutError):
                    # The timeout also catches writes made by another process.
                    await asyncio.wait_for(changed.wait(), 1.0)

        return await asyncio.wait_for(until(), within)

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        """Start the worker: resume unfinished jobs, tidy files, deliver lost outcomes."""
        if self._reporter is None or self._files is None:
            raise RuntimeError("connect() the Telegram side before start()")
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self.media_root.mkdir(parents=True, exist_ok=True)
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(60.0, connect=10.0), follow_redirects=True, trust_env=False
        )
        await self._sweep_files()
        loop = asyncio.get_running_loop()
        renotify = loop.create_task(self._renotify())
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
        for channel in list(self._channels.values()):
            await channel.close()
        self._channels.clear()
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
        """Until the next scheduled job is due, at most the scan interval."""
        async with self._db.transaction() as session:
            due = await PublishJobRepository(session, self._cipher).next_due_at()
        timeout = self._tuning.scan_interval
        if due is not None:
            timeout = min(timeout, max((due - self._clock()).total_seconds(), 0.05))
        return timeout

    async def _claim_due(self) -> None:
        free = self._tuning.workers - len(self._running)
        if free <= 0:
            return
        now = self._clock()
        async with self._db.transaction() as session:
            candidates = await PublishJobRepository(session, self._cipher).due(
                now, limit=free + len(self._running)
            )
        for job_id in candidates:
            if len(self._running) >= self._tuning.workers:
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
            run = JobRun(self._context(), job, account, self._channel(job))
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
            if final:
                channel = self._channels.pop(job_id, None)
                if channel is not None:
                    await channel.close()
            self._notify_change(job_id)

    async def _keep_lease(self, job_id: int, runner: asyncio.Task[None]) -> None:
        """Renew the lease while the job runs; cancel the run if it was taken from us."""
        period = self._tuning.lease_seconds / 3
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
                continue
            if not held:
                log.warning("job %s: lease taken over, stopping this run", job_id)
                runner.cancel()
                return

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
        )

    def _channel(self, job: PublishJobRecord) -> ProgressChannel:
        """The job's progress message (one per job, shared by submit and the runs)."""
        channel = self._channels.get(job.id)
        if channel is None:
            assert self._reporter is not None
            job_id = job.id

            async def remember(message_id: int) -> None:
                async with self._db.transaction() as session:
                    await PublishJobRepository(session, self._cipher).set_progress_message(
                        job_id, message_id
                    )

            channel = ProgressChannel(
                self._reporter,
                chat_id=job.chat_id,
                message_id=job.progress_message_id,
                interval=self._tuning.progress_interval,
                on_message_id=remember,
            )
            self._channels[job.id] = channel
        return channel

    def _notify_change(self, _job_id: int) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    # -- start-up housekeeping -------------------------------------------------

    async def _sweep_files(self) -> None:
        """Delete spool files and photo folders no unfinished job needs (crash leftovers)."""
        async with self._db.transaction() as session:
            repo = PublishJobRepository(session, self._cipher)
            live_jobs = await repo.unfinished_ids()
            live_tokens = await repo.live_media_tokens()
        for path in self.spool_dir.iterdir():
            job_part = path.name.split(".", 1)[0].split("-", 1)[0]
            if not job_part.isdigit() or int(job_part) not in live_jobs:
                path.unlink(missing_ok=True)
        await self.media.sweep(set(live_tokens))

    async def _renotify(self) -> None:
        """Tell users outcomes a crash kept from them."""
        since = self._clock() - RENOTIFY_WINDOW
        async with self._db.transaction() as session:
            pending = await PublishJobRepository(session, self._cipher).unnotified_final(since)
            accounts: dict[int, LinkedAccount | None] = {}
            for job in pending:
                if job.account_id not in accounts:
                    accounts[job.account_id] = await AccountRepository(session, self._cipher).get(
                        job.account_id
                    )
        for job in pending:
            account = accounts.get(job.account_id)
            channel = self._channel(job)
            label = account.label if account else "TikTok"
            privacy = request_from_json(job.request_json).settings.privacy_level
            text = outcome_text(
                job,
                label=label,
                username=account.username if account else None,
                privacy_level=privacy,
            )
            if await channel.finish(text, within=10.0):
                async with self._db.transaction() as session:
                    await PublishJobRepository(session, self._cipher).mark_notified(
                        job.id, self._clock()
                    )
            await channel.close()
            self._channels.pop(job.id, None)
