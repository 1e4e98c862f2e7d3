"""The publish job: its states and the knobs of the worker.

State machine (docs/job-state-machine.md)::

    QUEUED -> DOWNLOADING -> UPLOADING -> PROCESSING -> PUBLISHED
                                                     -> IN_INBOX
                                                     -> FAILED
                                                     -> UNCONFIRMED

A job leaves QUEUED when a worker claims it. Photos skip UPLOADING (TikTok
pulls them from our web server). FAILED may come from any state before
PROCESSING too. UNCONFIRMED means TikTok has our media but never told us the
outcome in time: the user is told to check the app, and the job is never
posted again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.publishing.chunks import MAX_CHUNK_SIZE, MIB
from bot.publishing.polling import PollSchedule


class JobState(StrEnum):
    """Where a publish job is."""

    QUEUED = "queued"
    DOWNLOADING = "downloading"
    UPLOADING = "uploading"
    PROCESSING = "processing"
    PUBLISHED = "published"
    IN_INBOX = "in_inbox"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    # Taken back before it reached TikTok (the user, or the account's
    # authorization was removed).
    CANCELLED = "cancelled"
    # A scheduled post TikTok would refuse at its due time (privacy option gone,
    # daily cap, needs re-link): waits in the queue for the user to retry.
    HELD = "held"

    @property
    def final(self) -> bool:
        """Whether the job is over (it will never run again)."""
        return self in FINAL_STATES


FINAL_STATES = frozenset(
    {
        JobState.PUBLISHED,
        JobState.IN_INBOX,
        JobState.FAILED,
        JobState.UNCONFIRMED,
        JobState.CANCELLED,
    }
)


@dataclass(slots=True)
class PublishTuning:
    """Timings and sizes of the publishing worker; tests shrink them.

    Seconds are real time except `processing_deadline`, `post_id_grace` and
    `upload_url_ttl`, which are measured on the bot's clock (tests move it).
    """

    # Jobs moving bytes (or about to) at once in this process. A job waiting
    # for TikTok's processing gives its place back: it only polls, and
    # `waiting_jobs` bounds how many may do that at once.
    workers: int = 4
    waiting_jobs: int = 64
    # Short, renewed every third of it while the job runs: a crashed
    # process's jobs are free again within this, so a restart (or any other
    # process) resumes them in seconds (docs/job-state-machine.md, "Leases").
    lease_seconds: float = 10.0
    scan_interval: float = 5.0
    # TikTok allows 30 status fetches per minute per token: never poll one
    # account more often than every 2 s, back off towards ~15 s.
    poll_min_interval: float = 2.0
    init_min_interval: float = 10.0  # 6 inits per minute per token, across processes
    poll_max_interval: float = 15.0
    poll_growth: float = 1.5
    # While processing: one early poll, quiet until 18 s, every 6 s until 2
    # minutes, then back off (bot/publishing/polling.py).
    poll_quiet_until: float = 18.0
    poll_steady_interval: float = 6.0
    poll_settle_after: float = 120.0
    # After a 429 the account's status calls pause, doubling up to TikTok's
    # one-minute window.
    rate_limit_pause: float = 5.0
    rate_limit_pause_max: float = 60.0
    processing_deadline: float = 30 * 60.0
    post_id_grace: float = 120.0
    chunk_size: int = MAX_CHUNK_SIZE
    buffer_size: int = 1 * MIB
    chunk_attempts: int = 5
    retry_base: float = 1.0
    retry_max: float = 30.0
    job_retry_base: float = 10.0
    job_retry_max: float = 300.0
    job_max_attempts: int = 8
    tell_after_attempts: int = 3
    progress_interval: float = 3.0
    upload_url_ttl: float = 3600.0
    read_timeout: float = 600.0
    # Move video bytes on an event loop of their own (bot/publishing/lane.py),
    # so uploads never hold up the chat; False keeps them on the main loop.
    transfer_thread: bool = True

    def poll_schedule(self) -> PollSchedule:
        """When to ask TikTok again while a post is processing."""
        return PollSchedule(
            first=self.poll_min_interval,
            quiet_until=self.poll_quiet_until,
            steady=self.poll_steady_interval,
            settle_after=self.poll_settle_after,
            growth=self.poll_growth,
            longest=self.poll_max_interval,
        )
