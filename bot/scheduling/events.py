"""What scheduling tells the chat side about a job (rendered by handlers/job_texts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.publishing.events import JobEvent


@dataclass(frozen=True, slots=True)
class PostHeld(JobEvent):
    """At its due time TikTok would refuse the post as chosen: it waits in the queue."""

    code: str = ""
