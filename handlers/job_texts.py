"""The words of a job's progress message, from the worker's events and the job's row.

Rendered from the stored facts, so the same words come out after a restart
(the outcome is re-rendered from the row, not from memory).
"""

from __future__ import annotations

from bot.publishing.choices import PrivacyLevel
from bot.publishing.events import (
    Downloading,
    JobEvent,
    JobFinished,
    JobQueued,
    JobStateShown,
    PreparingPhotos,
    Processing,
    RetryScheduled,
    UploadProgress,
)
from bot.publishing.jobs import JobState
from bot.texts import publishing as texts
from storage.repositories.publish_jobs import PublishJobRecord


def event_text(event: JobEvent) -> str:
    """The progress message for one event."""
    job, label = event.job, event.label
    match event:
        case JobQueued(due=due) if due is not None:
            return texts.scheduled(job.kind, label, due)
        case JobQueued():
            return texts.queued(job.kind, label)
        case Downloading():
            return texts.downloading(job.kind, None)
        case UploadProgress(percent=percent):
            return texts.uploading(label, percent)
        case PreparingPhotos(done=done, total=total):
            return texts.preparing_photos(done, total)
        case Processing(slow=slow):
            return texts.processing(job.kind, label, slow=slow)
        case RetryScheduled(code=code, delay=delay):
            return texts.retrying(state_text(job, label), code, delay)
        case JobFinished(username=username, privacy_level=privacy):
            return outcome_text(job, label=label, username=username, privacy_level=privacy)
        case JobStateShown():
            return state_text(job, label)
    raise TypeError(f"no text for {event!r}")


def state_text(job: PublishJobRecord, label: str) -> str:
    """The progress text of an unfinished job in its current state."""
    state = JobState(job.state)
    if state is JobState.QUEUED:
        return texts.queued(job.kind, label)
    if state is JobState.DOWNLOADING:
        return texts.downloading(job.kind, None)
    if state is JobState.UPLOADING:
        size = job.video_size or 0
        percent = job.uploaded_bytes * 100 // size if size else 0
        return texts.uploading(label, percent)
    if state is JobState.PROCESSING:
        return texts.processing(job.kind, label)
    return outcome_text(job, label=label, username=None, privacy_level=None)


def outcome_text(
    job: PublishJobRecord, *, label: str, username: str | None, privacy_level: str | None
) -> str:
    """The final text of a finished job."""
    state = JobState(job.state)
    if state is JobState.PUBLISHED:
        if job.share_url:
            return texts.published(job.kind, label, job.share_url)
        profile = texts.profile_url(username)
        if privacy_level == PrivacyLevel.SELF_ONLY or job.outcome_code == "private":
            return texts.published_private(job.kind, label, profile)
        return texts.published_without_link(job.kind, label, profile)
    if state is JobState.IN_INBOX:
        return texts.in_inbox(job.kind, label)
    if state is JobState.UNCONFIRMED:
        return texts.unconfirmed(job.kind, label, job.outcome_code)
    return texts.failed(job.kind, label, job.outcome_code)
