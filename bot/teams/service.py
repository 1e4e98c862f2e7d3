"""The team service: roles, shared accounts, and the approval that ends in one post.

The account owner, or an admin they named (bot/teams/consent.py), gives the
final consent in the full composer (their own draft of the submitted post,
docs/teams.md). Nothing reaches TikTok on an editor's tap: `claim` runs
inside the Post transaction of the reviewer's draft and lets it through only
while the request is pending and the reviewer still may consent, so one
request makes at most one publish job.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.accounts import AccountService
from bot.clock import Clock
from bot.errors import BotError
from bot.publishing.choices import PostChoices
from bot.teams import consent
from bot.teams.consent import ConsentView
from bot.teams.roles import Role, at_least, manages, next_role
from storage.crypto import TokenCipher
from storage.db import Database
from storage.repositories import DraftRepository, LinkedAccount
from storage.repositories.accounts import AccountRepository
from storage.repositories.drafts import CANCELLED as DRAFT_CANCELLED
from storage.repositories.drafts import OPEN
from storage.repositories.teams import (
    ACTIVE,
    APPROVED,
    CANCELLED,
    EXPIRED,
    PENDING,
    REJECTED,
    SUSPENDED,
    ApprovalRepository,
    ApprovalRow,
    ApproverRepository,
    EventRow,
    MemberRow,
    ReviewRepository,
    TeamEventRepository,
    TeamRepository,
    TeamRow,
)

# The editor's draft while it waits: no longer OPEN, so it cannot be posted or changed.
IN_REVIEW = "in_review"


class TeamRefused(BotError):
    """A team action this person may not take; `why` picks the words."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Closed(BotError):
    """The approval request is no longer pending (decided, expired, cancelled); `by` decided it."""

    def __init__(self, status: str, by: str | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.by = by


@dataclass(frozen=True, slots=True)
class ApprovalCard:
    """Everything the group card and the private notices show, as plain values."""

    approval: ApprovalRow
    team: TeamRow
    account_label: str
    account_owner_id: int
    kind: str
    media: list[dict[str, object]]
    choices: PostChoices
    share_url: str | None = None
    # Who may consent now: the account owner first, then the admins they named.
    approvers: tuple[int, ...] = ()
    delegates: tuple[str, ...] = ()  # the named admins' names, for the card


@dataclass(frozen=True, slots=True)
class Submission:
    """A request just sent for approval."""

    card: ApprovalCard
    composer_message_id: int | None


@dataclass(frozen=True, slots=True)
class Review:
    """The reviewer's draft of a request (a normal composer draft of their own)."""

    card: ApprovalCard
    draft_id: int


class TeamService:
    """Teams in the database; every check of who may do what."""

    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        accounts: AccountService,
        clock: Clock,
        approval_days: int,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._accounts = accounts
        self._clock = clock
        self._approval_days = approval_days

    # -- the team and its members ------------------------------------------------------

    async def team_of_chat(self, chat_id: int) -> TeamRow | None:
        """The team of a group, if there is one."""
        async with self._db.transaction() as session:
            return await TeamRepository(session).by_chat(chat_id)

    async def create_or_show(
        self,
        *,
        chat_id: int,
        title: str,
        user_id: int,
        name: str,
        group_admins: list[tuple[int, str]],
    ) -> tuple[TeamRow, bool]:
        """The group's team; created with the caller as owner when they are a group admin."""
        async with self._db.transaction() as session:
            teams, log = TeamRepository(session), TeamEventRepository(session)
            team = await teams.by_chat(chat_id)
            is_admin = any(uid == user_id for uid, _ in group_admins)
            if team is not None:
                if team.status == SUSPENDED and is_admin:
                    await teams.set_status(team.id, ACTIVE)
                    await log.add(team.id, "resumed", name)
                    team = dataclasses.replace(team, status=ACTIVE)
                elif await teams.member(team.id, user_id) is None:
                    role = Role.ADMIN if is_admin else Role.VIEWER
                    await teams.put_member(team.id, user_id, name, role)
                return team, False
            if not is_admin:
                raise TeamRefused("not_group_admin")
            team = await teams.create(chat_id=chat_id, title=title, owner_user_id=user_id)
            await teams.put_member(team.id, user_id, name, Role.OWNER)
            for uid, admin_name in group_admins:
                if uid != user_id:
                    await teams.put_member(team.id, uid, admin_name, Role.ADMIN)
            await log.add(team.id, "created", name)
            return team, True

    async def members(self, team_id: int) -> list[MemberRow]:
        """The team's members."""
        async with self._db.transaction() as session:
            return await TeamRepository(session).members(team_id)

    async def role_of(self, team_id: int, user_id: int) -> str | None:
        """A person's role in a team (None: not a member)."""
        async with self._db.transaction() as session:
            member = await TeamRepository(session).member(team_id, user_id)
        return member.role if member else None

    async def cycle_role(
        self, *, chat_id: int, team_id: int, actor_id: int, actor: str, member_id: int
    ) -> MemberRow:
        """Give a member the next role (viewer -> editor -> admin -> viewer)."""
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            team = await teams.get(team_id)
            if team is None or team.chat_id != chat_id:
                raise TeamRefused("other_team")  # a button of another group changes nothing
            actor_member = await teams.member(team_id, actor_id)
            if not manages(actor_member.role if actor_member else None):
                raise TeamRefused("not_manager")
            member = await teams.member(team_id, member_id)
            if member is None:
                raise TeamRefused("not_member")
            role = next_role(member.role)
            if role is None:
                raise TeamRefused("owner_fixed")
            await teams.put_member(team_id, member_id, member.name, role)
            await TeamEventRepository(session).add(
                team_id, "role", actor, f"{member.name}: {member.role} → {role.value}"
            )
            if not at_least(role, Role.ADMIN):
                await self._lose_consent(session, team_id, member_id)
            return dataclasses.replace(member, role=role.value)

    async def member_left(self, chat_id: int, user_id: int, name: str) -> bool:
        """A member left (or was removed from) the group: their role goes."""
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            team = await teams.by_chat(chat_id)
            if team is None or not await teams.remove_member(team.id, user_id):
                return False
            await TeamEventRepository(session).add(team.id, "left", name)
            await self._lose_consent(session, team.id, user_id)
            return True

    async def _lose_consent(self, session: AsyncSession, team_id: int, user_id: int) -> None:
        """No longer an admin (or gone): named consent rights and open reviews end at once."""
        await ApproverRepository(session).drop(team_id, telegram_user_id=user_id)
        await consent.close_reviews_of(session, team_id=team_id, user_id=user_id)

    async def bot_removed(self, chat_id: int) -> bool:
        """The bot left the group: the team is suspended until an admin runs /team again."""
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            team = await teams.by_chat(chat_id)
            if team is None or not await teams.set_status(team.id, SUSPENDED):
                return False
            await TeamEventRepository(session).add(team.id, "suspended", "bot removed")
            return True

    async def log(self, team_id: int) -> list[EventRow]:
        """The team's newest events."""
        async with self._db.transaction() as session:
            return await TeamEventRepository(session).latest(team_id)

    async def shared_accounts(self, team_id: int) -> list[LinkedAccount]:
        """The accounts shared with a team (for /stats in the group)."""
        async with self._db.transaction() as session:
            ids = await TeamRepository(session).shared_accounts(team_id)
            accounts = AccountRepository(session, self._cipher)
            found = [await accounts.get(i) for i in ids]
        return [a for a in found if a is not None]

    # -- sharing ------------------------------------------------------------------------

    async def sharing(self, user_id: int) -> list[tuple[LinkedAccount, TeamRow, bool]]:
        """(account, team, shared?) for the user's accounts and their teams."""
        accounts = await self._accounts.linked(user_id)
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            result = []
            for team, _role in await teams.teams_of(user_id):
                shared = set(await teams.shared_accounts(team.id))
                result += [(a, team, a.id in shared) for a in accounts]
        return result

    async def share(self, user_id: int, name: str, account_id: int, team_id: int) -> TeamRow:
        """Share the user's own account with a team they belong to."""
        account = await self._accounts.owned(user_id, account_id)
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            team = await teams.get(team_id)
            if team is None or team.status != ACTIVE or not await teams.member(team_id, user_id):
                raise TeamRefused("not_member")
            if await teams.share(team_id, account_id, user_id):
                await TeamEventRepository(session).add(team_id, "shared", name, account.label)
            return team

    async def consent_view(self, user_id: int, account_id: int, team_id: int) -> ConsentView:
        """Who may give the final consent for the owner's shared account in a team."""
        account = await self._accounts.owned(user_id, account_id)
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            team = await teams.get(team_id)
            if team is None or not await teams.is_shared(team_id, account_id):
                raise TeamRefused("not_shared")
            found = await consent.candidates(
                session, team_id=team_id, account_id=account_id, owner_id=user_id
            )
        return ConsentView(account_id, account.label, team_id, team.title, found)

    async def toggle_approver(
        self, user_id: int, name: str, account_id: int, team_id: int, member_id: int
    ) -> ConsentView:
        """Name a team admin who may consent for the account, or take the right back.

        `member_id` 0 means "only me": every named admin loses the right. A
        revoked admin's open review draft closes in the same transaction.
        """
        view = await self.consent_view(user_id, account_id, team_id)
        async with self._db.transaction() as session:
            approvers, log = ApproverRepository(session), TeamEventRepository(session)
            revoked: list[int] = []
            if member_id == 0:
                revoked = [uid for _, uid in await approvers.drop(team_id, account_id=account_id)]
            else:
                picked = next((c for c in view.candidates if c.telegram_user_id == member_id), None)
                if picked is None:
                    raise TeamRefused("not_admin")
                if picked.named:
                    await approvers.drop(team_id, account_id=account_id, telegram_user_id=member_id)
                    revoked = [member_id]
                else:
                    await approvers.name(team_id, account_id, member_id)
                    await log.add(
                        team_id, "consent_on", name, f"{picked.name}: {view.account_label}"
                    )
            members = {c.telegram_user_id: c.name for c in view.candidates}
            for uid in revoked:
                await consent.close_reviews_of(
                    session, team_id=team_id, user_id=uid, account_id=account_id
                )
                await log.add(
                    team_id, "consent_off", name, f"{members.get(uid, uid)}: {view.account_label}"
                )
        return await self.consent_view(user_id, account_id, team_id)

    async def unshare(
        self, user_id: int, name: str, account_id: int, team_id: int
    ) -> tuple[TeamRow, list[ApprovalCard]]:
        """Stop sharing at once; pending requests for the account are cancelled."""
        account = await self._accounts.owned(user_id, account_id)
        async with self._db.transaction() as session:
            teams, approvals = TeamRepository(session), ApprovalRepository(session)
            team = await teams.get(team_id)
            if team is None:
                raise TeamRefused("not_member")
            if await teams.unshare(team_id, account_id):
                await TeamEventRepository(session).add(team_id, "unshared", name, account.label)
            await ApproverRepository(session).drop(team_id, account_id=account_id)
            cancelled = []
            for approval in await approvals.pending_for(team_id=team_id, account_id=account_id):
                if await self._end(session, approval, CANCELLED):
                    cancelled.append(await self._card(session, approval.id))
            return team, cancelled

    async def account_gone(self, user_id: int, account_id: int) -> list[ApprovalCard]:
        """The owner unlinks the account: unshared from every team, pending requests cancelled."""
        async with self._db.transaction() as session:
            teams, approvals = TeamRepository(session), ApprovalRepository(session)
            account = await AccountRepository(session, self._cipher).get_owned(user_id, account_id)
            if account is None:
                return []
            cancelled = []
            for approval in await approvals.pending_for(account_id=account_id):
                if await self._end(session, approval, CANCELLED):
                    cancelled.append(await self._card(session, approval.id))
            for team, _role in await teams.teams_of(user_id):
                if await teams.unshare(team.id, account_id):
                    await TeamEventRepository(session).add(team.id, "unshared", "", account.label)
                await ApproverRepository(session).drop(team.id, account_id=account_id)
            return cancelled

    # -- what the composer needs ---------------------------------------------------------

    async def postable(self, user_id: int) -> list[LinkedAccount]:
        """Accounts others shared with teams where this person is an editor or more."""
        async with self._db.transaction() as session:
            teams, accounts = TeamRepository(session), AccountRepository(session, self._cipher)
            found: dict[int, LinkedAccount] = {}
            for team, role in await teams.teams_of(user_id):
                if not at_least(role, Role.EDITOR):
                    continue
                for account_id in await teams.shared_accounts(team.id):
                    account = await accounts.get(account_id)
                    if account is not None and account.telegram_user_id != user_id:
                        found.setdefault(account.id, account)
        return list(found.values())

    async def team_title(self, user_id: int, account_id: int, draft_id: int) -> str | None:
        """The team through which this person may post to a shared account.

        None for an approver's review draft: that composer posts (its Post is
        the consent, checked again by `claim`).
        """
        async with self._db.transaction() as session:
            review = await ReviewRepository(session).by_draft(draft_id)
        if review is not None and review.reviewer_id == user_id:
            return None
        team = await self._team_for(user_id, account_id)
        return team.title if team else None

    async def _team_for(self, user_id: int, account_id: int) -> TeamRow | None:
        async with self._db.transaction() as session:
            teams = TeamRepository(session)
            for team, role in await teams.teams_of(user_id):
                if at_least(role, Role.EDITOR) and await teams.is_shared(team.id, account_id):
                    return team
        return None

    # -- the approval ---------------------------------------------------------------------

    async def submit(self, user_id: int, name: str, draft_id: int) -> Submission:
        """Send an editor's draft for approval: one pending request, nothing to TikTok."""
        now = self._clock()
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            draft = await drafts.get(draft_id)
            if draft is None or draft.telegram_user_id != user_id or draft.status != OPEN:
                raise Closed("gone")
            if draft.account_id is None:
                raise TeamRefused("not_editor")
        team = await self._team_for(user_id, draft.account_id)
        if team is None:
            raise TeamRefused("not_editor")
        async with self._db.transaction() as session:
            drafts = DraftRepository(session)
            if not await drafts.transition(draft_id, from_status=OPEN, to_status=IN_REVIEW):
                raise Closed("gone")  # the second tap of a double tap
            approval = await ApprovalRepository(session).create(
                team_id=team.id,
                draft_id=draft_id,
                account_id=draft.account_id,
                submitter_id=user_id,
                submitter_name=name,
                expires_at=now + timedelta(days=self._approval_days),
            )
            await TeamEventRepository(session).add(team.id, "submitted", name, f"#{approval.id}")
            return Submission(await self._card(session, approval.id), draft.composer_message_id)

    async def requests_of(self, user_id: int) -> list[tuple[ApprovalCard, bool]]:
        """For /queue: the newest requests this person sent or may approve; (card, may review)."""
        owned = [a.id for a in await self._accounts.linked(user_id)]
        async with self._db.transaction() as session:
            delegated = await ApproverRepository(session).of_user(user_id)
            found = await ApprovalRepository(session).involving(
                submitter_id=user_id, account_ids=owned, delegated=delegated
            )
            cards = [await self._card(session, approval.id) for approval in found]
        now = self._clock()
        return [
            (
                card,
                card.approval.status == PENDING
                and card.approval.expires_at > now
                and user_id in card.approvers,
            )
            for card in cards
        ]

    async def set_card_message(self, approval_id: int, message_id: int) -> None:
        """Remember the group card, to edit it in place."""
        async with self._db.transaction() as session:
            await ApprovalRepository(session).update(approval_id, card_message_id=message_id)

    async def card(self, approval_id: int) -> ApprovalCard | None:
        """The card of a request."""
        async with self._db.transaction() as session:
            if await ApprovalRepository(session).get(approval_id) is None:
                return None
            return await self._card(session, approval_id)

    async def review(self, user_id: int, name: str, approval_id: int) -> Review:
        """Open the request for someone who may consent: a composer draft of their own.

        Made once per request and approver (a second Review opens the same
        draft), with the privacy left unchosen: the approver picks it by hand.
        """
        await self.expire_due()
        async with self._db.transaction() as session:
            approval = await ApprovalRepository(session).get(approval_id)
            if approval is None:
                raise Closed("gone")
            card = await self._card(session, approval_id)
            if user_id not in card.approvers:
                role = await TeamRepository(session).member(approval.team_id, user_id)
                raise TeamRefused("not_member" if role is None else "not_approver")
            if approval.status != PENDING:
                raise Closed(approval.status, approval.approver_name)
            if card.team.status != ACTIVE:
                raise TeamRefused("suspended")
            reviews = ReviewRepository(session)
            mine = await reviews.of(approval_id, user_id)
            if mine is not None:
                return Review(card, mine.draft_id)
            drafts = DraftRepository(session)
            source = await drafts.get(approval.draft_id)
            assert source is not None
            proposed = dataclasses.replace(card.choices, privacy_level=None)
            draft = await drafts.create(
                telegram_user_id=user_id,
                chat_id=user_id,  # the approver's private chat
                kind=source.kind,
                status=OPEN,
                media=source.media,
                choices_json=proposed.to_json(),
                account_id=approval.account_id,
            )
            if not await reviews.add(approval_id, user_id, name, draft.id):
                # A double tap on Review: the other tap's draft is the one.
                await drafts.transition(draft.id, from_status=OPEN, to_status=DRAFT_CANCELLED)
                won = await reviews.of(approval_id, user_id)
                assert won is not None
                return Review(card, won.draft_id)
            return Review(card, draft.id)

    async def claim(self, session: AsyncSession, draft_id: int) -> None:
        """In the Post transaction of a draft: a reviewer's draft posts only while pending.

        Raises Closed (nothing written) when the request was decided,
        cancelled or ran out, and TeamRefused when the reviewer may no
        longer consent or the draft is not theirs to post; a draft of the
        user's own account passes untouched.
        """
        draft = await DraftRepository(session).get(draft_id)
        assert draft is not None
        accounts = AccountRepository(session, self._cipher)
        account = await accounts.get(draft.account_id) if draft.account_id else None
        review = await ReviewRepository(session).by_draft(draft_id)
        if review is None:
            if account is not None and account.telegram_user_id != draft.telegram_user_id:
                raise TeamRefused("not_approver")  # someone else's account, and no request
            return
        approvals = ApprovalRepository(session)
        approval = await approvals.get(review.approval_id)
        assert approval is not None
        if account is None or account.id != approval.account_id:
            raise TeamRefused("not_approver")  # the composer was switched to another account
        if not await consent.may_consent(
            session,
            team_id=approval.team_id,
            account_id=approval.account_id,
            owner_id=account.telegram_user_id,
            user_id=review.reviewer_id,
        ):
            raise TeamRefused("revoked")  # named once, no longer (or no longer an admin)
        if not await approvals.close(
            approval.id,
            status=APPROVED,
            now=self._clock(),
            approver_id=review.reviewer_id,
            approver_name=review.reviewer_name,
        ):
            won = await approvals.fresh(approval.id)
            assert won is not None
            # Still "pending" here means its time ran out.
            raise Closed(EXPIRED if won.status == PENDING else won.status, won.approver_name)
        # Other approvers' drafts stay as they are (locking them here could deadlock with
        # their own Post): their Post meets this request approved and says by whom.
        await TeamEventRepository(session).add(
            approval.team_id, "approved", review.reviewer_name, f"#{approval.id}"
        )

    async def why_closed(self, user_id: int, draft_id: int) -> Closed | TeamRefused | None:
        """Why a reviewer's draft no longer posts (decided, cancelled, ran out, right revoked)."""
        async with self._db.transaction() as session:
            review = await ReviewRepository(session).by_draft(draft_id)
            if review is None or review.reviewer_id != user_id:
                return None
            approval = await ApprovalRepository(session).get(review.approval_id)
            assert approval is not None
            if approval.status != PENDING:
                return Closed(approval.status, approval.approver_name)
            if approval.expires_at <= self._clock():
                return Closed(EXPIRED)
            card = await self._card(session, approval.id)
        return None if user_id in card.approvers else TeamRefused("revoked")

    async def job_started(self, session: AsyncSession, draft_id: int, job_id: int) -> None:
        """Link the publish job to its request (same transaction as the claim)."""
        review = await ReviewRepository(session).by_draft(draft_id)
        if review is not None:
            await ApprovalRepository(session).update(review.approval_id, job_id=job_id)

    async def card_of_job(self, job_id: int) -> ApprovalCard | None:
        """The card of the request a publish job came from, if any."""
        async with self._db.transaction() as session:
            approval = await ApprovalRepository(session).by_job(job_id)
            return await self._card(session, approval.id) if approval else None

    async def job_finished(
        self, job_id: int, *, posted: bool, share_url: str | None
    ) -> ApprovalCard | None:
        """Log a request's post (or failure); its card, to edit in place."""
        async with self._db.transaction() as session:
            approval = await ApprovalRepository(session).by_job(job_id)
            if approval is None:
                return None
            await TeamEventRepository(session).add(
                approval.team_id,
                "posted" if posted else "failed",
                approval.approver_name or "",
                f"#{approval.id}",
            )
            card = await self._card(session, approval.id)
        return dataclasses.replace(card, share_url=share_url)

    async def ask_reason(self, user_id: int, approval_id: int) -> ApprovalCard:
        """The approver will type why they reject."""
        card = await self._owned_pending(user_id, approval_id)
        async with self._db.transaction() as session:
            await ApprovalRepository(session).update(
                approval_id, approver_id=user_id, awaiting_reason=True
            )
        return card

    async def awaiting_reason(self, user_id: int) -> ApprovalRow | None:
        """The request whose rejection reason this person is typing, if any."""
        async with self._db.transaction() as session:
            return await ApprovalRepository(session).awaiting_reason(user_id)

    async def reject(self, user_id: int, name: str, approval_id: int, reason: str) -> ApprovalCard:
        """Reject a pending request with a reason; the reviewer's draft is dropped."""
        await self._owned_pending(user_id, approval_id)
        async with self._db.transaction() as session:
            approvals = ApprovalRepository(session)
            approval = await approvals.get(approval_id)
            assert approval is not None
            await self._close_reviews(session, approval)
            if not await approvals.close(
                approval_id,
                status=REJECTED,
                now=self._clock(),
                approver_id=user_id,
                approver_name=name,
                reason=reason,
                awaiting_reason=False,
            ):
                won = await approvals.fresh(approval_id)
                assert won is not None
                raise Closed(EXPIRED if won.status == PENDING else won.status, won.approver_name)
            await self._close_submitted(session, approval)
            await TeamEventRepository(session).add(approval.team_id, "rejected", name, reason)
            return await self._card(session, approval_id)

    async def expire_due(self) -> list[ApprovalCard]:
        """Requests whose time ran out become expired; their cards, to edit."""
        async with self._db.transaction() as session:
            expired = []
            for approval in await ApprovalRepository(session).pending_expired(self._clock()):
                if await self._end(session, approval, EXPIRED):
                    expired.append(await self._card(session, approval.id))
            return expired

    async def _owned_pending(self, user_id: int, approval_id: int) -> ApprovalCard:
        async with self._db.transaction() as session:
            approval = await ApprovalRepository(session).get(approval_id)
            if approval is None:
                raise Closed("gone")
            card = await self._card(session, approval_id)
        if user_id not in card.approvers:
            raise TeamRefused("not_approver")
        if approval.status != PENDING:
            raise Closed(approval.status, approval.approver_name)
        if approval.expires_at <= self._clock():
            await self.expire_due()
            raise Closed(EXPIRED)
        return card

    async def _end(self, session: AsyncSession, approval: ApprovalRow, status: str) -> bool:
        """Cancel or expire a pending request and drop its drafts."""
        await self._close_reviews(session, approval)
        if not await ApprovalRepository(session).close(
            approval.id, status=status, now=self._clock()
        ):
            return False
        await self._close_submitted(session, approval)
        await TeamEventRepository(session).add(approval.team_id, status, "", f"#{approval.id}")
        return True

    async def _close_reviews(self, session: AsyncSession, approval: ApprovalRow) -> None:
        """Before the request row: every approver's open draft closes.

        Drafts first, then the request, the order a Post takes them in (its
        draft, then the claim), so a Post racing a rejection or an expiry
        waits for it instead of deadlocking. If the request turns out to be
        decided already, closing the others' drafts is what it needed anyway.
        """
        drafts = DraftRepository(session)
        for review in await ReviewRepository(session).of_approval(approval.id):
            await drafts.transition(review.draft_id, from_status=OPEN, to_status=DRAFT_CANCELLED)

    async def _close_submitted(self, session: AsyncSession, approval: ApprovalRow) -> None:
        """The request ended without a post: the editor's draft closes too."""
        await DraftRepository(session).transition(
            approval.draft_id, from_status=IN_REVIEW, to_status=DRAFT_CANCELLED
        )

    async def _card(self, session: AsyncSession, approval_id: int) -> ApprovalCard:
        approval = await ApprovalRepository(session).get(approval_id)
        assert approval is not None
        team = await TeamRepository(session).get(approval.team_id)
        account = await AccountRepository(session, self._cipher).get(approval.account_id)
        draft = await DraftRepository(session).get(approval.draft_id)
        assert team is not None and draft is not None
        owner_id = account.telegram_user_id if account else 0
        approvers = (
            await consent.approvers(
                session, team_id=team.id, account_id=approval.account_id, owner_id=owner_id
            )
            if account
            else ()
        )
        names = {m.telegram_user_id: m.name for m in await TeamRepository(session).members(team.id)}
        return ApprovalCard(
            approval=approval,
            team=team,
            account_label=account.label if account else "?",
            account_owner_id=owner_id,
            kind=draft.kind,
            media=list(draft.media),
            choices=PostChoices.from_json(draft.choices_json),
            approvers=approvers,
            delegates=tuple(names[uid] for uid in approvers[1:] if uid in names),
        )
