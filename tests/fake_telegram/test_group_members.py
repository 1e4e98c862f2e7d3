"""Group membership in the fake: ChatMember objects, admin lists, membership updates."""

from __future__ import annotations

from emulators.telegram import FakeTelegram

from .conftest import RawApi

GROUP = -1001000000001


async def test_members_and_administrators_as_telegram_reports_them(
    api: RawApi, fake: FakeTelegram
) -> None:
    group = fake.group(GROUP, "Acme")
    ana, bo = fake.user(1, first_name="Ana"), fake.user(2, first_name="Bo")
    group.set_status(ana, "creator")
    group.member(bo)
    admins = await api.ok("getChatAdministrators", chat_id=GROUP)
    assert [(m["status"], m["user"]["id"]) for m in admins] == [("creator", 1)]
    group.set_status(bo, "administrator")
    [_, promoted] = await api.ok("getChatAdministrators", chat_id=GROUP)
    assert promoted["status"] == "administrator" and promoted["can_promote_members"] is True
    member = await api.ok("getChatMember", chat_id=GROUP, user_id=2)
    assert member["status"] == "administrator"
    assert await api.error("getChatMember", chat_id=GROUP, user_id=99) == (
        400,
        "Bad Request: user not found",
    )
    assert await api.error("getChatAdministrators", chat_id=1) == (
        400,
        "Bad Request: there are no administrators in the private chat",
    )


async def test_chat_member_updates_only_when_asked_for(api: RawApi, fake: FakeTelegram) -> None:
    group = fake.group(GROUP, "Acme")
    bo = fake.user(2, first_name="Bo")
    group.member(bo)
    group.set_status(bo, "left")  # default allowed_updates: no chat_member
    group.remove_bot(bo)  # my_chat_member is a default type
    kinds = [next(k for k in u if k != "update_id") for u in await api.ok("getUpdates")]
    assert kinds == ["my_chat_member"]
    await api.ok("getUpdates", offset=-1, allowed_updates=["chat_member", "my_chat_member"])
    group.set_status(bo, "member")
    [update] = await api.ok("getUpdates", offset=-1)
    change = update["chat_member"]
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "left",
        "member",
    )
