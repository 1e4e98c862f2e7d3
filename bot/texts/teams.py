"""Words for teams: the group card, roles, sharing, approval notices, the log."""

from __future__ import annotations

from datetime import datetime

from bot.texts.common import esc
from bot.texts.humanize import compact_number

BUTTON_SEND = "📨 Send for approval"
BUTTON_REVIEW = "🔎 Review"
BUTTON_REJECT = "❌ Reject"
BUTTON_TYPE_REASON = "✍️ Type a reason"
REASONS = {
    "brand": "Not on brand",
    "caption": "Caption needs changes",
    "media": "Video or photos need changes",
    "timing": "Not now",
}
SEND_INSTEAD = "This account is shared by a team: tap “Send for approval”; its owner posts it."
ANONYMOUS = (
    "🙈 You are speaking as the group or a channel. Post as yourself to use team commands "
    "(turn off “Remain anonymous” in your admin rights)."
)
GROUP_ONLY = "👥 /team works in a group: add me to your team's group and run /team there."
NO_TEAM = (
    "This group has no team yet: a group admin can run /team. For your own stats, "
    "write to me in a private chat."
)
CONTINUE_PRIVATE = "📨 Got it. Continue in our private chat to send it for approval."
BUTTON_CONTINUE_PRIVATE = "Continue in private chat"
TEAM_CREATED = "👥 Team <b>{title}</b> created. You are its owner."
SUSPENDED = "This team is suspended (the bot was removed). A group admin can run /team to resume."
REASON_PROMPT = "✍️ Why do you reject it? Send the reason as a message."
REJECTED_DONE = "❌ Rejected. {submitter} has been told."
SENT_FOR_APPROVAL = "📨 Sent to <b>{team}</b> for approval by the account owner."
REVIEW_NOTE = (
    "👥 Sent by {submitter} in team <b>{team}</b>. Choose the privacy yourself; Post publishes it."
)


def review_note(submitter: str, team: str, for_account: str | None) -> str:
    """Above the approver's composer; `for_account` when they approve for its owner."""
    note = REVIEW_NOTE.format(submitter=esc(submitter), team=esc(team))
    if for_account is None:
        return note
    return f"{note} It goes out on <b>{esc(for_account)}</b>, whose owner named you to approve."


def rejected_for_owner(approver: str, account: str, reason: str | None) -> str:
    """Private message to the account owner: an admin they named rejected a team post."""
    return f"❌ {esc(approver)} rejected a team post for <b>{esc(account)}</b>: {esc(reason or '')}"


ROLE_SET = "{name} is now {role}."

REFUSED = {
    "not_group_admin": "Only a group admin can create the team.",
    "not_manager": "Only the team's owner and admins change roles.",
    "not_member": "You are not a member of this team.",
    "not_approver": "Only the account's owner, or a team admin they named, can approve this post.",
    "revoked": (
        "You can no longer approve posts for this account (the owner took the right back, "
        "or you are no longer a team admin). Nothing was posted."
    ),
    "not_shared": "That account is not shared with this team (any more).",
    "not_admin": "Only team admins can be named to approve.",
    "not_editor": "Only editors of a team that shares this account can send posts to it.",
    "owner_fixed": "The owner's role cannot be changed.",
    "other_team": "That button belongs to another group.",
    "suspended": SUSPENDED,
    "not_owner": "Only the account's owner can share it.",
}
CLOSED = {
    "approved": "This post was already approved by {by}.",
    "rejected": "This request was rejected by {by}; nothing was posted.",
    "expired": "⌛ This request expired; nothing was posted. Ask the editor to send it again.",
    "cancelled": (
        "This request was cancelled (the account is no longer shared); nothing was posted."
    ),
    "gone": "This request is no longer open.",
    "pending": "This request is still waiting.",
}


def closed(status: str, by: str | None) -> str:
    """Why a request can no longer be approved: what happened, and by whom."""
    return CLOSED.get(status, CLOSED["gone"]).format(by=esc(by or "someone else"))


ROLE_NAMES = {"owner": "owner", "admin": "admin", "editor": "editor", "viewer": "viewer"}
PRIVACY = {
    "PUBLIC_TO_EVERYONE": "Everyone",
    "MUTUAL_FOLLOW_FRIENDS": "Friends",
    "FOLLOWER_OF_CREATOR": "Followers",
    "SELF_ONLY": "Only me",
}


def team_suffix(team: str) -> str:
    """Appended to "Posting to ...": the team the account is shared by."""
    return f" · team {esc(team)}"


def members(title: str, people: list[tuple[str, str]], manage: bool) -> str:
    """/team in the group: the members and their roles."""
    lines = [f"👥 Team <b>{esc(title)}</b>", ""]
    lines += [f"• {esc(name)}: {ROLE_NAMES.get(role, role)}" for name, role in people]
    lines.append("")
    lines.append(
        "Tap a member to change their role (viewer → editor → admin)."
        if manage
        else "Editors send posts for approval; the account owner posts them."
    )
    return "\n".join(lines)


def role_button(name: str, role: str) -> str:
    """A member's button in /team."""
    return f"{name}: {ROLE_NAMES.get(role, role)}"


def share_button(label: str, team: str, shared: bool) -> str:
    """/accounts: share or stop sharing with a team."""
    return f"🚫 Stop sharing {label} with {team}" if shared else f"👥 Share {label} with {team}"


SHARED = (
    "👥 {label} is shared with <b>{team}</b>. Its editors can send posts; you approve each one."
)
UNSHARED = "🚫 {label} is no longer shared with <b>{team}</b>.{cancelled}"


def unshared(label: str, team: str, cancelled: int) -> str:
    """After unsharing, with how many pending requests were cancelled."""
    extra = f" {cancelled} pending request(s) cancelled." if cancelled else ""
    return UNSHARED.format(label=esc(label), team=esc(team), cancelled=extra)


def card(
    *,
    account: str,
    team: str,
    submitter: str,
    caption: str,
    privacy: str | None,
    switches: list[str],
    status: str,
    approver: str | None,
    reason: str | None,
    share_url: str | None,
    delegates: tuple[str, ...] = (),
) -> str:
    """The one approval card in the group, edited in place as it moves on."""
    lines = [
        f"📨 Post for <b>{esc(account)}</b> · team {esc(team)}",
        f"From {esc(submitter)}",
        "",
        f"“{esc(caption)}”" if caption else "(no caption)",
        "Proposed: "
        + ", ".join([PRIVACY.get(privacy or "", "privacy for the owner to choose"), *switches]),
        "",
    ]
    by = esc(approver or "the owner")
    if status == "pending":
        also = f" (or {', '.join(esc(d) for d in delegates)})" if delegates else ""
        lines.append(f"⏳ Waiting for the account owner's approval{also}.")
    elif status == "approved":
        lines.append(
            f"✅ Approved by {by} · live: {esc(share_url)}"
            if share_url
            else f"✅ Approved by {by} · posting…"
        )
    elif status == "rejected":
        lines.append(f"❌ Rejected by {by}: {esc(reason or '')}")
    elif status == "expired":
        lines.append("⌛ expired")
    elif status == "cancelled":
        lines.append("🚫 cancelled: the account is no longer shared")
    elif status == "failed":
        lines.append(f"⚠️ Approved by {by}, but TikTok did not publish it.")
    return "\n".join(lines)


def approver_notice(submitter: str, team: str, account: str, *, named: bool = False) -> str:
    """Private message to whoever may consent: a post waits for them."""
    why = " The account owner named you to approve its posts." if named else ""
    return (
        f"📨 {esc(submitter)} sent a post for <b>{esc(account)}</b> in team <b>{esc(team)}</b>."
        f"{why} Review it to choose the settings and post, or reject it."
    )


def posted_for_owner(approver: str, account: str, share_url: str | None) -> str:
    """Private message to the account owner: an admin they named posted on their account."""
    live = f": {esc(share_url)}" if share_url else "."
    return f"👥 {esc(approver)} approved a team post on <b>{esc(account)}</b>{live}"


CONSENT_INTRO = (
    "🔑 Who gives the final consent for <b>{label}</b> in <b>{team}</b>? "
    "Whoever you pick reviews each post in the full composer and taps Post themselves; "
    "it is published with your account."
)
BUTTON_ONLY_ME = "Only me"


def consent_text(label: str, team: str, named: list[str]) -> str:
    """The consent picker: who may approve posts for a shared account."""
    now = (
        "Now: only you." if not named else "Now: you and " + ", ".join(esc(n) for n in named) + "."
    )
    return CONSENT_INTRO.format(label=esc(label), team=esc(team)) + "\n\n" + now


def consent_button(name: str, on: bool) -> str:
    """A toggle of the consent picker."""
    return f"{'✅' if on else '⬜'} {name}"


def consent_entry(label: str, team: str) -> str:
    """/accounts: open the consent picker of a shared account."""
    return f"🔑 Who approves {label} in {team}"


def outcome_for_submitter(status: str, account: str, by: str, detail: str | None) -> str:
    """Private message to the editor: what became of their post."""
    who = esc(by or "the owner")
    if status == "posted":
        return f"✅ Your post for {esc(account)} was approved by {who} and is live: {esc(detail)}"
    if status == "approved":
        return f"✅ Your post for {esc(account)} was approved by {who}."
    if status == "rejected":
        return f"❌ Your post for {esc(account)} was rejected by {who}: {esc(detail or '')}"
    if status == "cancelled":
        return f"🚫 Your post for {esc(account)} was cancelled: the account is no longer shared."
    if status == "expired":
        return f"⌛ Your post for {esc(account)} expired before it was approved."
    return f"⚠️ Your post for {esc(account)} was approved, but TikTok did not publish it."


LOG_WORDS = {
    "created": "created the team",
    "resumed": "resumed the team",
    "suspended": "team suspended",
    "left": "left the group",
    "role": "changed a role",
    "shared": "shared",
    "unshared": "stopped sharing",
    "submitted": "submitted",
    "approved": "approved",
    "rejected": "rejected",
    "posted": "posted",
    "failed": "post failed",
    "expired": "expired",
    "cancelled": "cancelled",
    "consent_on": "let approve",
    "consent_off": "took back approval from",
}


def log(title: str, events: list[tuple[str, str, str, datetime]]) -> str:
    """/team log: the newest events."""
    if not events:
        return f"📜 Team <b>{esc(title)}</b>: nothing happened yet."
    lines = [f"📜 Team <b>{esc(title)}</b>, latest first", ""]
    for kind, actor, detail, at in events:
        who = f"{esc(actor)} " if actor else ""
        extra = f" {esc(detail)}" if detail else ""
        lines.append(f"{at:%d %b %H:%M} · {who}{LOG_WORDS.get(kind, kind)}{extra}")
    return "\n".join(lines)


Counters = tuple[int | None, int | None, int | None, int | None]


def _count(value: int | None) -> str:
    return "–" if value is None else compact_number(value)


def team_stats(title: str, accounts: list[tuple[str, str, Counters | None, str | None]]) -> str:
    """/stats in the group: each shared account's public counters, or why they are missing."""
    if not accounts:
        return (
            f"📊 Team <b>{esc(title)}</b> has no shared accounts yet (owners share from /accounts)."
        )
    lines = [f"📊 Team <b>{esc(title)}</b>: shared accounts", ""]
    for name, label, counters, problem in accounts:
        head = f"• <b>{esc(name)}</b> ({esc(label)})"
        if problem == "unavailable":
            lines.append(f"{head}: TikTok is not answering for this account right now.")
        elif problem == "relink":
            lines.append(f"{head}: its owner needs to link it again.")
        elif counters is None:
            lines.append(f"{head}: no numbers (its owner did not allow stats).")
        else:
            followers, following, likes, videos = counters
            lines.append(
                f"{head}\n   👥 {_count(followers)} followers · {_count(following)} following"
                f" · ❤️ {_count(likes)} likes · 🎬 {_count(videos)} videos"
            )
    return "\n".join(lines)


REQUEST_STATES = {
    "pending": "⏳ waiting for approval (expires {expires:%d %b %H:%M} UTC)",
    "approved": "✅ approved by {by}",
    "rejected": "❌ rejected by {by}: {reason}",
    "expired": "⌛ expired",
    "cancelled": "🚫 cancelled (the account is no longer shared)",
}


def review_button_for(approval_id: int) -> str:
    """/queue: open one pending request in the composer."""
    return f"🔎 Review #{approval_id}"


def requests_list(
    items: list[tuple[int, str, str, str, str, str | None, str | None, datetime]],
) -> str:
    """/queue: the team requests someone sent or may approve, newest first."""
    lines = ["👥 <b>Team requests</b>, newest first", ""]
    for approval_id, account, team, submitter, status, by, reason, expires in items:
        state = REQUEST_STATES.get(status, status).format(
            by=esc(by or "the owner"), reason=esc(reason or ""), expires=expires
        )
        lines.append(f"#{approval_id} · {esc(account)} · team {esc(team)} · from {esc(submitter)}")
        lines.append(f"   {state}")
    return "\n".join(lines)
