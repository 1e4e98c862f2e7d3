"""Intake checks: is this video or photo one TikTok will take? Answered before the composer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.media.probe import (
    VideoDamaged,
    VideoFacts,
    VideoUndecided,
    VideoUnreachable,
    probe_video,
)
from bot.media.reader import ByteSource
from bot.media.rules import VideoProblem, VideoRefusal, judge


@dataclass(frozen=True, slots=True)
class VideoCheck:
    """The verdict on one video: facts when probed, a refusal when TikTok would refuse it."""

    facts: VideoFacts | None  # None: undecided, TikTok will judge
    refusal: VideoRefusal | None = None
    unreachable: bool = False  # the file could not be read just now


async def check_video(source: ByteSource | Path, *, size: int) -> VideoCheck:
    """Probe and judge a video (local path or ranged remote file)."""
    try:
        facts = await probe_video(source)
    except VideoDamaged:
        return VideoCheck(None, VideoRefusal(VideoProblem.DAMAGED))
    except VideoUndecided:
        return VideoCheck(None)
    except VideoUnreachable:
        return VideoCheck(None, unreachable=True)
    return VideoCheck(facts, judge(facts, size=size))
