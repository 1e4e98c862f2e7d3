"""Which videos were posted through this bot: a seam between /stats and publishing.

/stats only needs "the video ids this account published through the bot,
newest first". The composition root hands the stats service a
`PublishedPosts`; by default `PublishJobPosts`, which reads TikTok's post
ids from the publishing feature's `publish_jobs` table. Tests (and any other
source of truth) inject their own through `RunOptions.published_posts`.
"""

from __future__ import annotations

from typing import Protocol

from storage.db import Database
from storage.repositories import PublishedPostsRepository

MAX_POSTS = 50


class PublishedPosts(Protocol):
    """Where /stats learns which videos the bot published."""

    async def published_video_ids(self, account_id: int) -> list[str]:
        """TikTok video ids (strings) of the account's posts made through the bot, newest first."""
        ...


class PublishJobPosts:
    """`PublishedPosts` from the `publish_jobs` table (post_id of each finished job).

    Returns [] only while that table does not exist (the publishing migration
    has not run); once it exists every read goes to it.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def published_video_ids(self, account_id: int) -> list[str]:
        """Post ids of the account's publish jobs, newest first."""
        async with self._db.transaction() as session:
            repo = PublishedPostsRepository(session)
            if not await repo.table_exists():
                return []
            return await repo.video_ids(account_id, limit=MAX_POSTS)
