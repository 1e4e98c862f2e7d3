"""Pre-existing videos for seeded accounts: varied, but the same on every run."""

from __future__ import annotations

import random
from collections.abc import Callable

from emulators.tiktok.config import PUBLIC_TO_EVERYONE, SandboxAccount
from emulators.tiktok.records import Video

DAY = 86400
_TOPICS = (
    ("Morning routine", ("morning", "routine")),
    ("Five-minute pasta", ("cooking", "recipe")),
    ("Trail run in the fog", ("running", "outdoors")),
    ("Desk setup tour", ("desksetup", "tech")),
    ("Street food night", ("food", "travel")),
    ("Learning to juggle, day", ("challenge", "learning")),
    ("Sunset timelapse", ("sunset", "nature")),
    ("Cat vs. cardboard box", ("cat", "funny")),
)


def share_url(username: str, video_id: str) -> str:
    """TikTok's public link of a video."""
    return f"https://www.tiktok.com/@{username}/video/{video_id}"


def cover_url(video_id: str) -> str:
    """A cover image URL (TikTok's expire after hours; these are placeholders)."""
    return f"https://sandbox.invalid/cover/{video_id}.jpeg"


def seed_videos(account: SandboxAccount, *, now: float, new_id: Callable[[], str]) -> list[Video]:
    """Create ``account.seed_videos`` videos spread over the past days, newest first."""
    videos = []
    for index in range(account.seed_videos):
        # Seeded by open_id and index so stats do not change between runs.
        rng = random.Random(f"{account.open_id}:{index}")
        title_base, tags = _TOPICS[index % len(_TOPICS)]
        title = f"{title_base} #{tags[0]} #{tags[1]}"
        created = now - (index + 1) * DAY + rng.randint(-4 * 3600, 4 * 3600)
        views = rng.randint(200, 250_000)
        video_id = new_id()
        videos.append(
            Video(
                id=video_id,
                open_id=account.open_id,
                create_ms=int(created) * 1000,
                title=title,
                video_description=title,
                duration=rng.randint(6, 180),
                width=1080,
                height=1920,
                cover_image_url=cover_url(video_id),
                share_url=share_url(account.username, video_id),
                privacy_level=PUBLIC_TO_EVERYONE,
                like_count=views // rng.randint(8, 30),
                comment_count=views // rng.randint(150, 900),
                share_count=views // rng.randint(200, 1500),
                view_count=views,
            )
        )
    return videos
