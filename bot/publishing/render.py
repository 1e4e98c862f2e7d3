"""Which text the progress message shows for a job, from the job's stored facts.

Kept apart from the worker so the same words come out after a restart (the
outcome is re-rendered from the row, not from memory).
"""

from __future__ import annotations

from bot.publishing.jobs import JobState
from bot.publishing.post_info import SELF_ONLY
from bot.texts import publishing as texts
from storage.repositories.publish_jobs import PublishJobRecord


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
        if privacy_level == SELF_ONLY or job.outcome_code == "private":
            return texts.published_private(job.kind, label, profile)
        return texts.published_without_link(job.kind, label, profile)
    if state is JobState.IN_INBOX:
        return texts.in_inbox(job.kind, label)
    if state is JobState.UNCONFIRMED:
        return texts.unconfirmed(job.kind, label, job.outcome_code)
    return texts.failed(job.kind, label, job.outcome_code)
