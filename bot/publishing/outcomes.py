"""How a run of a publish job ends: an Outcome, or "run again later".

`JobEnds` is the one exception a run raises to stop on purpose; its `kind`
says whether the job failed, is unconfirmed (TikTok may hold the media: never
post again) or should run again after a backoff. Any other error is judged
by the policy it carries (bot/errors.py), never by an isinstance chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import ErrorAction, policy_of
from bot.publishing.jobs import JobState


class EndKind(StrEnum):
    """How a run stops."""

    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"
    RETRY = "retry"


class JobEnds(Exception):
    """Stop the run: the job ends FAILED/UNCONFIRMED with `code`, or runs again later."""

    def __init__(self, kind: EndKind, code: str) -> None:
        super().__init__(f"{kind.value}: {code}")
        self.kind = kind
        self.code = code

    @classmethod
    def failed(cls, code: str) -> JobEnds:
        """The job ends FAILED (see texts.publishing for the words)."""
        return cls(EndKind.FAILED, code)

    @classmethod
    def unconfirmed(cls, code: str) -> JobEnds:
        """TikTok has the media but we cannot learn the outcome."""
        return cls(EndKind.UNCONFIRMED, code)

    @classmethod
    def retry(cls, code: str) -> JobEnds:
        """Temporary trouble: run the job again after a backoff."""
        return cls(EndKind.RETRY, code)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a job ended."""

    state: JobState
    code: str | None = None
    post_id: str | None = None
    share_url: str | None = None


def classify_failure(exc: BaseException, *, started: bool) -> Outcome | JobEnds:
    """What an error means for a job: how it ends, or a JobEnds of kind RETRY.

    `started` is whether the job has a publish_id: once TikTok may hold our
    media, losing access means "unconfirmed" (check the app), never "failed".
    """
    if isinstance(exc, JobEnds):
        if exc.kind is EndKind.RETRY:
            return exc
        state = JobState.FAILED if exc.kind is EndKind.FAILED else JobState.UNCONFIRMED
        return Outcome(state, exc.code)
    policy = policy_of(exc)
    if policy.retryable or policy.action in (ErrorAction.RETRY_LATER, ErrorAction.REFRESH_TOKEN):
        return JobEnds.retry(policy.reason)
    if policy.loses_access:
        return Outcome(JobState.UNCONFIRMED if started else JobState.FAILED, policy.reason)
    return Outcome(JobState.FAILED, policy.reason)
