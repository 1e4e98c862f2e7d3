"""The post queue: schedule a post, list what is waiting or running, change it.

A scheduled post is an ordinary publish job with a due time (`not_before`):
it survives restarts in the database and runs once across processes under
the worker's lease. The queue only changes jobs that have not reached TikTok
and that no worker holds; once TikTok has the media, nothing here can take
it back, and the user is told so.

The media stays where Telegram keeps it: the job stores the Telegram file
reference (file_id), which does not expire for the bot. Scheduling asks
Telegram for the file once (getFile), so a file the bot cannot fetch (over
the cloud Bot API's 20 MB, or gone) is refused now instead of at the due
time; nothing is downloaded until the post goes out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.clock import Clock
from bot.errors import BotError
from bot.publishing.drafts import ComposerState, DraftService, media_refs
from bot.publishing.jobs import JobState
from bot.publishing.requests import MediaKind, MediaRef, PublishRequest
from bot.publishing.sources import FileTooBig, FileUnavailable, TelegramFiles
from bot.publishing.text_limits import (
    PHOTO_DESCRIPTION_LIMIT,
    PHOTO_TITLE_LIMIT,
    VIDEO_CAPTION_LIMIT,
    fits,
)
from bot.publishing.worker import PublishService
from bot.scheduling.captions import caption_of, shorten
from bot.scheduling.times import check_due
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import AccountRepository
from storage.repositories.scheduled_posts import ScheduledPost, ScheduledPostRepository

CANCELLED_BY_USER = "cancelled"


class MediaUnavailable(BotError):
    """The media cannot be fetched from Telegram, so it could not be posted later."""

    def __init__(self, too_big: bool) -> None:
        super().__init__("media unavailable")
        self.too_big = too_big


class Change(StrEnum):
    """What became of a change asked for from /queue."""

    DONE = "done"
    REACHED_TIKTOK = "reached_tiktok"  # TikTok has the media: too late
    RUNNING = "running"  # a worker is preparing it right now
    GONE = "gone"  # finished, cancelled, or not this user's
    TOO_LONG = "too_long"  # an edited caption over TikTok's limit


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One line of /queue."""

    job_id: int
    kind: str
    state: JobState
    due: datetime
    account_label: str
    caption_start: str
    hold_reason: str | None
    chat_id: int
    progress_message_id: int | None  # the post's own message ("will be posted at …")

    @property
    def waiting(self) -> bool:
        """Still changeable: scheduled, or on hold."""
        return self.state in (JobState.QUEUED, JobState.HELD)


def with_caption(request: PublishRequest, text: str) -> PublishRequest | None:
    """The request with a new caption, or None when it is over TikTok's limits."""
    if request.kind is MediaKind.VIDEO:
        if not fits(text, VIDEO_CAPTION_LIMIT):
            return None
        return replace(request, choices=replace(request.choices, title=text))
    if not fits(text, PHOTO_DESCRIPTION_LIMIT):
        return None
    first_line = text.strip().split("\n", 1)[0].strip()
    title = first_line if fits(first_line, PHOTO_TITLE_LIMIT) else ""
    return replace(request, choices=replace(request.choices, title=title, description=text))


class PostQueue:
    """Schedules posts and lets their owner move, edit, start or cancel them."""

    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        clock: Clock,
        publishing: PublishService,
        drafts: DraftService,
        files: Callable[[], TelegramFiles | None],
    ) -> None:
        self._drafts = drafts
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._publishing = publishing
        self._files = files

    def now(self) -> datetime:
        """The bot's clock."""
        return self._clock()

    async def schedule(self, request: PublishRequest, when: datetime) -> int:
        """Check the time and the media, then store the post for `when`; the job id."""
        check_due(when, self._clock())
        await self.check_media(request.media)
        return await self._publishing.submit(request, not_before=when)

    async def schedule_draft(
        self, telegram_user_id: int, draft_id: int, when: datetime
    ) -> tuple[ComposerState, int | None]:
        """Post a composed draft at `when` with every choice made in the composer.

        Same rules as Post (the job id is None when they still block posting);
        the time and the media are checked first.
        """
        check_due(when, self._clock())
        draft = await self._drafts.owned_open(telegram_user_id, draft_id)
        await self.check_media(media_refs(draft))
        return await self._drafts.submit(telegram_user_id, draft_id, not_before=when)

    async def check_media(self, media: tuple[MediaRef, ...]) -> None:
        """Raise MediaUnavailable unless Telegram hands out every file of the post now."""
        files = self._files()
        if files is None:
            return  # not connected (partial test setups): the run checks at the due time
        for item in media:
            try:
                await files.locate(item.file_id)
            except FileTooBig:
                raise MediaUnavailable(too_big=True) from None
            except FileUnavailable as exc:
                if not exc.retryable:
                    raise MediaUnavailable(too_big=False) from None

    async def entries(self, telegram_user_id: int) -> list[QueueEntry]:
        """The user's scheduled, held and running posts, soonest first."""
        async with self._db.transaction() as session:
            posts = await ScheduledPostRepository(session).open_for_user(telegram_user_id)
            accounts = AccountRepository(session, self._cipher)
            labels: dict[int, str] = {}
            for post in posts:
                if post.account_id not in labels:
                    account = await accounts.get(post.account_id)
                    labels[post.account_id] = account.label if account else "TikTok"
        return [self._entry(post, labels[post.account_id]) for post in posts]

    def _entry(self, post: ScheduledPost, label: str) -> QueueEntry:
        state = JobState(post.state)
        return QueueEntry(
            job_id=post.id,
            kind=post.kind,
            state=state,
            due=post.not_before,
            account_label=label,
            caption_start=shorten(caption_of(PublishRequest.from_json(post.request_json))),
            hold_reason=post.outcome_code if state is JobState.HELD else None,
            chat_id=post.chat_id,
            progress_message_id=post.progress_message_id,
        )

    async def entry(self, telegram_user_id: int, job_id: int) -> QueueEntry | None:
        """One of the user's open posts."""
        for item in await self.entries(telegram_user_id):
            if item.job_id == job_id:
                return item
        return None

    async def _why_not(self, telegram_user_id: int, job_id: int) -> Change:
        """Why a change did not apply."""
        async with self._db.transaction() as session:
            post = await ScheduledPostRepository(session).get(job_id)
        if post is None or post.telegram_user_id != telegram_user_id:
            return Change.GONE
        if post.publish_id is not None:
            return Change.REACHED_TIKTOK
        if JobState(post.state).final:
            return Change.GONE
        return Change.RUNNING

    async def _owned(self, telegram_user_id: int, job_id: int) -> ScheduledPost | None:
        async with self._db.transaction() as session:
            post = await ScheduledPostRepository(session).get(job_id)
        return post if post is not None and post.telegram_user_id == telegram_user_id else None

    async def post_now(self, telegram_user_id: int, job_id: int) -> Change:
        """Make a waiting post due now (also a held one: "try again")."""
        return await self._move(telegram_user_id, job_id, self._clock())

    async def reschedule(self, telegram_user_id: int, job_id: int, when: datetime) -> Change:
        """Give a waiting post a new due time (checked like a new one)."""
        check_due(when, self._clock())
        return await self._move(telegram_user_id, job_id, when)

    async def _move(self, telegram_user_id: int, job_id: int, when: datetime) -> Change:
        if await self._owned(telegram_user_id, job_id) is None:
            return Change.GONE
        async with self._db.transaction() as session:
            moved = await ScheduledPostRepository(session).move(
                job_id, when=when, now=self._clock()
            )
        if not moved:
            return await self._why_not(telegram_user_id, job_id)
        self._db.after_commit(self._publishing.wake)  # the worker must see the change
        return Change.DONE

    async def edit_caption(self, telegram_user_id: int, job_id: int, text: str) -> Change:
        """Replace a waiting post's caption."""
        post = await self._owned(telegram_user_id, job_id)
        if post is None:
            return Change.GONE
        edited = with_caption(PublishRequest.from_json(post.request_json), text)
        if edited is None:
            return Change.TOO_LONG
        async with self._db.transaction() as session:
            stored = await ScheduledPostRepository(session).replace_request(
                job_id, request_json=edited.to_json(), now=self._clock()
            )
        return Change.DONE if stored else await self._why_not(telegram_user_id, job_id)

    async def cancel(self, telegram_user_id: int, job_id: int) -> Change:
        """Cancel a post that has not reached TikTok."""
        if await self._owned(telegram_user_id, job_id) is None:
            return Change.GONE
        async with self._db.transaction() as session:
            cancelled = await ScheduledPostRepository(session).cancel(
                job_id, now=self._clock(), code=CANCELLED_BY_USER
            )
        if cancelled is None:
            return await self._why_not(telegram_user_id, job_id)
        return Change.DONE
