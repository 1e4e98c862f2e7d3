"""/comment: write, reply to and delete comments on TikTok videos, from the chat.

The step "which video, then which text, then Send" lives in the database
(`pending_comments`), not in memory, so a restart in the middle loses nothing.
Text is validated before anything is sent to TikTok. Every comment TikTok
accepted is stored, so the user can list and delete what they wrote here.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.accounts import AccountService, TokenManager
from bot.clock import Clock
from bot.comments.text import TextRefused, clean_comment
from bot.errors import NoLinkedAccount
from bot.insights.finder import LIST_SCOPE, FoundVideo, LookupFailed, LookupProblem, VideoFinder
from bot.tiktok import BadRequest, CommentsAPI, PostingRefused, ScopeMissing, Video
from storage.db import Database
from storage.repositories import (
    BotCommentRecord,
    BotCommentRepository,
    LinkedAccount,
    PendingCommentRecord,
    PendingCommentRepository,
)

log = logging.getLogger(__name__)

PENDING_LIFETIME = timedelta(minutes=30)  # after that, a text message is not a comment any more
PICKER_SIZE = 8
RECENT_LIMIT = 10


class CommentProblem(StrEnum):
    """Why TikTok did not take a comment, or why a button no longer works."""

    VIDEO_NOT_FOUND = "video_not_found"
    REPLY_TARGET_GONE = "reply_target_gone"
    REFUSED = "refused"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class CommentPosted:
    """TikTok accepted the comment."""

    comment: BotCommentRecord


@dataclass(frozen=True, slots=True)
class CommentFailed:
    """TikTok refused, or the pending step was gone."""

    problem: CommentProblem
    code: str = ""


CommentOutcome = CommentPosted | CommentFailed | TextRefused | LookupFailed


class DeleteOutcome(StrEnum):
    """What deleting a comment did."""

    DELETED = "deleted"
    ALREADY_GONE = "already_gone"  # deleted on TikTok by someone or something else
    NOT_FOUND = "not_found"  # not the user's, or already deleted here


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """Where a comment goes: the account writing it and the video ("" title: unknown)."""

    account: LinkedAccount
    video_id: str
    title: str


@dataclass(frozen=True, slots=True)
class VideoPicker:
    """The recent videos to comment on, for one account, and the user's other accounts."""

    account: LinkedAccount
    videos: tuple[Video, ...]
    others: tuple[LinkedAccount, ...]
    scope_missing: bool = False


class CommentService:
    """Comments written through the bot and the one each user may be composing."""

    def __init__(
        self,
        *,
        db: Database,
        accounts: AccountService,
        tokens: TokenManager,
        api: CommentsAPI,
        finder: VideoFinder,
        clock: Clock,
    ) -> None:
        self._db = db
        self._accounts = accounts
        self._tokens = tokens
        self._api = api
        self._finder = finder
        self._clock = clock

    def now(self) -> datetime:
        """The service's clock (for "2 hours ago")."""
        return self._clock()

    # -- choosing where to comment ------------------------------------------------

    async def picker(self, user_id: int, account_id: int | None = None) -> VideoPicker:
        """The account's recent videos (default account unless one is named)."""
        linked = await self._accounts.linked(user_id)
        if not linked:
            raise NoLinkedAccount()
        account = linked[0]
        if account_id is not None:
            account = await self._accounts.owned(user_id, account_id)
        others = tuple(a for a in linked if a.id != account.id)
        if LIST_SCOPE not in account.scopes:
            return VideoPicker(account, (), others, scope_missing=True)
        try:
            videos = await self._finder.recent(account, count=PICKER_SIZE)
        except ScopeMissing:
            return VideoPicker(account, (), others, scope_missing=True)
        return VideoPicker(account, tuple(videos), others)

    async def target(self, user_id: int, reference: str) -> CommentTarget | LookupFailed:
        """The video a link or id names, and which linked account comments on it.

        A video of one of the user's accounts is commented on as that account;
        any other video as the default account (TikTok decides if it may).
        """
        video_id = await self._finder.video_id(reference)
        if isinstance(video_id, LookupFailed):
            return video_id
        found = await self._finder.find(user_id, video_id)
        if isinstance(found, FoundVideo):
            return CommentTarget(found.account, video_id, _title(found.video))
        if found.problem not in (LookupProblem.NOT_FOUND, LookupProblem.NO_VIDEO_SCOPE):
            return found
        return CommentTarget(await self._accounts.default(user_id), video_id, "")

    async def target_on(self, user_id: int, account_id: int, video_id: str) -> CommentTarget:
        """A video picked from the account's list (its title fetched fresh)."""
        account = await self._accounts.owned(user_id, account_id)
        video = await self._finder.on_account(account, video_id)
        return CommentTarget(account, video_id, _title(video) if video else "")

    # -- posting ----------------------------------------------------------------------

    async def post(
        self, user_id: int, target: CommentTarget, text: str, *, reply_to: str | None = None
    ) -> CommentPosted | CommentFailed | TextRefused:
        """Validate and post right away (`/comment <link> <text>`)."""
        cleaned = clean_comment(text)
        if isinstance(cleaned, TextRefused):
            return cleaned
        return await self._publish(user_id, target, cleaned, reply_to)

    async def _publish(
        self, user_id: int, target: CommentTarget, text: str, reply_to: str | None
    ) -> CommentPosted | CommentFailed:
        account = target.account

        async def publish(token: str) -> str:
            return await self._api.publish(
                token,
                open_id=account.open_id,
                video_id=target.video_id,
                text=text,
                reply_to_comment_id=reply_to,
            )

        try:
            comment_id = await self._tokens.call(account.id, publish)
        except PostingRefused as exc:
            if exc.code == "video_not_found":
                return CommentFailed(CommentProblem.VIDEO_NOT_FOUND, exc.code)
            if exc.code == "comment_not_found":
                return CommentFailed(CommentProblem.REPLY_TARGET_GONE, exc.code)
            return CommentFailed(CommentProblem.REFUSED, exc.code)
        except BadRequest as exc:
            # Our own checks passed, so TikTok has a rule we do not know: tell the user.
            log.warning("TikTok refused a comment: %s (log_id %s)", exc.code, exc.log_id)
            return CommentFailed(CommentProblem.REFUSED, exc.code)
        async with self._db.transaction() as session:
            record = await BotCommentRepository(session).add(
                telegram_user_id=user_id,
                account_id=account.id,
                video_id=target.video_id,
                video_title=target.title,
                comment_id=comment_id,
                reply_to_comment_id=reply_to,
                text=text,
                created_at=self._clock(),
            )
        return CommentPosted(record)

    # -- the pending step -----------------------------------------------------------------

    async def begin(
        self,
        user_id: int,
        chat_id: int,
        target: CommentTarget,
        *,
        reply_to: str | None = None,
        reply_to_text: str | None = None,
        text: str | None = None,
    ) -> PendingCommentRecord | TextRefused:
        """Start composing a comment on `target` (replacing any other being composed)."""
        if text is not None:
            cleaned = clean_comment(text)
            if isinstance(cleaned, TextRefused):
                return cleaned
            text = cleaned
        now = self._clock()
        async with self._db.transaction() as session:
            return await PendingCommentRepository(session).put(
                telegram_user_id=user_id,
                chat_id=chat_id,
                account_id=target.account.id,
                video_id=target.video_id,
                video_title=target.title,
                reply_to_comment_id=reply_to,
                reply_to_text=reply_to_text,
                text=text,
                token=_token(),
                created_at=now,
                expires_at=now + PENDING_LIFETIME,
            )

    async def begin_reply(
        self, user_id: int, chat_id: int, comment_row_id: int
    ) -> PendingCommentRecord | None:
        """Start a reply to a comment the user wrote through the bot (None: not theirs)."""
        async with self._db.transaction() as session:
            parent = await BotCommentRepository(session).get_owned(user_id, comment_row_id)
        if parent is None or parent.deleted_at is not None:
            return None
        account = await self._accounts.owned(user_id, parent.account_id)
        target = CommentTarget(account, parent.video_id, parent.video_title)
        pending = await self.begin(
            user_id,
            chat_id,
            target,
            reply_to=parent.comment_id,
            reply_to_text=parent.text,
        )
        assert isinstance(pending, PendingCommentRecord)  # no text yet, nothing to refuse
        return pending

    async def pending(self, user_id: int) -> PendingCommentRecord | None:
        """The comment the user is composing, unless it expired (then it is forgotten)."""
        async with self._db.transaction() as session:
            repo = PendingCommentRepository(session)
            pending = await repo.get(user_id)
            if pending is not None and pending.expires_at <= self._clock():
                await repo.delete(user_id, token=pending.token)
                return None
            return pending

    async def write(self, user_id: int, text: str) -> PendingCommentRecord | TextRefused | None:
        """Take the user's message as the pending comment's text; None if nothing is pending."""
        if await self.pending(user_id) is None:
            return None
        cleaned = clean_comment(text)
        if isinstance(cleaned, TextRefused):
            return cleaned
        async with self._db.transaction() as session:
            return await PendingCommentRepository(session).set_text(
                user_id,
                text=cleaned,
                token=_token(),
                expires_at=self._clock() + PENDING_LIFETIME,
            )

    async def send(self, user_id: int, token: str) -> CommentPosted | CommentFailed:
        """Post the pending comment the preview with `token` showed (once, even if tapped twice)."""
        claim = "s" + _token()
        async with self._db.transaction() as session:
            repo = PendingCommentRepository(session)
            pending = await repo.get(user_id)
            if (
                pending is None
                or pending.token != token
                or pending.text is None
                or pending.expires_at <= self._clock()
                or not await repo.swap_token(user_id, expected=token, new=claim)
            ):
                return CommentFailed(CommentProblem.STALE)
        try:
            account = await self._accounts.owned(user_id, pending.account_id)
            target = CommentTarget(account, pending.video_id, pending.video_title)
            outcome = await self._publish(
                user_id, target, pending.text, pending.reply_to_comment_id
            )
        except BaseException:
            # TikTok down or rate-limited: give the Send button back for a later tap.
            async with self._db.transaction() as session:
                await PendingCommentRepository(session).swap_token(
                    user_id, expected=claim, new=token
                )
            raise
        async with self._db.transaction() as session:
            repo = PendingCommentRepository(session)
            if isinstance(outcome, CommentFailed) and outcome.problem is CommentProblem.REFUSED:
                # Keep the step: the user can send a different text.
                await repo.swap_token(user_id, expected=claim, new=token)
            else:
                await repo.delete(user_id, token=claim)
        return outcome

    async def cancel(self, user_id: int, token: str | None = None) -> bool:
        """Drop the pending comment (the one with `token`, when given)."""
        async with self._db.transaction() as session:
            return await PendingCommentRepository(session).delete(user_id, token=token)

    # -- what was written ---------------------------------------------------------------

    async def recent(self, user_id: int) -> list[BotCommentRecord]:
        """The user's live comments written through the bot, newest first."""
        async with self._db.transaction() as session:
            return await BotCommentRepository(session).recent(user_id, limit=RECENT_LIMIT)

    async def get(self, user_id: int, comment_row_id: int) -> BotCommentRecord | None:
        """One of the user's comments (None: not theirs or unknown)."""
        async with self._db.transaction() as session:
            return await BotCommentRepository(session).get_owned(user_id, comment_row_id)

    async def delete(self, user_id: int, comment_row_id: int) -> DeleteOutcome:
        """Delete the comment on TikTok and mark it deleted here."""
        record = await self.get(user_id, comment_row_id)
        if record is None or record.deleted_at is not None:
            return DeleteOutcome.NOT_FOUND
        account = await self._accounts.owned(user_id, record.account_id)

        async def delete(token: str) -> None:
            await self._api.delete(
                token,
                open_id=account.open_id,
                video_id=record.video_id,
                comment_id=record.comment_id,
            )

        outcome = DeleteOutcome.DELETED
        try:
            await self._tokens.call(account.id, delete)
        except PostingRefused as exc:
            if exc.code not in ("comment_not_found", "video_not_found"):
                raise
            outcome = DeleteOutcome.ALREADY_GONE
        async with self._db.transaction() as session:
            if not await BotCommentRepository(session).mark_deleted(record.id, self._clock()):
                return DeleteOutcome.NOT_FOUND  # a second tap raced this one
        return outcome


def _token() -> str:
    # 8 URL-safe characters: short enough for callback data, never contains ':'.
    return secrets.token_urlsafe(6)


def _title(video: Video) -> str:
    return video.title or video.description
