"""Raw Bot API calls the fake must refuse exactly like Telegram (and record in errors)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from emulators.telegram import FakeTelegram

from .conftest import RawApi

CHAT = 42
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def _keyboard(data: str = "go") -> dict[str, object]:
    return {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}


@pytest.fixture
def chat(fake: FakeTelegram) -> int:
    fake.user(CHAT)
    return CHAT


async def test_wrong_token_unknown_method_and_unknown_path(api: RawApi, fake: FakeTelegram) -> None:
    base = fake.api_base_url
    wrong = await api.client.post(f"{base}999:nope/getMe")
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await api.error("logOut") == (404, "Not Found")
    stray = await api.client.get(base.removesuffix("/bot") + "/nothing")
    assert stray.json()["error_code"] == 404
    assert (await api.ok("getme"))["username"] == fake.bot_username  # names are case-insensitive
    assert [e.method for e in fake.errors] == ["getMe", "logOut", "/nothing"]


async def test_send_message_validation(api: RawApi, fake: FakeTelegram, chat: int) -> None:
    assert await api.error("sendMessage", chat_id=777, text="hi") == (
        400,
        "Bad Request: chat not found",
    )
    assert await api.error("sendMessage", chat_id=chat, text="x" * 4097) == (
        400,
        "Bad Request: message is too long",
    )
    assert await api.error("sendMessage", chat_id=chat, text=" \n ") == (
        400,
        "Bad Request: message text is empty",
    )
    assert await api.error("sendMessage", chat_id=chat, text="<p>x</p>", parse_mode="HTML") == (
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0',
    )
    assert await api.error(
        "sendMessage", chat_id=chat, text="x", reply_markup=_keyboard("d" * 65)
    ) == (400, "Bad Request: BUTTON_DATA_INVALID")
    assert await api.error(
        "sendMessage", chat_id=chat, text="x", reply_parameters={"message_id": 99}
    ) == (400, "Bad Request: message to be replied not found")
    sent = await api.ok(
        "sendMessage", chat_id=chat, text="x" * 4096, reply_markup=_keyboard("d" * 64)
    )
    assert sent["from"]["is_bot"] and sent["chat"]["id"] == chat
    assert len(fake.errors) == 6 and fake.messages(chat)[0].text == "x" * 4096


async def test_form_encoded_requests_like_ptb(api: RawApi, fake: FakeTelegram, chat: int) -> None:
    url = f"{fake.api_base_url}{fake.token}/sendMessage"
    form = {"chat_id": str(chat), "text": "123", "reply_markup": json.dumps(_keyboard())}
    response = await api.client.post(url, data=form)
    assert response.json()["result"]["reply_markup"] == _keyboard()
    call = fake.calls_to("sendMessage")[0]
    assert call.params == {"chat_id": chat, "text": "123", "reply_markup": _keyboard()}
    bad = await api.client.post(url, data={**form, "reply_markup": "{not json"})
    assert bad.json()["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_edits_and_deletes(api: RawApi, fake: FakeTelegram, chat: int) -> None:
    sent = await api.ok(
        "sendMessage", chat_id=chat, text="<b>v1</b>", parse_mode="HTML", reply_markup=_keyboard()
    )
    ref = {"chat_id": chat, "message_id": sent["message_id"]}
    same = {"text": "<b>v1</b>", "parse_mode": "HTML", "reply_markup": _keyboard()}
    assert await api.error("editMessageText", **ref, **same) == (400, NOT_MODIFIED)
    assert await api.error("editMessageReplyMarkup", **ref, reply_markup=_keyboard()) == (
        400,
        NOT_MODIFIED,
    )
    assert await api.error("editMessageCaption", **ref, caption="c") == (
        400,
        "Bad Request: there is no caption in the message to edit",
    )
    edited = await api.ok("editMessageText", **ref, text="<b>v1</b>", parse_mode="HTML")
    assert "reply_markup" not in edited and "edit_date" in edited  # no markup removes the keyboard
    assert await api.error("editMessageText", chat_id=chat, message_id=99, text="x") == (
        400,
        "Bad Request: message to edit not found",
    )
    assert await api.ok("deleteMessage", **ref) is True
    assert await api.error("deleteMessage", **ref) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert await api.error("editMessageText", **ref, text="late") == (
        400,
        "Bad Request: message to edit not found",
    )
    message = fake.messages(chat)[0]
    assert message.deleted and message.version == 1 and message.edits[0].buttons


async def test_callback_answers(api: RawApi, fake: FakeTelegram, chat: int) -> None:
    sent = await api.ok("sendMessage", chat_id=chat, text="pick", reply_markup=_keyboard())
    user = fake.user(chat)
    query_id = await user.tap(sent["message_id"], "Go")
    forged = await user.tap_data(sent["message_id"], "admin:delete_all")
    updates = await api.ok("getUpdates")
    assert [u["callback_query"]["data"] for u in updates] == ["go", "admin:delete_all"]
    assert updates[0]["callback_query"]["message"]["reply_markup"] == _keyboard()
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert await api.error("answerCallbackQuery", callback_query_id="nope") == (400, too_old)
    assert await api.error("answerCallbackQuery", callback_query_id=query_id, text="x" * 201) == (
        400,
        "Bad Request: MESSAGE_TOO_LONG",
    )
    assert await api.ok("answerCallbackQuery", callback_query_id=query_id, text="done") is True
    assert await api.error("answerCallbackQuery", callback_query_id=query_id) == (400, too_old)
    assert [a.text for a in user.answers] == ["done"]
    with pytest.raises(AssertionError, match="no button 'Stop'"):
        await user.tap(sent["message_id"], "Stop")
    assert forged != query_id


async def test_flood_control_answers_429(api: RawApi, fake: FakeTelegram, chat: int) -> None:
    for index in range(20):
        await api.ok("sendMessage", chat_id=chat, text=f"m{index}")
    response = await api.call("sendMessage", chat_id=chat, text="one too many")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_media_rules(api: RawApi, fake: FakeTelegram, chat: int, tmp_path: Path) -> None:
    url = f"{fake.api_base_url}{fake.token}"
    not_image = await api.client.post(
        f"{url}/sendPhoto",
        data={"chat_id": str(chat)},
        files={"photo": ("a.jpg", b"nope", "image/jpeg")},
    )
    assert not_image.json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"
    doc = await api.client.post(
        f"{url}/sendDocument",
        data={"chat_id": str(chat), "caption": "x" * 1025},
        files={"document": ("a.txt", b"hello", "text/plain")},
    )
    assert doc.json()["description"] == "Bad Request: message caption is too long"
    video = fake.add_file(b"v" * 10, file_name="clip.mp4")
    photo_id = fake.add_file(b"p", file_name="p.jpg").file_id
    assert video.kind == "video"
    assert await api.error("sendPhoto", chat_id=chat, photo=video.file_id) == (
        400,
        "Bad Request: can't use file of type Video as Photo",
    )
    assert await api.error("sendVideo", chat_id=chat, video="garbage") == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )
    one = [{"type": "video", "media": video.file_id}]
    assert await api.error("sendMediaGroup", chat_id=chat, media=one) == (
        400,
        "Bad Request: media must include 2-10 items",
    )
    assert (await api.error("sendMediaGroup", chat_id=chat, media=one * 11))[1] == (
        "Bad Request: too many messages to send as an album"
    )
    mixed = [{"type": "document", "media": video.file_id}, {"type": "photo", "media": photo_id}]
    assert "can't be mixed" in (await api.error("sendMediaGroup", chat_id=chat, media=mixed))[1]
    album = await api.ok(
        "sendMediaGroup",
        chat_id=chat,
        media=[{"type": "photo", "media": photo_id, "caption": "a"}, *one],
    )
    assert [m["message_id"] for m in album] == [1, 2]
    assert await api.error("getFile", file_id="nope") == (400, "Bad Request: invalid file_id")
    assert await api.error("sendChatAction", chat_id=chat, action="dancing") == (
        400,
        "Bad Request: wrong parameter action in request",
    )


async def test_upload_over_50_mb_is_refused(
    api: RawApi, fake: FakeTelegram, chat: int, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    with big.open("rb") as handle:
        response = await api.client.post(
            f"{fake.api_base_url}{fake.token}/sendVideo",
            data={"chat_id": str(chat)},
            files={"video": ("big.mp4", handle, "video/mp4")},
        )
    assert (response.status_code, response.json()["description"]) == (
        413,
        "Request Entity Too Large",
    )
    assert fake.messages(chat) == []


async def test_download_route_streams_with_range(api: RawApi, fake: FakeTelegram) -> None:
    stored = fake.add_file(bytes(range(256)) * 10, file_name="blob.bin")
    info = await api.ok("getFile", file_id=stored.file_id)
    assert info["file_path"] == "documents/file_0.bin" and info["file_size"] == 2560
    url = f"{fake.file_base_url}{fake.token}/{info['file_path']}"
    whole = await api.client.get(url)
    assert whole.content == stored.read_bytes() and whole.headers["Content-Length"] == "2560"
    part = await api.client.get(url, headers={"Range": "bytes=256-511"})
    assert part.status_code == 206 and part.content == bytes(range(256))
    wrong = await api.client.get(f"{fake.file_base_url}1:bad/{info['file_path']}")
    assert wrong.status_code == 404


async def test_commands(api: RawApi, fake: FakeTelegram) -> None:
    commands = [
        {"command": "start", "description": "Start"},
        {"command": "post", "description": "Post"},
    ]
    assert await api.ok("setMyCommands", commands=commands) is True
    assert await api.ok("getMyCommands") == commands
    assert fake.my_commands() == commands
    assert await api.error(
        "setMyCommands", commands=[{"command": "Start!", "description": "x"}]
    ) == (
        400,
        "Bad Request: BOT_COMMAND_INVALID",
    )
    assert (await api.error("setMyCommands", commands=[]))[0] == 400
    scoped = {"type": "chat", "chat_id": 5}
    assert await api.ok("setMyCommands", commands=commands[:1], scope=scoped, language_code="de")
    assert fake.my_commands(scoped, "de") == commands[:1]
    assert await api.ok("deleteMyCommands") is True and fake.my_commands() == []


async def test_raw_client_outside_fixture_sees_json_404(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{fake.file_base_url}{fake.token}/videos/none.mp4")
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
