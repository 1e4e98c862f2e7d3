"""Group membership: getChatMember and getChatAdministrators, as Telegram answers them."""

from __future__ import annotations

from typing import Any

from ._api_setup import Handler
from ._errors import bad_request
from ._params import Params
from ._world import World

USER_NOT_FOUND = "user not found"
PRIVATE_NO_ADMINS = "there are no administrators in the private chat"
ADMIN_STATUSES = frozenset({"creator", "administrator"})
# Every right a ChatMemberAdministrator carries (all must be present in the object).
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
    "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
    "can_post_stories", "can_edit_stories", "can_delete_stories",
)  # fmt: skip


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A Bot API ChatMember of ``status`` (creator, administrator, member, left, kicked)."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(is_anonymous=False, can_be_edited=False)
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "kicked":
        member["until_date"] = 0
    return member


async def get_chat_member(world: World, p: Params) -> dict[str, Any]:
    """getChatMember: the member's current status in the chat."""
    chat = world.chat_for(p.get("chat_id"))
    user_id = p.get_int("user_id")
    if user_id == world.bot_user["id"]:
        return chat_member(world.bot_user, "member")
    member = chat.members.get(user_id or 0)
    if member is None:
        raise bad_request(USER_NOT_FOUND)
    return member


async def get_chat_administrators(world: World, p: Params) -> list[dict[str, Any]]:
    """getChatAdministrators: the creator and administrators (refused in private chats)."""
    chat = world.chat_for(p.get("chat_id"))
    if chat.chat["type"] == "private":
        raise bad_request(PRIVATE_NO_ADMINS)
    return [m for m in chat.members.values() if m["status"] in ADMIN_STATUSES]


METHODS: dict[str, Handler] = {
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
}
