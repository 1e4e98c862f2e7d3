"""TikTokSandbox: the emulator's public face, its routes and its request log."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import parse_qs

from aiohttp import web

from emulators.tiktok import paths
from emulators.tiktok.api import bearer_token
from emulators.tiktok.clock import SandboxClock
from emulators.tiktok.comments import CommentEndpoints
from emulators.tiktok.config import SandboxAccount, SandboxApp
from emulators.tiktok.errors import SandboxError, envelope, new_log_id
from emulators.tiktok.faults import EndpointFault, SandboxFaults
from emulators.tiktok.lifecycle import settle
from emulators.tiktok.oauth import OAuthEndpoints
from emulators.tiktok.pages import render_error_page
from emulators.tiktok.publishing import PublishEndpoints
from emulators.tiktok.records import Publish, RecordedRequest, SandboxComment, Video
from emulators.tiktok.state import RELATIVE_PATH_KEY, SandboxState
from emulators.tiktok.upload import UploadEndpoint, drain
from emulators.tiktok.users import UserEndpoints
from emulators.tiktok.videos import VideoEndpoints
from emulators.tiktok.webhooks import WebhookSender

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class TikTokSandbox:
    """A local, strict emulator of the TikTok Open API.

    Run it standalone with :meth:`start`, or mount :meth:`web_app` inside
    another aiohttp application (then set :attr:`base_url` to where it is
    reachable). Everything it did is recorded for assertions: ``requests``,
    ``publishes``, ``comments``, :meth:`posts` and :meth:`tokens_for`.
    """

    def __init__(
        self,
        *,
        apps: Sequence[SandboxApp],
        accounts: Sequence[SandboxAccount] = (),
        clock: SandboxClock | None = None,
    ) -> None:
        """Create a sandbox for ``apps`` with ``accounts`` able to sign in."""
        self._state = SandboxState(apps=apps, clock=clock or SandboxClock())
        for account in accounts:
            self._state.add_account(account)
        self._runner: web.AppRunner | None = None
        self._paths: dict[web.AbstractResource, str] = {}

    # Configuration and recorded state.

    @property
    def clock(self) -> SandboxClock:
        """The clock every lifetime and limit is measured on."""
        return self._state.clock

    @property
    def faults(self) -> SandboxFaults:
        """Failures to inject into the next requests."""
        return self._state.faults

    @property
    def base_url(self) -> str:
        """External origin + prefix of the sandbox, used in upload and form URLs.

        When empty, it is derived from each request's own URL.
        """
        return self._state.base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._state.base_url = value.rstrip("/")

    @property
    def apps(self) -> dict[str, SandboxApp]:
        """Registered apps by client_key."""
        return self._state.apps

    @property
    def accounts(self) -> dict[str, SandboxAccount]:
        """Accounts by open_id."""
        return self._state.accounts

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request answered, in arrival order."""
        return self._state.requests

    @property
    def publishes(self) -> dict[str, Publish]:
        """Every publish by publish_id, brought up to date with the clock."""
        settle(self._state)
        return self._state.publishes

    @property
    def comments(self) -> dict[str, SandboxComment]:
        """Every comment written, by comment_id (deleted ones are kept, flagged)."""
        return self._state.comments

    @property
    def webhooks(self) -> WebhookSender:
        """Signed webhook events sent to each app's ``webhook_url``, and their log."""
        return self._state.webhooks

    def remove_authorization(self, open_id: str, client_key: str | None = None) -> None:
        """The account disconnects the app(s) in TikTok: tokens die, the webhook says so."""
        for app in self._state.apps.values():
            if client_key is not None and app.client_key != client_key:
                continue
            if self._state.tokens.revoke_account(app, open_id):
                self._state.webhooks.authorization_removed(app, open_id)

    def make_private(self, publish_id: str) -> None:
        """The creator hides a published post: it leaves the profile, the webhook says so."""
        publish = self.publishes[publish_id]
        video = self._state.videos.get(publish.post_id or "")
        if video is None:
            raise KeyError(f"publish {publish_id!r} has no post")
        video.privacy_level = "SELF_ONLY"
        self._state.webhooks.no_longer_public(publish)

    def make_public(self, publish_id: str) -> None:
        """The creator makes a post public later ("Only me" -> everyone); the webhook says so."""
        publish = self.publishes[publish_id]
        video = self._state.videos.get(publish.post_id or "")
        if video is None:
            raise KeyError(f"publish {publish_id!r} has no post")
        video.privacy_level = "PUBLIC_TO_EVERYONE"
        self._state.webhooks.publicly_available(publish)

    def add_account(self, account: SandboxAccount) -> None:
        """Add an account that can sign in (its seed videos are created now)."""
        self._state.add_account(account)

    def posts(self, open_id: str) -> list[Video]:
        """The account's videos, seeded and published (any privacy), newest first."""
        settle(self._state)
        return self._state.posts(open_id)

    def tokens_for(self, open_id: str) -> list[str]:
        """Every access and refresh token ever issued for the account."""
        return self._state.tokens.tokens_for(open_id)

    def expire_access_tokens(self, open_id: str) -> None:
        """Make the account's current access tokens expired (refresh tokens stay valid)."""
        self._state.tokens.expire_access_tokens(open_id)

    async def wait_background(self) -> None:
        """Wait for background media pulls to finish (tests use this instead of sleeping)."""
        await self._state.wait_background()

    # Serving.

    def web_app(self) -> web.Application:
        """Build an aiohttp application serving the sandbox's routes (mountable)."""
        app = web.Application(middlewares=[self._middleware])
        oauth = OAuthEndpoints(self._state)
        users = UserEndpoints(self._state)
        publishing = PublishEndpoints(self._state)
        videos = VideoEndpoints(self._state)
        comments = CommentEndpoints(self._state)
        upload = UploadEndpoint(self._state)
        routes: list[tuple[str, str, Handler]] = [
            ("GET", paths.AUTHORIZE, oauth.authorize_page),
            ("POST", paths.AUTHORIZE, oauth.authorize_submit),
            ("POST", paths.TOKEN, oauth.token),
            ("POST", paths.REVOKE, oauth.revoke),
            ("GET", paths.USER_INFO, users.user_info),
            ("POST", paths.CREATOR_INFO, users.creator_info),
            ("POST", paths.VIDEO_INIT, publishing.video_init),
            ("POST", paths.INBOX_INIT, publishing.inbox_init),
            ("POST", paths.CONTENT_INIT, publishing.content_init),
            ("POST", paths.STATUS_FETCH, publishing.status_fetch),
            ("PUT", paths.UPLOAD, upload.put_chunk),
            ("POST", paths.VIDEO_LIST, videos.list_videos),
            ("POST", paths.VIDEO_QUERY, videos.query_videos),
            ("POST", paths.COMMENT_PUBLISH, comments.publish),
            ("POST", paths.COMMENT_DELETE, comments.delete),
        ]
        for method, path, handler in routes:
            route = app.router.add_route(method, path, handler)
            # Resources gain the mount prefix when mounted; remember the relative path.
            if route.resource is not None:
                self._paths[route.resource] = path
        app.on_startup.append(self._on_startup)
        app.on_cleanup.append(self._on_cleanup)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve standalone on ``host:port`` (0 = any free port); return the base URL."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = runner.addresses[0][1]
        shown_host = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown_host}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving, cancel background pulls and close the pull client."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        await self._state.close()

    async def _on_startup(self, _app: web.Application) -> None:
        self._state.webhooks.start(lambda: settle(self._state))

    async def _on_cleanup(self, _app: web.Application) -> None:
        await self._state.close()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        state = self._state
        settle(state)
        resource = request.match_info.route.resource
        relative = request.path if resource is None else self._paths.get(resource, request.path)
        request[RELATIVE_PATH_KEY] = relative
        record = RecordedRequest(
            method=request.method,
            path=relative,
            query=dict(request.query),
            time=state.clock.now(),
            access_token=bearer_token(request),
        )
        state.requests.append(record)
        response: web.StreamResponse
        try:
            if relative != paths.UPLOAD:
                await _record_body(request, record)
            fault = state.faults.take_endpoint_fault(relative)
            if fault is not None:
                if relative == paths.UPLOAD:
                    await drain(request)
                response = _fault_response(relative, fault)
                record.error_code = fault.code
            else:
                response = await handler(request)
        except SandboxError as refusal:
            response = refusal.response()
            record.error_code = refusal.code
        except web.HTTPException as exc:
            # Redirects and aiohttp's own 404/405/413 pass through unchanged.
            record.status = exc.status
            raise
        except Exception:
            record.status = 500  # a sandbox bug: aiohttp answers 500 and logs it
            raise
        record.status = response.status
        state.webhooks.collect()
        if record.error_code is None:
            record.error_code = _error_code_of(response)
        return response


async def _record_body(request: web.Request, record: RecordedRequest) -> None:
    if not request.body_exists:
        return
    raw = await request.read()  # cached by aiohttp for the handler
    if request.content_type == "application/json":
        try:
            record.json = json.loads(raw)
        except ValueError:
            record.json = None
    elif request.content_type == "application/x-www-form-urlencoded":
        record.form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)


def _fault_response(path: str, fault: EndpointFault) -> web.StreamResponse:
    message = "injected by sandbox.faults"
    if path.startswith("/v2/oauth/"):
        body = {"error": fault.code, "error_description": message, "log_id": new_log_id()}
        return web.json_response(body, status=fault.status)
    if path == paths.AUTHORIZE:
        return web.Response(
            text=render_error_page(f"{fault.code}: {message}"),
            status=fault.status,
            content_type="text/html",
        )
    if path == paths.UPLOAD:
        return web.Response(text=f"{fault.code}: {message}\n", status=fault.status)
    return envelope(code=fault.code, message=message, status=fault.status)


def _error_code_of(response: web.StreamResponse) -> str | None:
    if not isinstance(response, web.Response) or response.content_type != "application/json":
        return None
    if not isinstance(response.body, bytes):
        return None
    try:
        body = json.loads(response.body)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code = error.get("code")
        return code if isinstance(code, str) else None
    return error if isinstance(error, str) else None
