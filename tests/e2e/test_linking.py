"""Linking TikTok accounts, end to end: a scripted user, the real bot, the sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.support.harness import CLIENT_KEY, CLIENT_SECRET, Harness, running_bot


async def test_start_link_list_unlink(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/start")
    welcome = await user.wait_for("I post to")
    assert "/link" in (welcome.text or "")

    page = await harness.open_link(user)
    assert page.status_code == 200
    assert "Account linked" in page.text and "@ana.makes" in page.text
    assert f"https://t.me/{harness.tg.bot_username}" in page.text

    linked = await user.wait_for("Linked")
    assert "@ana.makes" in (linked.text or "")
    assert "didn't allow" not in (linked.text or "")

    await user.send_text("/accounts")
    listing = await user.wait_for("Your TikTok accounts")
    assert "@ana.makes" in (listing.text or "") and "default" in (listing.text or "")

    await user.tap(listing, "🗑 Unlink @ana.makes")
    confirm = await user.wait_for("revoke this bot")
    await user.tap(confirm, "Yes, unlink @ana.makes")
    await user.wait_for("Unlinked")

    # The grant is revoked at TikTok: the tokens the bot held no longer work.
    tokens = harness.sandbox.tokens_for("open-ana")
    access = [t for t in tokens if t.startswith("act.")]
    reply = await harness.browser.get(
        harness.sandbox.base_url + "/v2/user/info/?fields=open_id",
        headers={"Authorization": f"Bearer {access[-1]}"},
    )
    assert reply.json()["error"]["code"] == "access_token_invalid"

    await user.send_text("/accounts")
    await user.wait_for("haven't linked")
    assert harness.tg.errors == []


async def test_database_never_holds_a_token_in_clear(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    # Force a refresh so rotated tokens are stored too.
    harness.sandbox.expire_access_tokens("open-ana")
    await user.send_text("/accounts")
    await user.wait_for("Your TikTok accounts")
    issued = harness.sandbox.tokens_for("open-ana")
    assert len(issued) >= 4  # two access and two refresh tokens
    stored = await harness.db_contents()
    assert stored, "the database file should exist"
    for token in issued:
        assert token.encode() not in stored
    assert CLIENT_SECRET.encode() not in stored


async def test_missing_scopes_are_named(harness: Harness) -> None:
    user = harness.user()
    page = await harness.open_link(user, untick=["user.info.stats", "video.list"])
    assert page.status_code == 200
    message = await user.wait_for("Linked")
    assert "follower and like counts" in (message.text or "")
    assert "reading your videos" in (message.text or "")


async def test_cancelled_consent_changes_nothing(harness: Harness) -> None:
    user = harness.user()
    page = await harness.open_link(user, cancel=True)
    assert "cancelled" in page.text
    await user.wait_for("You cancelled")
    await user.send_text("/accounts")
    await user.wait_for("haven't linked")


async def test_replayed_state_is_refused(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/link")
    message = await user.wait_for(lambda m: bool(m.buttons))
    url = message.buttons[0][0].url
    assert url is not None
    from emulators.tiktok.consent import submit_consent

    callback = await submit_consent(harness.browser, url, open_id="open-ana")
    first = await harness.browser.get(callback)
    assert first.status_code == 200
    await user.wait_for("Linked")
    replay = await harness.browser.get(callback)
    assert replay.status_code == 400
    assert "already used" in replay.text
    await user.wait_for("already used")
    accounts = await harness.bot.services.accounts.linked(user.id)  # type: ignore[union-attr]
    assert len(accounts) == 1


async def test_expired_state_is_refused(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/link")
    message = await user.wait_for(lambda m: bool(m.buttons))
    url = message.buttons[0][0].url
    assert url is not None
    harness.clock.advance(11 * 60)
    page = await harness.follow_authorize(url)
    assert page.status_code == 400 and "expired" in page.text
    await user.wait_for("expired")
    assert await harness.bot.services.accounts.linked(user.id) == []  # type: ignore[union-attr]


async def test_state_is_bound_to_the_user_who_asked(harness: Harness) -> None:
    ana, bo = harness.user(1001, "Ana"), harness.user(2002, "Bo")
    await ana.send_text("/link")
    ana_link = await ana.wait_for(lambda m: bool(m.buttons))
    await bo.send_text("/link")
    bo_link = await bo.wait_for(lambda m: bool(m.buttons))
    # Bo completes Ana's link in his browser: the account lands with Ana, who is told.
    ana_url = ana_link.buttons[0][0].url
    assert ana_url is not None
    await harness.follow_authorize(ana_url, open_id="open-bo")
    await ana.wait_for("Linked")
    services = harness.bot.services
    assert services is not None
    assert [a.open_id for a in await services.accounts.linked(ana.id)] == ["open-bo"]
    assert await services.accounts.linked(bo.id) == []
    # Bo's own state is untouched and still works for him.
    bo_url = bo_link.buttons[0][0].url
    assert bo_url is not None
    await harness.follow_authorize(bo_url, open_id="open-ana")
    await bo.wait_for("Linked")
    assert [a.open_id for a in await services.accounts.linked(bo.id)] == ["open-ana"]
    assert not any("Linked" in (m.text or "") for m in harness.tg.messages(bo.id)[:-1])


async def test_wrong_pkce_verifier_links_nothing(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/link")
    message = await user.wait_for(lambda m: bool(m.buttons))
    url = message.buttons[0][0].url
    assert url is not None
    # Someone swaps the challenge (e.g. a tampered link): TikTok refuses the exchange.
    tampered = httpx.URL(url).copy_merge_params({"code_challenge": "0" * 64})
    page = await harness.follow_authorize(str(tampered))
    assert page.status_code == 400
    await user.wait_for("didn't complete the sign-in")
    assert await harness.bot.services.accounts.linked(user.id) == []  # type: ignore[union-attr]
    codes = [r.error_code for r in harness.sandbox.requests if r.path == "/v2/oauth/token/"]
    assert codes == ["invalid_grant"]


async def test_expired_access_token_is_refreshed_transparently(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    harness.sandbox.expire_access_tokens("open-ana")
    await user.send_text("/accounts")
    listing = await user.wait_for("Your TikTok accounts")
    assert "needs re-link" not in (listing.text or "")
    refreshes = [
        r
        for r in harness.sandbox.requests
        if r.path == "/v2/oauth/token/" and r.error_code in (None, "", "ok")
    ]
    assert len(refreshes) == 2  # the code exchange, then one refresh
    profile_calls = [r for r in harness.sandbox.requests if r.path == "/v2/user/info/"]
    assert [r.error_code or "ok" for r in profile_calls][-2:] == ["access_token_invalid", "ok"]


async def test_refresh_token_rotation_is_persisted(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    for _ in range(3):
        # Beyond the access lifetime: every look needs a refresh with the newest token.
        harness.clock.advance(25 * 3600)
        await user.send_text("/accounts")
        listing = await user.wait_for("Your TikTok accounts")
        assert "needs re-link" not in (listing.text or "")
    token_calls = [r for r in harness.sandbox.requests if r.path == "/v2/oauth/token/"]
    assert [r.error_code or "ok" for r in token_calls] == ["ok"] * 4


async def test_concurrent_calls_refresh_once(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    services = harness.bot.services
    assert services is not None
    [account] = await services.accounts.linked(user.id)
    harness.clock.advance(25 * 3600)

    async def who(token: str) -> str:
        info = await services.tiktok.user_info(token, ["open_id"])
        return info.open_id

    results = await asyncio.gather(*(services.tokens.call(account.id, who) for _ in range(5)))
    assert results == ["open-ana"] * 5
    token_calls = [r for r in harness.sandbox.requests if r.path == "/v2/oauth/token/"]
    assert len(token_calls) == 2  # exchange + exactly one refresh


async def test_revoked_grant_asks_for_relink(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user)
    await user.wait_for("Linked")
    refresh = next(
        t for t in reversed(harness.sandbox.tokens_for("open-ana")) if t.startswith("rft.")
    )
    revoked = await harness.browser.post(
        harness.sandbox.base_url + "/v2/oauth/revoke/",
        data={"client_key": CLIENT_KEY, "client_secret": CLIENT_SECRET, "token": refresh},
    )
    assert revoked.status_code == 200
    harness.clock.advance(25 * 3600)
    await user.send_text("/accounts")
    listing = await user.wait_for("Your TikTok accounts")
    assert "needs re-link" in (listing.text or "")
    await user.tap(listing, "🔄 Re-link @ana.makes")
    prompt = await user.wait_for("sign in to TikTok again")
    url = next(b.url for row in prompt.buttons for b in row if b.url)
    assert url is not None and "disable_auto_auth=1" in url
    await harness.follow_authorize(url)
    await user.wait_for("Re-linked")
    await user.send_text("/accounts")
    fresh = await user.wait_for(lambda m: "Your TikTok accounts" in (m.text or ""))
    assert "needs re-link" not in (fresh.text or "")


async def test_switch_default_between_two_accounts(harness: Harness) -> None:
    user = harness.user()
    await harness.open_link(user, open_id="open-ana")
    await user.wait_for("Linked")
    await harness.open_link(user, open_id="open-bo")
    await user.wait_for(lambda m: "Linked" in (m.text or "") and "@bo.private" in (m.text or ""))
    await user.send_text("/accounts")
    listing = await user.wait_for("Your TikTok accounts")
    text = listing.text or ""
    assert text.index("@ana.makes") < text.index("@bo.private")
    await user.tap(listing, "⭐ Make @bo.private default")
    edited = await user.wait_for(lambda m: m.message_id == listing.message_id and bool(m.edits))
    assert (edited.text or "").index("@bo.private") < (edited.text or "").index("@ana.makes")
    services = harness.bot.services
    assert services is not None
    assert (await services.accounts.default(user.id)).open_id == "open-bo"


async def test_forged_and_foreign_account_buttons(harness: Harness) -> None:
    ana, bo = harness.user(1001, "Ana"), harness.user(2002, "Bo")
    await harness.open_link(ana)
    await ana.wait_for("Linked")
    services = harness.bot.services
    assert services is not None
    [account] = await services.accounts.linked(ana.id)
    await bo.send_text("/help")
    help_message = await bo.wait_for("What I can do")
    query_id = await bo.tap_data(help_message.message_id, f"acc:{account.id}:unlinkok")
    answer = await bo.wait_for_answer(query_id)
    assert answer.text == "This button is no longer active."
    assert len(await services.accounts.linked(ana.id)) == 1
    query_id = await bo.tap_data(help_message.message_id, "acc:x:';drop")
    assert (await bo.wait_for_answer(query_id)).text == "This button is no longer active."


async def test_help_unknown_command_and_unknown_input(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/help")
    await user.wait_for("What I can do")
    await user.send_text("/nonsense")
    await user.wait_for("I don't know that command")
    await user.send_text("hello there")
    await user.wait_for("send me one")
    commands = [c for c in harness.tg.calls if c.method == "setMyCommands"]
    assert commands, "the command list is registered with Telegram"


async def test_start_deep_link_payload_starts_linking(harness: Harness) -> None:
    user = harness.user()
    page = await harness.open_link(user, command="/start link")
    assert page.status_code == 200
    await user.wait_for("Linked")


async def test_allowlist_refuses_others_politely(tmp_path: Path) -> None:
    async with running_bot(tmp_path, allowed_user_ids="1001") as harness:
        allowed, stranger = harness.user(1001, "Ana"), harness.user(3003, "Eve")
        await stranger.send_text("/start")
        refusal = await stranger.wait_for("this bot is private")
        assert "3003" in (refusal.text or "")
        await allowed.send_text("/start")
        await allowed.wait_for("TikTok")
        linked_before = len(harness.sandbox.requests)
        await stranger.send_text("/link")
        await stranger.wait_for(
            lambda m: m.message_id != refusal.message_id and "private" in (m.text or "")
        )
        assert len(harness.sandbox.requests) == linked_before


async def test_slow_tiktok_call_does_not_block_other_users(tmp_path: Path) -> None:
    gate, held = asyncio.Event(), asyncio.Event()

    class SlowUserInfo(httpx.AsyncBaseTransport):
        """Holds /v2/user/info/ calls until the test releases them."""

        def __init__(self) -> None:
            self._inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/v2/user/info/" and "ready" in harness_state:
                held.set()
                await gate.wait()
            return await self._inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self._inner.aclose()

    harness_state: set[str] = set()
    from bot.app import RunOptions

    async with running_bot(
        tmp_path, options=RunOptions(tiktok_transport=SlowUserInfo())
    ) as harness:
        ana, bo = harness.user(1001, "Ana"), harness.user(2002, "Bo")
        await harness.open_link(ana)
        await ana.wait_for("Linked")
        harness_state.add("ready")
        await ana.send_text("/accounts")
        await asyncio.wait_for(held.wait(), 5)  # Ana's handler is now stuck inside TikTok
        await bo.send_text("/help")
        await bo.wait_for("What I can do", timeout=5)
        assert not any(
            "Your TikTok accounts" in (m.text or "") for m in harness.tg.messages(ana.id)
        )
        gate.set()
        await ana.wait_for("Your TikTok accounts")
