"""Submit: a draft handed to publishing exactly once, in one transaction with its job."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.publishing.draft_base import (
    ComposerState,
    DraftBase,
    DraftNotFound,
    NeedsApproval,
    media_refs,
)
from bot.publishing.requests import PublishRequest
from storage.repositories import DraftRepository
from storage.repositories.drafts import OPEN, SUBMITTED

log = logging.getLogger(__name__)


class DraftSubmit(DraftBase):
    """The Post tap."""

    async def submit(
        self, telegram_user_id: int, draft_id: int, *, not_before: datetime | None = None
    ) -> tuple[ComposerState, int | None]:
        """Hand the draft to publishing exactly once (`not_before`: post later).

        Returns (state, job_id); job_id is None when the rules still block
        posting (the state says why). A second tap finds the draft SUBMITTED
        and raises DraftNotFound.
        """
        state = await self._loaded(telegram_user_id, draft_id)
        if not state.view.can_post:
            return state, None  # blocked by the user's own choices: no TikTok call
        # Creator info fresh once more: privacy options or posting caps may
        # have changed since the composer opened.
        state = await self.open(telegram_user_id, draft_id)
        if not state.view.can_post:
            return state, None
        if state.team is not None:
            raise NeedsApproval()  # a shared account: its owner consents (bot/teams)
        if (
            state.account.telegram_user_id != state.draft.telegram_user_id
            and self._shared() is None
        ):
            raise NeedsApproval()  # someone else's account with no team to say who may consent
        submitter = self._submitter()
        if submitter is None:
            raise RuntimeError("publishing is not running")
        draft = state.draft
        request = PublishRequest(
            draft_id=draft.id,
            # The account's owner: a team approver posts with the owner's account
            # (its tokens never leave the owner's record); `claim` checks the right.
            telegram_user_id=state.account.telegram_user_id,
            chat_id=draft.chat_id,
            account_id=state.account.id,
            media=media_refs(draft),
            choices=state.choices,
        )
        # One transaction: the draft is SUBMITTED exactly when its job exists.
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            shared = self._shared()
            if shared is not None:  # a reviewer's draft posts once, while its request is pending
                await shared.claim(session, draft_id)
            if not await drafts.transition(draft_id, from_status=OPEN, to_status=SUBMITTED):
                raise DraftNotFound(str(draft_id))
            job_id = await submitter.submit(request, not_before=not_before)
            await drafts.update(draft_id, job_id=job_id)
            if shared is not None:
                await shared.job_started(session, draft_id, job_id)
        return state, job_id
