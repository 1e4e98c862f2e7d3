"""What the publishing worker tells the chat side: typed events, no words.

The worker says what happened (`JobStateShown`, `UploadProgress`, ...,
`JobFinished`); a handler module (handlers/job_events.py) turns each event
into the one progress message of the job, with texts from bot/texts. The
worker never imports telegram or bot.texts (docs/architecture.md, "Events").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage.repositories.publish_jobs import PublishJobRecord


@dataclass(frozen=True, slots=True)
class JobEvent:
    """Something about one job; `job` is the row as the worker last wrote it."""

    job: PublishJobRecord
    label: str  # the account, as messages name it


@dataclass(frozen=True, slots=True)
class JobQueued(JobEvent):
    """The job is stored; `due` is set when it was scheduled for later."""

    due: datetime | None = None


@dataclass(frozen=True, slots=True)
class JobStateShown(JobEvent):
    """A run picked the job up: show where it stands."""


@dataclass(frozen=True, slots=True)
class Downloading(JobEvent):
    """The video is being fetched from Telegram."""


@dataclass(frozen=True, slots=True)
class UploadProgress(JobEvent):
    """Bytes are going to TikTok."""

    percent: int = 0


@dataclass(frozen=True, slots=True)
class PreparingPhotos(JobEvent):
    """Photos are being fetched and converted."""

    done: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class Processing(JobEvent):
    """TikTok has the media; `slow` when its status answers keep failing."""

    slow: bool = False


@dataclass(frozen=True, slots=True)
class RetryScheduled(JobEvent):
    """Temporary trouble: the job runs again after `delay` seconds."""

    code: str = ""
    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class JobFinished(JobEvent):
    """The job is over (`job.state` is final)."""

    username: str | None = None
    privacy_level: str | None = None


class JobEvents(Protocol):
    """Where the worker's events go (the chat side implements it)."""

    def emit(self, event: JobEvent) -> None:
        """Show a progress event; returns at once, delivery happens in the background."""
        ...

    async def finish(self, event: JobFinished, *, within: float = 120.0) -> bool:
        """Show the outcome and wait until it reached the user; False if it could not."""
        ...

    async def release(self, job_id: int) -> None:
        """This process is done with the job (stop delivering its events)."""
        ...

    async def close(self) -> None:
        """Stop everything (shutdown)."""
        ...
