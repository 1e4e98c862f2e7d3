"""Linking TikTok accounts, end to end: a scripted user, the real bot, the sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot.web import read_sign_in_code
from tests.support.harness import CLIENT_KEY, CLIENT_SECRET, Harness, running_bot


async def test_start_link_list_unlink(harness: Harness) -> None:
    user = harness.user()
    await user.send_text("/start")
    welcome = await user.wait_for("I post to")
    assert "/link" in (welcome.text or "")

    page = await harness.open_link(user)
    assert page.status_code == 200
    # The browser names who asked and shows the code the chat then confirms.
    assert "permission to post to @ana.makes" in page.text and "Ana (@ana)" in page.text
    assert f"https://t.me/{harness.tg.bot_username}" in page.text

    linked = await user.wait_for("Linked")
    assert "@ana.makes" in (linked.text or "")
    assert "didn't allow" not in (linked.text or "")
    status = await harness.sign_in_status()
    assert "Account linked" in status.text and "@ana.makes is linked to Ana (@ana)" in status.text

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
    await user.tap(await harness.code_prompt(user), read_sign_in_code(first.text) or "")
    await user.wait_for("Linked")
    for _ in range(3):
        replay = await harness.browser.get(callback)
        assert replay.status_code == 400
        assert "already used" in replay.text
    await user.wait_for("already used")
    # Told once, not on every reload of the old link.
    await user.send_text("/help")
    await user.wait_for("What I can do")
    assert sum("already used" in (m.text or "") for m in user.messages()) == 1
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


async def test_phished_link_links_nothing_without_the_page_code(harness: Harness) -> None:
    """Mallory sends Ana his own sign-in link; Ana consents with her TikTok account."""
    mallory = harness.tg.user(2002, first_name="Mallory", username="mallory")
    await mallory.send_text("/link")
    link = await mallory.wait_for(lambda m: bool(m.buttons))
    url = link.buttons[0][0].url
    assert url is not None
    page = await harness.follow_authorize(url, open_id="open-ana")  # Ana's browser
    # Ana's page says who would get her account, and the code only she sees.
    assert "You are giving Mallory (@mallory) on Telegram permission to post to @ana.makes" in (
        page.text
    )
    code = read_sign_in_code(page.text)
    assert code is not None and len(code) == 2
    assert "If you don&#x27;t know Mallory (@mallory), close this page" in page.text
    services = harness.bot.services
    assert services is not None
    assert await services.accounts.linked(mallory.id) == []  # nothing stored yet

    prompt = await harness.code_prompt(mallory)
    choices = [b.text for row in prompt.buttons for b in row if b.text.isdigit()]
    right_data = next(b.callback_data for row in prompt.buttons for b in row if b.text == code)
    assert len(choices) == 10 and len(set(choices)) == 10 and code in choices
    # Mallory cannot see the page: any other pick cancels the sign-in for good.
    await mallory.tap(prompt, next(c for c in choices if c != code))
    await mallory.wait_for("isn't the code on the sign-in page")
    assert await services.accounts.linked(mallory.id) == []
    # A second try, even with the right code, finds the sign-in cancelled.
    query = await mallory.tap_data(prompt.message_id, right_data or "")
    await mallory.wait_for_answer(query)
    assert await services.accounts.linked(mallory.id) == []
    # Ana's browser hears it was cancelled; what TikTok granted is given back.
    status = await harness.sign_in_status()
    assert "cancelled" in status.text and "Nothing was linked" in status.text
    [access] = [t for t in harness.sandbox.tokens_for("open-ana") if t.startswith("act.")]
    info = await harness.browser.get(
        harness.sandbox.base_url + "/v2/user/info/?fields=open_id",
        headers={"Authorization": f"Bearer {access}"},
    )
    assert info.json()["error"]["code"] == "access_token_invalid"


async def test_forwarded_link_is_refused_by_its_owner(harness: Harness) -> None:
    """Ana forwards her link; Bo signs in with his TikTok account; Ana says it wasn't her."""
    ana, bo = harness.user(1001, "Ana"), harness.user(2002, "Bo")
    await ana.send_text("/link")
    ana_link = await ana.wait_for(lambda m: bool(m.buttons))
    await bo.send_text("/link")
    bo_link = await bo.wait_for(lambda m: bool(m.buttons))
    ana_url = ana_link.buttons[0][0].url
    assert ana_url is not None
    page = await harness.follow_authorize(ana_url, open_id="open-bo")  # Bo's browser
    assert "You are giving Ana (@ana) on Telegram permission to post to @bo.private" in page.text
    prompt = await harness.code_prompt(ana)
    assert "@bo.private" in (prompt.text or "")
    await ana.tap(prompt, "It wasn't me")
    await ana.wait_for("nothing was linked")
    services = harness.bot.services
    assert services is not None
    assert await services.accounts.linked(ana.id) == []
    assert "cancelled in Telegram" in (await harness.sign_in_status()).text
    # Bo's own state is untouched and still works for him.
    bo_url = bo_link.buttons[0][0].url
    assert bo_url is not None
    await harness.follow_authorize(bo_url, open_id="open-ana", confirm_as=bo)
    await bo.wait_for("Linked")
    assert [a.open_id for a in await services.accounts.linked(bo.id)] == ["open-ana"]
    assert not any("Linked" in (m.text or "") for m in harness.tg.messages(ana.id))


async def test_tiktok_error_description_is_never_shown(harness: Harness) -> None:
    """Whoever holds a live state controls error_description: the chat shows fixed words."""
    user = harness.user()
    await user.send_text("/link")
    message = await user.wait_for(lambda m: bool(m.buttons))
    url = message.buttons[0][0].url
    assert url is not None
    state = httpx.URL(url).params["state"]
    page = await harness.browser.get(
        harness.settings.redirect_uri,
        params={
            "state": state,
            "error": "server_error",
            "error_description": 'Verify at <a href="https://evil.example">tiktok-login</a> <',
        },
    )
    assert page.status_code == 400
    notice = await user.wait_for("didn't complete the sign-in")
    assert "evil" not in (notice.text or "") and "Verify" not in (notice.text or "")
    assert harness.tg.errors == []


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
    # The per-account lock is gone once nobody needs it (no table growing per account).
    assert len(services.tokens._locks) == 0


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
    await harness.follow_authorize(url, confirm_as=user)
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


async def test_web_pages_cannot_be_framed_or_sniffed(harness: Harness) -> None:
    user = harness.user()
    page = await harness.open_link(user)
    sandbox_page = await harness.browser.get(harness.settings.public_base_url + "/healthz")
    for response in (page, sandbox_page):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
