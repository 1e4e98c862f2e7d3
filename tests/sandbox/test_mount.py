"""The sandbox mounted as a sub-app of another aiohttp application."""

from __future__ import annotations

import os

import httpx
from aiohttp import web

from emulators.tiktok import SandboxAccount, SandboxApp, SandboxClock, TikTokSandbox
from tests.sandbox.consent import submit_consent
from tests.sandbox.helpers import (
    CLIENT_KEY,
    CLIENT_SECRET,
    REDIRECT_URI,
    T0,
    Api,
    authorize_url,
    callback_params,
    file_source,
    make_pkce,
    put_chunk,
    video_post_info,
)


async def test_mounted_under_a_prefix() -> None:
    sandbox = TikTokSandbox(
        apps=[SandboxApp(CLIENT_KEY, CLIENT_SECRET, [REDIRECT_URI])],
        accounts=[SandboxAccount("alice", "alice.tt", "Alice")],
        clock=SandboxClock(T0),
    )
    parent = web.Application()
    parent.add_subapp("/sandbox", sandbox.web_app())
    runner = web.AppRunner(parent, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}/sandbox"
    try:
        async with httpx.AsyncClient() as client:
            verifier, challenge = make_pkce()
            location = await submit_consent(client, authorize_url(base, challenge))
            code = callback_params(location)["code"]
            tokens = await client.post(
                base + "/v2/oauth/token/",
                data={
                    "client_key": CLIENT_KEY,
                    "client_secret": CLIENT_SECRET,
                    "code": code,
                    "grant_type": "authorization_code",
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                },
            )
            api = Api(client, base, tokens.json()["access_token"])
            reply = await api.post(
                "/v2/post/publish/video/init/",
                {"post_info": video_post_info(), "source_info": file_source(64)},
            )
            # No base_url set: upload URLs are derived from the request, prefix included.
            upload_url = reply.json()["data"]["upload_url"]
            assert upload_url.startswith(base + "/upload/?")
            assert (await put_chunk(client, upload_url, os.urandom(64), 0, 64)).status_code == 201
            assert sandbox.requests[-1].path == "/upload/"
            assert {r.path for r in sandbox.requests} >= {
                "/v2/auth/authorize/",
                "/v2/oauth/token/",
                "/v2/post/publish/video/init/",
            }
            sandbox.base_url = "https://bot.example/sandbox/"
            reply = await api.post(
                "/v2/post/publish/video/init/",
                {"post_info": video_post_info(), "source_info": file_source(64)},
            )
            assert reply.json()["data"]["upload_url"].startswith(
                "https://bot.example/sandbox/upload/?upload_id="
            )
    finally:
        await runner.cleanup()
        await sandbox.stop()
