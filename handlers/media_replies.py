"""The reply for a video TikTok would refuse (bot.media.rules -> bot.texts.media)."""

from __future__ import annotations

from bot.media.rules import MAX_DURATION, VideoProblem, VideoRefusal
from bot.texts import media as t


def refusal_text(refusal: VideoRefusal) -> str:
    """What is wrong with the video and what to do, as one message."""
    facts = refusal.facts
    problem = refusal.problem
    if problem is VideoProblem.DAMAGED or facts is None:
        return t.VIDEO_DAMAGED
    if problem is VideoProblem.NO_VIDEO:
        return t.VIDEO_WITHOUT_PICTURE
    if problem is VideoProblem.CONTAINER:
        return t.wrong_container(facts.content_type)
    if problem is VideoProblem.CODEC:
        return t.wrong_codec(facts.codec or "unknown")
    if problem is VideoProblem.FRAME_RATE:
        return t.wrong_frame_rate(facts.fps or 0.0)
    if problem is VideoProblem.PICTURE_SIZE:
        return t.wrong_picture_size(facts.width or 0, facts.height or 0)
    if problem is VideoProblem.TOO_LONG:
        return t.too_long(facts.duration or 0.0, int(refusal.limit or MAX_DURATION))
    return t.too_big(refusal.size or 0, int(refusal.limit or 0))
