"""The last look before a scheduled post goes out: fresh creator info, same choices.

Only posts that waited (due well after they were created) are checked here:
a post made right away was checked by the composer moments before.
"""

from __future__ import annotations

from datetime import timedelta

from bot.accounts import TokenManager
from bot.errors import AccountNeedsRelink, AccountNotFound
from bot.publishing.requests import PublishRequest
from bot.scheduling.due_check import HoldReason, hold_reason
from bot.tiktok import PostingRefused, PublishingAPI, ScopeMissing

# A job due this long after it was created counts as scheduled.
SCHEDULED_AFTER = timedelta(seconds=60)


class JobHeld(Exception):
    """A scheduled post TikTok would refuse now: hold it in the queue with `code`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DueGate:
    """Asks TikTok whether a scheduled post can go out as the user chose it."""

    def __init__(self, tokens: TokenManager, api: PublishingAPI) -> None:
        self._tokens = tokens
        self._api = api

    async def refusal(self, account_id: int, request: PublishRequest) -> str | None:
        """Why TikTok would refuse the post now (a HoldReason or TikTok's code), or None.

        Temporary trouble (TikTok down, rate limits) propagates: the run retries later.
        """
        try:
            creator = await self._tokens.call(account_id, self._api.creator_info)
        except (AccountNeedsRelink, AccountNotFound, ScopeMissing):
            return HoldReason.NEEDS_RELINK.value
        except PostingRefused as refused:
            return refused.code or "spam_risk"
        duration = request.media[0].duration if request.media else None
        reason = hold_reason(creator, request.choices, kind=request.kind, duration=duration)
        return reason.value if reason is not None else None
