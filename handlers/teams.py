"""Teams in Telegram: /team in the group, role buttons, sharing, the approval card and review.

Callback data: `tr:<team>:<user>` (role), `ts:<account>:<team>:<on|off>`
(share), `tc:<account>:<team>:<user|0|show>` (who may consent),
`ta:<draft>:send` (editor), `tv:<approval>` (review),
`tj:<approval>[:<reason|type>]` (reject). Every button is checked against
the database: a button of another group or team changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    Bot,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatAction, ChatMemberStatus
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.errors import AccountNotFound
from bot.insights import Numbers
from bot.teams import ApprovalCard, Closed, TeamRefused, TeamService
from bot.teams.consent import ConsentView
from bot.teams.stats import TeamStats
from bot.texts import common
from bot.texts import teams as t
from handlers.composer import show_composer
from handlers.context import Services, services

log = logging.getLogger(__name__)

# Telegram's stand-ins for anonymous group admins and for channels speaking in groups.
ANONYMOUS_IDS = frozenset({1087968824, 136817688})
CAPTION_SHOWN = 300  # characters of the caption on the card (Telegram allows 1024 in all)
SWITCHES = {
    "allow_comment": "comments",
    "allow_duet": "duet",
    "allow_stitch": "stitch",
    "is_aigc": "AI label",
    "disclose": "disclosure",
}

Button = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _teams(svc: Services) -> TeamService:
    assert svc.teams is not None
    return svc.teams


def _name(user: User) -> str:
    return f"@{user.username}" if user.username else user.first_name


def _anonymous(update: Update) -> bool:
    """Whether the sender hides behind the group or a channel (one shared id for many)."""
    message = update.effective_message
    user = update.effective_user
    return (message is not None and message.sender_chat is not None) or (
        user is not None and user.id in ANONYMOUS_IDS
    )


def review_url(bot: Bot, approval_id: int) -> str:
    """The deep link that opens a request in the private chat."""
    return f"https://t.me/{bot.username}?start=rv{approval_id}"


# -- /team ----------------------------------------------------------------------------


async def team_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/team in a group: create the team (group admins) or show its members; /team log."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if chat.type == Chat.PRIVATE:
        await message.reply_html(t.GROUP_ONLY)
        return
    if _anonymous(update):
        await message.reply_html(t.ANONYMOUS)
        return
    svc = services(context)
    admins = [
        (m.user.id, _name(m.user))
        for m in await context.bot.get_chat_administrators(chat.id)
        if not m.user.is_bot
    ]
    try:
        team, created = await _teams(svc).create_or_show(
            chat_id=chat.id, title=chat.title or "team", user_id=user.id, name=_name(user),
            group_admins=admins,
        )  # fmt: skip
    except TeamRefused as refused:
        await message.reply_html(t.REFUSED[refused.why])
        return
    await _expire_and_show(context.bot, svc)
    if team.status != "active":
        await message.reply_html(t.SUSPENDED)
        return
    if context.args and context.args[0] == "log":
        events = await _teams(svc).log(team.id)
        await message.reply_html(
            t.log(team.title, [(e.kind, e.actor, e.detail, e.at) for e in events])
        )
        return
    if created:
        await message.reply_html(t.TEAM_CREATED.format(title=common.esc(team.title)))
    text, keyboard = await _members_view(svc, team.id, team.title, user.id)
    await message.reply_html(text, reply_markup=keyboard)


async def _members_view(
    svc: Services, team_id: int, title: str, viewer_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    teams = _teams(svc)
    members = await teams.members(team_id)
    manage = (await teams.role_of(team_id, viewer_id)) in ("owner", "admin")
    rows = [
        [
            InlineKeyboardButton(
                t.role_button(m.name, m.role), callback_data=f"tr:{team_id}:{m.telegram_user_id}"
            )
        ]
        for m in members
        if m.role != "owner"
    ]
    text = t.members(title, [(m.name, m.role) for m in members], manage)
    return text, InlineKeyboardMarkup(rows) if rows else None


async def role_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Give a member the next role (`tr:<team>:<user>`)."""
    query, match = update.callback_query, context.match
    if query is None or match is None or query.message is None:
        return
    svc, user = services(context), query.from_user
    try:
        member = await _teams(svc).cycle_role(
            chat_id=query.message.chat.id, team_id=int(match["team"]), actor_id=user.id,
            actor=_name(user), member_id=int(match["user"]),
        )  # fmt: skip
    except TeamRefused as refused:
        await query.answer(t.REFUSED[refused.why], show_alert=True)
        return
    await query.answer(t.ROLE_SET.format(name=member.name, role=member.role))
    team = await _teams(svc).team_of_chat(query.message.chat.id)
    assert team is not None
    text, keyboard = await _members_view(svc, team.id, team.title, user.id)
    if isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, parse_mode="HTML", reply_markup=keyboard)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """chat_member / my_chat_member: leavers lose their role; removing the bot suspends."""
    changed = update.chat_member or update.my_chat_member
    if changed is None:
        return
    gone = changed.new_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    if not gone:
        return
    teams = _teams(services(context))
    user = changed.new_chat_member.user
    if update.my_chat_member is not None:
        await teams.bot_removed(changed.chat.id)
    else:
        await teams.member_left(changed.chat.id, user.id, _name(user))


async def group_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats in a group: the team's shared accounts at a glance (viewers and up)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    if _anonymous(update):
        await message.reply_html(t.ANONYMOUS)
        return
    teams = _teams(services(context))
    team = await teams.team_of_chat(chat.id)
    if team is None:  # no team here: a person's own stats stay in the private chat
        url = f"https://t.me/{context.bot.username}"
        button = InlineKeyboardButton(common.BUTTON_OPEN_PRIVATE, url=url)
        await message.reply_html(t.NO_TEAM, reply_markup=InlineKeyboardMarkup([[button]]))
        return
    if await teams.role_of(team.id, user.id) is None:
        await message.reply_html(t.REFUSED["not_member"])
        return
    svc = services(context)
    assert svc.insights is not None, "BotApp builds the insights service"
    await message.chat.send_action(ChatAction.TYPING)
    lines = await TeamStats(teams, svc.insights).lines(team.id)
    await message.reply_html(
        t.team_stats(
            team.title,
            [
                (line.display_name, line.label, _counters(line.numbers), line.problem)
                for line in lines
            ],
        )
    )


def _counters(numbers: Numbers | None) -> t.Counters | None:
    if numbers is None:
        return None
    return (numbers.followers, numbers.following, numbers.likes, numbers.videos)


# -- sharing (/accounts) -------------------------------------------------------------


async def share_rows(svc: Services, user_id: int) -> list[list[InlineKeyboardButton]]:
    """/accounts: a share or stop-sharing button per account and team of the user."""
    if svc.teams is None:
        return []
    rows = []
    for account, team, shared in await svc.teams.sharing(user_id):
        rows.append(
            [
                InlineKeyboardButton(
                    t.share_button(account.label, team.title, shared),
                    callback_data=f"ts:{account.id}:{team.id}:{'off' if shared else 'on'}",
                )
            ]
        )
        if shared:
            rows.append(
                [
                    InlineKeyboardButton(
                        t.consent_entry(account.label, team.title),
                        callback_data=f"tc:{account.id}:{team.id}:show",
                    )
                ]
            )
    return rows


async def unshare_everywhere(
    context: ContextTypes.DEFAULT_TYPE, user_id: int, account_id: int
) -> Callable[[], Coroutine[Any, Any, None]]:
    """Before an account is unlinked: no team keeps it; returns how to tell (after the reply)."""
    svc = services(context)
    if svc.teams is None:
        return _nothing
    cancelled = await svc.teams.account_gone(user_id, account_id)

    async def tell() -> None:
        for card in cancelled:
            await _closed(context.bot, card)

    return tell


async def _nothing() -> None:
    return None


async def share_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Share an account with a team, or stop at once (`ts:<account>:<team>:<on|off>`)."""
    query, match = update.callback_query, context.match
    if query is None or match is None:
        return
    svc, user = services(context), query.from_user
    teams = _teams(svc)
    account_id, team_id = int(match["account"]), int(match["team"])
    try:
        if match["on"] == "on":
            team = await teams.share(user.id, _name(user), account_id, team_id)
            account = await svc.accounts.owned(user.id, account_id)
            text = t.SHARED.format(label=common.esc(account.label), team=common.esc(team.title))
            cancelled: list[ApprovalCard] = []
        else:
            team, cancelled = await teams.unshare(user.id, _name(user), account_id, team_id)
            account = await svc.accounts.owned(user.id, account_id)
            text = t.unshared(account.label, team.title, len(cancelled))
    except AccountNotFound:
        await query.answer(t.REFUSED["not_owner"], show_alert=True)
        return
    except TeamRefused as refused:
        await query.answer(t.REFUSED[refused.why], show_alert=True)
        return
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, text, parse_mode="HTML")
        if match["on"] == "on":  # who gives the final consent: only the owner, by default
            await _send_consent(
                context.bot, query.message.chat.id, svc, user.id, account_id, team.id
            )
    for card in cancelled:
        await _closed(context.bot, card)


def _consent_view(view: ConsentView) -> tuple[str, InlineKeyboardMarkup]:
    named = [c.name for c in view.candidates if c.named]
    data = f"tc:{view.account_id}:{view.team_id}"
    rows = [
        [
            InlineKeyboardButton(
                t.consent_button(t.BUTTON_ONLY_ME, view.only_owner), callback_data=f"{data}:0"
            )
        ]
    ]
    rows += [
        [
            InlineKeyboardButton(
                t.consent_button(c.name, c.named), callback_data=f"{data}:{c.telegram_user_id}"
            )
        ]
        for c in view.candidates
    ]
    return t.consent_text(view.account_label, view.team_title, named), InlineKeyboardMarkup(rows)


async def _send_consent(
    bot: Bot, chat_id: int, svc: Services, user_id: int, account_id: int, team_id: int
) -> None:
    text, keyboard = _consent_view(await _teams(svc).consent_view(user_id, account_id, team_id))
    await bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)


async def consent_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Who may consent for a shared account (`tc:<account>:<team>:<user|0|show>`)."""
    query, match = update.callback_query, context.match
    if query is None or match is None or query.message is None:
        return
    svc, user = services(context), query.from_user
    account_id, team_id, arg = int(match["account"]), int(match["team"]), match["arg"]
    try:
        if arg == "show":
            await query.answer()
            await _send_consent(
                context.bot, query.message.chat.id, svc, user.id, account_id, team_id
            )
            return
        view = await _teams(svc).toggle_approver(
            user.id, _name(user), account_id, team_id, int(arg)
        )
    except AccountNotFound:
        await query.answer(t.REFUSED["not_owner"], show_alert=True)
        return
    except TeamRefused as refused:
        await query.answer(t.REFUSED[refused.why], show_alert=True)
        return
    await query.answer()
    text, keyboard = _consent_view(view)
    if isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, parse_mode="HTML", reply_markup=keyboard)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise


# -- the approval ---------------------------------------------------------------------


async def send_for_approval(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The editor's "Send for approval" (`ta:<draft>:send`): one card in the group."""
    query, match = update.callback_query, context.match
    if query is None or match is None:
        return
    svc, user = services(context), query.from_user
    try:
        submission = await _teams(svc).submit(user.id, _name(user), int(match["draft"]))
    except TeamRefused as refused:
        await query.answer(t.REFUSED[refused.why], show_alert=True)
        return
    except Closed as closed:
        await query.answer(t.closed(closed.status, closed.by))
        return
    await query.answer()
    card = submission.card
    if isinstance(query.message, Message):
        await query.message.edit_text(
            t.SENT_FOR_APPROVAL.format(team=common.esc(card.team.title)), parse_mode="HTML"
        )
    sent = await _send_card(context.bot, card)
    if sent is not None:
        await _teams(svc).set_card_message(card.approval.id, sent.message_id)
    review = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.BUTTON_REVIEW, callback_data=f"tv:{card.approval.id}")]]
    )
    for approver in card.approvers:  # the owner and the admins they named, privately
        try:
            await context.bot.send_message(
                approver,
                t.approver_notice(
                    card.approval.submitter_name,
                    card.team.title,
                    card.account_label,
                    named=approver != card.account_owner_id,
                ),
                parse_mode="HTML",
                reply_markup=review,
            )
        except Forbidden:
            log.info("approval %s: an approver has not started the bot", card.approval.id)


def _card_text(card: ApprovalCard, status: str | None = None) -> str:
    choices, approval = card.choices, card.approval
    caption = choices.title or choices.description
    if len(caption) > CAPTION_SHOWN:
        caption = caption[:CAPTION_SHOWN] + "…"
    return t.card(
        account=card.account_label,
        team=card.team.title,
        submitter=approval.submitter_name,
        caption=caption,
        privacy=choices.privacy_level.value if choices.privacy_level else None,
        switches=[word for name, word in SWITCHES.items() if getattr(choices, name)],
        status=status or approval.status,
        approver=approval.approver_name,
        reason=approval.reason,
        share_url=card.share_url,
        delegates=card.delegates,
    )


def _card_keyboard(bot: Bot, card: ApprovalCard, status: str) -> InlineKeyboardMarkup | None:
    if status != "pending":
        return None
    url = review_url(bot, card.approval.id)
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.BUTTON_REVIEW, url=url)]])


async def _send_card(bot: Bot, card: ApprovalCard) -> Message | None:
    """One message: the first media item with the card as its caption."""
    text, keyboard = _card_text(card), _card_keyboard(bot, card, "pending")
    chat_id = card.team.chat_id
    first = card.media[0] if card.media else None
    if first is None:
        return await bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)
    file_id = str(first["file_id"])
    if first.get("as_document"):
        return await bot.send_document(
            chat_id, file_id, caption=text, parse_mode="HTML", reply_markup=keyboard
        )
    if card.kind == "video":
        return await bot.send_video(
            chat_id, file_id, caption=text, parse_mode="HTML", reply_markup=keyboard
        )
    return await bot.send_photo(
        chat_id, file_id, caption=text, parse_mode="HTML", reply_markup=keyboard
    )


async def update_card(bot: Bot, card: ApprovalCard, status: str | None = None) -> None:
    """Edit the group card in place (one message per request, whatever happens)."""
    message_id = card.approval.card_message_id
    if message_id is None:
        return
    shown = status or card.approval.status
    try:
        await bot.edit_message_caption(
            card.team.chat_id,
            message_id,
            caption=_card_text(card, shown),
            parse_mode="HTML",
            reply_markup=_card_keyboard(bot, card, shown),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message:
            log.info("approval %s: card not edited (%s)", card.approval.id, exc.message)
    except Forbidden:
        log.info("approval %s: the bot is no longer in the group", card.approval.id)


async def tell_submitter(bot: Bot, card: ApprovalCard, status: str, detail: str | None) -> None:
    """The editor hears the outcome privately."""
    approval = card.approval
    text = t.outcome_for_submitter(status, card.account_label, approval.approver_name or "", detail)
    try:
        await bot.send_message(approval.submitter_id, text, parse_mode="HTML")
    except Forbidden:
        log.info("approval %s: the submitter blocked the bot", approval.id)


async def tell_owner(bot: Bot, card: ApprovalCard, share_url: str | None) -> None:
    """The account owner hears when an admin they named posted on their account."""
    approval = card.approval
    if approval.approver_id in (None, card.account_owner_id):
        return
    text = t.posted_for_owner(approval.approver_name or "", card.account_label, share_url)
    try:
        await bot.send_message(card.account_owner_id, text, parse_mode="HTML")
    except Forbidden:
        log.info("approval %s: the account owner blocked the bot", approval.id)


async def _closed(bot: Bot, card: ApprovalCard) -> None:
    """A request ended without a post (cancelled, expired): card and editor."""
    await update_card(bot, card)
    await tell_submitter(bot, card, card.approval.status, None)


async def _expire_and_show(bot: Bot, svc: Services) -> None:
    for card in await _teams(svc).expire_due():
        await _closed(bot, card)


async def expire_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Periodic: requests past TEAM_APPROVAL_DAYS expire; their cards say so."""
    await _expire_and_show(context.bot, services(context))


async def open_review(update: Update, context: ContextTypes.DEFAULT_TYPE, approval_id: int) -> None:
    """The owner's review: the full composer of their own draft of the post."""
    user, message = update.effective_user, update.effective_message
    if user is None:
        return
    svc = services(context)
    await _expire_and_show(context.bot, svc)

    async def say(text: str) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif message is not None:
            await message.reply_html(text)

    try:
        review = await _teams(svc).review(user.id, _name(user), approval_id)
    except TeamRefused as refused:
        await say(t.REFUSED[refused.why])
        return
    except Closed as closed:
        await say(t.closed(closed.status, closed.by))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    card = review.card
    reject = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.BUTTON_REJECT, callback_data=f"tj:{approval_id}")]]
    )
    await context.bot.send_message(
        user.id,
        t.review_note(
            card.approval.submitter_name,
            card.team.title,
            card.account_label if user.id != card.account_owner_id else None,
        ),
        parse_mode="HTML",
        reply_markup=reject,
    )
    await show_composer(context.bot, svc, user.id, review.draft_id)


async def queue_requests(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """/queue: one message with the team requests this person sent or may approve."""
    message, user = update.effective_message, update.effective_user
    svc = services(context)
    if message is None or user is None or svc.teams is None:
        return False
    found = await svc.teams.requests_of(user.id)
    if not found:
        return False
    items = [
        (
            card.approval.id,
            card.account_label,
            card.team.title,
            card.approval.submitter_name,
            card.approval.status,
            card.approval.approver_name,
            card.approval.reason,
            card.approval.expires_at,
        )
        for card, _ in found
    ]
    rows = [
        [
            InlineKeyboardButton(
                t.review_button_for(card.approval.id), callback_data=f"tv:{card.approval.id}"
            )
        ]
        for card, may_review in found
        if may_review
    ]
    await message.reply_html(
        t.requests_list(items), reply_markup=InlineKeyboardMarkup(rows) if rows else None
    )
    return True


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Review from the private notice (`tv:<approval>`)."""
    match = context.match
    if match is not None:
        await open_review(update, context, int(match["approval"]))


async def reject_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reject: pick a reason, or type one (`tj:<approval>[:<code>|type]`)."""
    query, match = update.callback_query, context.match
    if query is None or match is None:
        return
    svc, user = services(context), query.from_user
    approval_id, arg = int(match["approval"]), match["arg"]
    try:
        if arg is None:
            await _teams(svc).card(approval_id)
            rows = [
                [InlineKeyboardButton(label, callback_data=f"tj:{approval_id}:{code}")]
                for code, label in t.REASONS.items()
            ]
            rows.append(
                [InlineKeyboardButton(t.BUTTON_TYPE_REASON, callback_data=f"tj:{approval_id}:type")]
            )
            await query.answer()
            if isinstance(query.message, Message):
                await query.message.edit_reply_markup(InlineKeyboardMarkup(rows))
            return
        if arg == "type":
            await _teams(svc).ask_reason(user.id, approval_id)
            await query.answer()
            await context.bot.send_message(user.id, t.REASON_PROMPT)
            return
        reason = t.REASONS.get(arg)
        if reason is None:
            await query.answer(common.STALE_BUTTON)
            return
        card = await _teams(svc).reject(user.id, _name(user), approval_id, reason)
    except TeamRefused as refused:
        await query.answer(t.REFUSED[refused.why], show_alert=True)
        return
    except Closed as closed:
        await query.answer(t.closed(closed.status, closed.by), show_alert=True)
        return
    await query.answer()
    await _rejected(context.bot, card, user.id)


async def _rejected(bot: Bot, card: ApprovalCard, rejecter_id: int) -> None:
    await bot.send_message(
        rejecter_id,
        t.REJECTED_DONE.format(submitter=common.esc(card.approval.submitter_name)),
        parse_mode="HTML",
    )
    await update_card(bot, card)
    await tell_submitter(bot, card, "rejected", card.approval.reason)
    if rejecter_id != card.account_owner_id:  # an admin the owner named decided: tell the owner
        try:
            await bot.send_message(
                card.account_owner_id,
                t.rejected_for_owner(
                    card.approval.approver_name or "", card.account_label, card.approval.reason
                ),
                parse_mode="HTML",
            )
        except Forbidden:
            log.info("approval %s: the account owner blocked the bot", card.approval.id)


async def reason_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed rejection reason, asked for by "Type a reason"."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    if message.chat.type != Chat.PRIVATE:
        return
    teams = _teams(services(context))
    waiting = await teams.awaiting_reason(user.id)
    if waiting is None:
        return
    try:
        card = await teams.reject(user.id, _name(user), waiting.id, message.text.strip()[:500])
    except (TeamRefused, Closed):
        return
    await _rejected(context.bot, card, user.id)
    raise ApplicationHandlerStop


BUTTONS: tuple[tuple[str, Button], ...] = (
    (r"^tr:(?P<team>\d+):(?P<user>\d+)$", role_button),
    (r"^ts:(?P<account>\d+):(?P<team>\d+):(?P<on>on|off)$", share_button),
    (r"^tc:(?P<account>\d{1,12}):(?P<team>\d{1,12}):(?P<arg>\d{1,16}|show)$", consent_button),
    (r"^ta:(?P<draft>\d+):send$", send_for_approval),
    (r"^tv:(?P<approval>\d+)$", review_button),
    (r"^tj:(?P<approval>\d+)(?::(?P<arg>\w+))?$", reject_button),
)
