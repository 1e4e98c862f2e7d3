"""Login Kit strictness: authorize validation, consent, codes, PKCE, refresh, revoke."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from emulators.tiktok import TikTokSandbox
from tests.sandbox.consent import ConsentPageError, submit_consent
from tests.sandbox.helpers import (
    REDIRECT_URI,
    Api,
    authorize_url,
    callback_params,
    code_of,
    exchange,
    link,
    make_pkce,
)


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ({"client_key": "nope"}, "client_key"),
        ({"redirect_uri": REDIRECT_URI + "/"}, "redirect_uri"),
        ({"redirect_uri": REDIRECT_URI.rstrip("k")}, "redirect_uri"),
        ({"response_type": "token"}, "response_type"),
        ({"scope": "video.publish"}, "user.info.basic"),
        ({"scope": "user.info.basic,video.delete"}, "unknown scope"),
        ({"state": None}, "state"),
        ({"code_challenge": "A" * 64}, "code_challenge"),
        ({"code_challenge": "ab" * 31}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "code_challenge_method"),
    ],
)
async def test_authorize_rejects_invalid_requests(
    sandbox: TikTokSandbox,
    client: httpx.AsyncClient,
    override: dict[str, str | None],
    fragment: str,
) -> None:
    _, challenge = make_pkce()
    reply = await client.get(authorize_url(sandbox.base_url, challenge, **override))
    assert reply.status_code == 400
    assert "text/html" in reply.headers["content-type"]
    assert fragment in reply.text
    assert "location" not in reply.headers


async def test_authorize_rejects_base64url_challenge(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    verifier, _ = make_pkce()
    digest = hashlib.sha256(verifier.encode()).digest()
    rfc_challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    with pytest.raises(ConsentPageError) as error:
        await submit_consent(client, authorize_url(sandbox.base_url, rfc_challenge))
    assert error.value.status == 400


async def test_consent_page_lists_accounts_and_scopes(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    _, challenge = make_pkce()
    page = await client.get(authorize_url(sandbox.base_url, challenge, disable_auto_auth="1"))
    assert page.status_code == 200
    assert "Sandbox Poster" in page.text
    assert 'name="open_id"' in page.text and "@alice.tt" in page.text
    assert page.text.count('name="scope"') == 6
    assert 'value="authorize"' in page.text and 'value="cancel"' in page.text


async def test_cancel_redirects_with_access_denied(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    _, challenge = make_pkce()
    location = await submit_consent(
        client, authorize_url(sandbox.base_url, challenge, state="s p&ace"), cancel=True
    )
    assert location.startswith(REDIRECT_URI + "?")
    params = callback_params(location)
    assert params["error"] == "access_denied"
    assert params["state"] == "s p&ace"
    assert "code" not in params


async def test_authorize_issues_code_with_granted_scopes(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    verifier, challenge = make_pkce()
    location = await submit_consent(
        client,
        authorize_url(sandbox.base_url, challenge),
        open_id="bob",
        untick_scopes=["video.list", "user.info.basic"],
    )
    params = callback_params(location)
    assert params["state"] == "st-123"
    granted = params["scopes"].split(",")
    assert "video.list" not in granted
    assert "user.info.basic" in granted  # cannot be unticked
    reply = await exchange(
        client,
        sandbox.base_url,
        code=params["code"],
        grant_type="authorization_code",
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["open_id"] == "bob"
    assert body["scope"].split(",") == granted
    assert body["access_token"].startswith("act.")
    assert body["refresh_token"].startswith("rft.")
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 86400
    assert body["refresh_expires_in"] == 31536000
    assert sandbox.tokens_for("bob") == [body["refresh_token"], body["access_token"]]


async def _code(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> tuple[str, str]:
    verifier, challenge = make_pkce()
    location = await submit_consent(client, authorize_url(sandbox.base_url, challenge))
    return callback_params(location)["code"], verifier


async def test_code_is_single_use(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    code, verifier = await _code(sandbox, client)
    form = {
        "code": code,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    assert (await exchange(client, sandbox.base_url, **form)).status_code == 200
    again = await exchange(client, sandbox.base_url, **form)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert "log_id" in again.json()


async def test_code_exchange_rejections(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    code, verifier = await _code(sandbox, client)
    base = {"code": code, "grant_type": "authorization_code", "redirect_uri": REDIRECT_URI}

    wrong_verifier = make_pkce()[0]
    reply = await exchange(client, sandbox.base_url, **base, code_verifier=wrong_verifier)
    assert reply.json()["error"] == "invalid_grant"
    reply = await exchange(client, sandbox.base_url, **base, code_verifier="short")
    assert reply.json()["error"] == "invalid_grant"
    redirect = {**base, "redirect_uri": REDIRECT_URI + "/"}
    reply = await exchange(client, sandbox.base_url, **redirect, code_verifier=verifier)
    assert reply.json()["error"] == "invalid_grant"

    reply = await client.post(
        f"{sandbox.base_url}/v2/oauth/token/",
        data={
            **base,
            "code_verifier": verifier,
            "client_key": "sbx_client_key",
            "client_secret": "wrong",
        },
    )
    assert reply.status_code == 401 and reply.json()["error"] == "invalid_client"

    reply = await client.post(
        f"{sandbox.base_url}/v2/oauth/token/",
        json={**base, "code_verifier": verifier},
    )
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"

    reply = await exchange(client, sandbox.base_url, grant_type="password")
    assert reply.json()["error"] == "unsupported_grant_type"

    # The failed attempts did not burn the code.
    reply = await exchange(client, sandbox.base_url, **base, code_verifier=verifier)
    assert reply.status_code == 200


async def test_code_expires_after_ten_minutes(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    code, verifier = await _code(sandbox, client)
    sandbox.clock.advance(601)
    reply = await exchange(
        client,
        sandbox.base_url,
        code=code,
        grant_type="authorization_code",
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )
    assert reply.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_old_refresh_token_fails(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    first = await link(client, sandbox.base_url, "alice")
    sandbox.clock.advance(3600)
    reply = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert reply.status_code == 200, reply.text
    second = reply.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["refresh_expires_in"] == 31536000 - 3600

    reused = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"

    # The older access token stays valid until its own expiry.
    old = Api(client, sandbox.base_url, first["access_token"])
    assert (await old.get("/v2/user/info/", fields="open_id")).status_code == 200
    third = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=second["refresh_token"]
    )
    assert third.status_code == 200
    issued = sandbox.tokens_for("alice")
    for token in (first, second, third.json()):
        assert token["access_token"] in issued and token["refresh_token"] in issued


async def test_refresh_token_expires(sandbox: TikTokSandbox, client: httpx.AsyncClient) -> None:
    tokens = await link(client, sandbox.base_url, "alice")
    sandbox.clock.advance(31536000)
    reply = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert reply.json()["error"] == "invalid_grant"


async def test_access_token_expires_on_the_clock(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    tokens = await link(client, sandbox.base_url, "alice")
    api = Api(client, sandbox.base_url, tokens["access_token"])
    sandbox.clock.advance(86399)
    assert (await api.get("/v2/user/info/", fields="open_id")).status_code == 200
    sandbox.clock.advance(1)
    reply = await api.get("/v2/user/info/", fields="open_id")
    assert reply.status_code == 401
    assert code_of(reply) == "access_token_invalid"
    assert reply.json()["data"] == {}


async def test_expire_access_tokens_helper(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    tokens = await link(client, sandbox.base_url, "alice")
    sandbox.expire_access_tokens("alice")
    api = Api(client, sandbox.base_url, tokens["access_token"])
    assert code_of(await api.get("/v2/user/info/", fields="open_id")) == "access_token_invalid"
    refreshed = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refreshed.status_code == 200


async def test_revoke_invalidates_the_grant(
    sandbox: TikTokSandbox, client: httpx.AsyncClient
) -> None:
    tokens = await link(client, sandbox.base_url, "alice")
    other = await link(client, sandbox.base_url, "alice")
    reply = await client.post(
        f"{sandbox.base_url}/v2/oauth/revoke/",
        data={"client_key": "sbx_client_key", "client_secret": "bad", "token": "x"},
    )
    assert reply.status_code == 401 and reply.json()["error"] == "invalid_client"
    reply = await client.post(
        f"{sandbox.base_url}/v2/oauth/revoke/",
        data={
            "client_key": "sbx_client_key",
            "client_secret": "sbx_client_secret",
            "token": tokens["access_token"],
        },
    )
    assert reply.status_code == 200 and reply.json() == {}
    api = Api(client, sandbox.base_url, tokens["access_token"])
    assert (await api.get("/v2/user/info/", fields="open_id")).status_code == 401
    refreshed = await exchange(
        client, sandbox.base_url, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refreshed.json()["error"] == "invalid_grant"
    # Another grant of the same account is untouched.
    still = Api(client, sandbox.base_url, other["access_token"])
    assert (await still.get("/v2/user/info/", fields="open_id")).status_code == 200
