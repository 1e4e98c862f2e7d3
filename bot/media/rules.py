"""TikTok's rules for uploaded videos, checked on the probe's facts before the composer opens.

TikTok takes MP4, MOV and WebM; H.264, H.265, VP8 or VP9; 23 to 60 frames
per second; 360 to 4096 pixels on each side; up to 4 GB; at most the
creator's maximum duration (10 minutes at most). A fact the probe could not
learn is not held against the video: TikTok decides, and its answer is
explained after the upload.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.media.probe import VideoFacts

CODECS = ("h264", "hevc", "vp8", "vp9")
MIN_FPS, MAX_FPS = 23.0, 60.0
MIN_SIDE, MAX_SIDE = 360, 4096
MAX_DURATION = 600  # seconds: TikTok's longest, whatever the creator
MAX_SIZE = 4 * 1024**3
# Containers and codecs round frame rates (29.97 is 30000/1001): a hair of slack.
_FPS_SLACK = 0.01


class VideoProblem(StrEnum):
    """Why TikTok would refuse a video."""

    DAMAGED = "damaged"
    NO_VIDEO = "no_video"
    CONTAINER = "container"
    CODEC = "codec"
    TOO_LONG = "too_long"
    FRAME_RATE = "frame_rate"
    PICTURE_SIZE = "picture_size"
    FILE_SIZE = "file_size"


@dataclass(frozen=True, slots=True)
class VideoRefusal:
    """A problem with the facts that make it one (for the message)."""

    problem: VideoProblem
    facts: VideoFacts | None = None
    limit: float | None = None  # the duration or size limit broken
    size: int | None = None  # bytes, for a file-size refusal


def judge(facts: VideoFacts, *, size: int, max_duration: int = MAX_DURATION) -> VideoRefusal | None:
    """The first rule `facts` break, or None when TikTok should accept the video."""
    if not facts.has_video:
        return VideoRefusal(VideoProblem.NO_VIDEO, facts)
    if not facts.container.tiktok_accepts:
        return VideoRefusal(VideoProblem.CONTAINER, facts)
    if facts.codec is not None and facts.codec not in CODECS:
        return VideoRefusal(VideoProblem.CODEC, facts)
    if size > MAX_SIZE:
        return VideoRefusal(VideoProblem.FILE_SIZE, facts, limit=MAX_SIZE, size=size)
    # Strictly: 600.4 s is longer than 600 s.
    if facts.duration is not None and facts.duration > max_duration:
        return VideoRefusal(VideoProblem.TOO_LONG, facts, limit=max_duration)
    if facts.fps is not None and not (MIN_FPS - _FPS_SLACK <= facts.fps <= MAX_FPS + _FPS_SLACK):
        return VideoRefusal(VideoProblem.FRAME_RATE, facts)
    sides = [side for side in (facts.width, facts.height) if side is not None]
    if any(not MIN_SIDE <= side <= MAX_SIDE for side in sides):
        return VideoRefusal(VideoProblem.PICTURE_SIZE, facts)
    return None


def whole_seconds(duration: float) -> int:
    """A duration as whole seconds, rounded UP, so a limit in seconds stays strict."""
    # A thousandth of slack: container time bases turn 30.0 s into 30.0000001 s.
    return max(0, math.ceil(duration - 0.001))
