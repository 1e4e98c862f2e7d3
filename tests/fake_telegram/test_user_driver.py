"""The scripted-user side: wait_for over edits, timeouts with transcripts, groups."""

from __future__ import annotations

import asyncio

import pytest

from emulators.telegram import FakeTelegram

from .conftest import RawApi


async def test_wait_for_walks_versions_of_edited_messages(api: RawApi, fake: FakeTelegram) -> None:
    user = fake.user(30, first_name="Gus")
    sent = await api.ok("sendMessage", chat_id=30, text="Uploading 0%")
    ref = {"chat_id": 30, "message_id": sent["message_id"]}
    await api.ok("editMessageText", **ref, text="Uploading 50%")
    await api.ok("editMessageText", **ref, text="Done ✅")
    first = await user.wait_for("Uploading")
    assert first.text == "Uploading 0%" and first.version == 0  # a snapshot of version 0
    assert (await user.wait_for("Uploading")).text == "Uploading 50%"
    done = await user.wait_for("Done")
    assert done is fake.messages(30)[0] and done.version == 2  # the live message
    with pytest.raises(AssertionError, match=r"(?s)waiting for 'Uploading'.*bot #1 \(edited\)"):
        await user.wait_for("Uploading", timeout=0.1)


async def test_wait_for_wakes_on_a_later_message(api: RawApi, fake: FakeTelegram) -> None:
    user = fake.user(31)
    waiting = asyncio.create_task(
        user.wait_for(lambda m: m.kind == "text" and "later" in m.visible_text)
    )
    await asyncio.sleep(0)  # one turn of the loop: the waiter is now parked
    await api.ok("sendMessage", chat_id=31, text="sooner")
    await api.ok("sendMessage", chat_id=31, text="later")
    assert (await waiting).message_id == 2
    assert user.last().text == "later"


async def test_group_chat(api: RawApi, fake: FakeTelegram) -> None:
    team = fake.group(-100123, "Team")
    member = fake.user(32, first_name="Hal")
    await team.send_text(member, "/status@tiktok_test_bot")
    [update] = await api.ok("getUpdates")
    assert update["message"]["chat"] == {"id": -100123, "type": "supergroup", "title": "Team"}
    assert update["message"]["entities"][0]["length"] == len("/status@tiktok_test_bot")
    await api.ok("sendMessage", chat_id=-100123, text="all good")
    assert [m.text for m in team.messages()] == ["all good"]
    assert team.transcript().splitlines() == ["Hal: /status@tiktok_test_bot", "bot #2: all good"]


async def test_wait_for_skips_stale_edits_but_finds_skipped_messages(
    api: RawApi, fake: FakeTelegram
) -> None:
    user = fake.user(33)
    keyboard = {"inline_keyboard": [[{"text": "Post", "callback_data": "post"}]]}
    old = await api.ok("sendMessage", chat_id=33, text="Composer v1", reply_markup=keyboard)
    assert (await user.wait_for("Composer")).message_id == old["message_id"]
    await api.ok("editMessageReplyMarkup", chat_id=33, message_id=old["message_id"])
    await api.ok("sendMessage", chat_id=33, text="Send me the caption")
    new = await api.ok("sendMessage", chat_id=33, text="Composer v2", reply_markup=keyboard)
    await api.ok("sendMessage", chat_id=33, text="first")
    await api.ok("sendMessage", chat_id=33, text="second")
    await user.wait_for("Send me the caption")
    # The old composer's edit happened before what was already read: not returned again.
    assert (await user.wait_for("Composer")).message_id == new["message_id"]
    assert (await user.wait_for("second")).text == "second"
    assert (await user.wait_for("first")).text == "first"  # never returned: still found
    await user.tap(new["message_id"], "post")
    await api.ok("editMessageText", chat_id=33, message_id=new["message_id"], text="Composer v3")
    assert (await user.wait_for("Composer")).version == 1  # an edit after the reading point
