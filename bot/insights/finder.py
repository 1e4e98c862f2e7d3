"""From what the user typed to one of their videos: link parsing, short links, ownership.

Shared by /stats <link> and /comment <link>: the video is looked up with
video.query on each linked account that granted video.list (default first),
since TikTok only answers for the token's own videos.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.accounts import AccountService, TokenManager
from bot.errors import AccountNeedsRelink, NoLinkedAccount
from bot.insights.links import ShortLink, VideoId, find_video_ref
from bot.insights.short_links import ShortLinkResolver, ShortLinkUnreachable
from bot.tiktok import ScopeMissing, Video, VideosAPI
from storage.repositories import LinkedAccount

LIST_SCOPE = "video.list"


class LookupProblem(StrEnum):
    """Why no video came out of the user's words."""

    NOT_A_LINK = "not_a_link"
    SHORT_LINK_UNREACHABLE = "short_link_unreachable"
    SHORT_LINK_NOT_A_VIDEO = "short_link_not_a_video"
    NOT_FOUND = "not_found"
    NO_VIDEO_SCOPE = "no_video_scope"


@dataclass(frozen=True, slots=True)
class FoundVideo:
    """The video and the linked account it belongs to."""

    account: LinkedAccount
    video: Video


@dataclass(frozen=True, slots=True)
class LookupFailed:
    """No video; `accounts` are the ones to re-link when a scope is missing."""

    problem: LookupProblem
    video_id: str | None = None
    accounts: tuple[LinkedAccount, ...] = ()


class VideoFinder:
    """Resolves references and finds which linked account owns a video."""

    def __init__(
        self,
        *,
        accounts: AccountService,
        tokens: TokenManager,
        videos: VideosAPI,
        resolver: ShortLinkResolver,
    ) -> None:
        self._accounts = accounts
        self._tokens = tokens
        self._videos = videos
        self._resolver = resolver

    async def video_id(self, reference: str) -> str | LookupFailed:
        """The id `reference` names (following a short link), or why there is none."""
        ref = find_video_ref(reference)
        if isinstance(ref, VideoId):
            return ref.value
        if isinstance(ref, ShortLink):
            try:
                resolved = await self._resolver.resolve(ref)
            except ShortLinkUnreachable:
                return LookupFailed(LookupProblem.SHORT_LINK_UNREACHABLE)
            return resolved or LookupFailed(LookupProblem.SHORT_LINK_NOT_A_VIDEO)
        return LookupFailed(LookupProblem.NOT_A_LINK)

    async def find(self, user_id: int, video_id: str) -> FoundVideo | LookupFailed:
        """The video among the user's accounts' videos (default account first)."""
        linked = await self._accounts.linked(user_id)
        if not linked:
            raise NoLinkedAccount()
        readable = [a for a in linked if LIST_SCOPE in a.scopes]
        if not readable:
            return LookupFailed(LookupProblem.NO_VIDEO_SCOPE, video_id, tuple(linked))
        dead: AccountNeedsRelink | None = None
        for account in readable:
            found = await self._query(account, video_id)
            if isinstance(found, AccountNeedsRelink):
                dead = dead or found
            elif found is not None:
                return FoundVideo(account, found)
        if dead is not None:
            raise dead  # the video may well be on the account we can no longer read
        return LookupFailed(LookupProblem.NOT_FOUND, video_id)

    async def _query(
        self, account: LinkedAccount, video_id: str
    ) -> Video | AccountNeedsRelink | None:
        async def query(token: str) -> list[Video]:
            return await self._videos.query(token, [video_id])

        try:
            videos = await self._tokens.call(account.id, query)
        except AccountNeedsRelink as exc:
            return exc
        except ScopeMissing:
            return None  # revoked at TikTok since linking: treat like "not this account"
        return next((v for v in videos if v.id == video_id), None)

    async def on_account(self, account: LinkedAccount, video_id: str) -> Video | None:
        """The video if it is one of `account`'s (None also without video.list)."""
        if LIST_SCOPE not in account.scopes:
            return None
        found = await self._query(account, video_id)
        if isinstance(found, AccountNeedsRelink):
            raise found
        return found

    async def recent(self, account: LinkedAccount, *, count: int) -> list[Video]:
        """The account's newest videos (for pickers)."""

        async def page(token: str) -> list[Video]:
            return list((await self._videos.page(token, max_count=count)).videos)

        return await self._tokens.call(account.id, page)
