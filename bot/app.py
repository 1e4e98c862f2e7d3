"""Composition root: builds config, DB, clients, services, the PTB Application,
the web server and background work; starts and stops them in order.

Order (docs/telegram.md): `application.initialize()` -> polling ->
`application.start()` -> aiohttp site; teardown in reverse.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, time
from typing import Any

import httpx
from aiohttp import web
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import HTTPXRequest

import handlers
import handlers.linked
from bot.accounts import (
    AccountService,
    LinkOutcome,
    LinkService,
    TokenManager,
)
from bot.accounts.chat_sign_in import ChatSignIn
from bot.clock import Clock, system_clock
from bot.comments import CommentService
from bot.config import Settings
from bot.creators import DAILY_WATCH_JOB, build_creator_service
from bot.insights import (
    DAILY_SNAPSHOT_AT,
    DAILY_SNAPSHOT_JOB,
    InsightsService,
    PublishedPosts,
    PublishJobPosts,
    ShortLinkResolver,
    VideoFinder,
)
from bot.ops.cleanup import CLEANUP_JOB, Cleanup
from bot.ops.cluster import ClusterOnce
from bot.ops.web import OpsConfig, mount_ops
from bot.publishing.albums import AlbumService
from bot.publishing.drafts import DraftService
from bot.publishing.events import JobEvents
from bot.publishing.jobs import JobState, PublishTuning
from bot.publishing.media_route import mount_media
from bot.publishing.transport import upload_client
from bot.publishing.webhook_route import mount_tiktok_webhooks
from bot.publishing.webhook_wait import WebhookOutcomes, WebhookTuning
from bot.publishing.webhooks import WebhookService
from bot.publishing.worker import PublishService
from bot.scheduling.due_gate import DueGate
from bot.scheduling.preferences import UserPreferences
from bot.scheduling.queue import PostQueue
from bot.scheduling.zones import TimeZoneChoice
from bot.services import Services
from bot.teams import TeamService
from bot.tiktok import PublishingAPI, TikTokClient, VideosAPI, build_comments_api
from bot.tls import client_tls
from bot.web import build_web_app, mount_webhook
from handlers.cluster_jobs import daily, half_minute, hourly, once_per_period, run_cleanup
from handlers.context import SERVICES_KEY
from handlers.schedule_events import schedule_aware_job_events
from handlers.team_events import TeamJobEvents
from handlers.telegram_files import TelegramFileLocator
from handlers.telegram_metrics import CountingRequest
from handlers.tiktok_notices import TelegramNotices
from storage.crypto import TokenCipher, load_keys
from storage.db import Database
from storage.media_store import DatabaseMediaStore, LocalMediaStore, MediaStore

log = logging.getLogger(__name__)
# Approval requests past TEAM_APPROVAL_DAYS are marked expired on this beat; one process
# per half minute does it (cluster lease), so a card turns "expired" within 40 s.
TEAM_EXPIRY_EVERY = 10.0
TEAM_EXPIRY_JOB = "team-approval-expiry"

WebMount = Callable[[web.Application], None]
# Watched creators' daily snapshot: an hour after the account snapshots.
DAILY_WATCH_AT = time(5, 0, tzinfo=UTC)


@dataclass
class RunOptions:
    """Knobs tests and special modes turn; production uses the defaults."""

    clock: Clock = system_clock
    poll_timeout: int = 30
    rate_limiter: bool = True
    web_mounts: list[WebMount] = field(default_factory=list)
    tiktok_transport: httpx.AsyncBaseTransport | None = None
    # /stats: the vm.tiktok.com short-link host (tests stand in for it) and
    # which videos were posted through the bot (default: the publish_jobs table).
    short_link_transport: httpx.AsyncBaseTransport | None = None
    published_posts: PublishedPosts | None = None
    publishing: PublishTuning = field(default_factory=PublishTuning)
    webhooks: WebhookTuning = field(default_factory=WebhookTuning)
    # How creator-provider calls wait (rate limits, "wait 15s"); tests move a fake clock.
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # A socket already bound and listening (tests and the demo bind port 0 and keep
    # it): the web server serves on a duplicate, so a restart serves on it again and
    # the port is never free for someone else in between.
    listen_socket: socket.socket | None = None
    # Sandbox mode: sign in to the emulated TikTok from inside the chat.
    chat_sign_in: ChatSignIn | None = None
    # Seconds between team expiry checks (tests beat faster and move the clock).
    team_expiry_every: float = TEAM_EXPIRY_EVERY


class BotApp:
    """The whole bot in one process: Telegram polling, web server, services."""

    def __init__(self, settings: Settings, options: RunOptions | None = None) -> None:
        self.settings = settings
        self.options = options or RunOptions()
        self.db = Database(settings.database_url)
        secret = settings.token_encryption_key
        self.cipher = TokenCipher(
            load_keys(secret.get_secret_value() if secret else None, settings.data_dir)
        )
        self._process_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"  # cluster lease holder
        self._http: httpx.AsyncClient | None = None
        self._short_links_http: httpx.AsyncClient | None = None
        self._uploads_http: httpx.AsyncClient | None = None
        self._creators_http: httpx.AsyncClient | None = None
        self._runner: web.AppRunner | None = None
        self.application: Application | None = None  # type: ignore[type-arg]
        self.services: Services | None = None
        self.webhooks: WebhookService | None = None
        self._files: TelegramFileLocator | None = None

    def _build_services(self) -> Services:
        settings, clock = self.settings, self.options.clock
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, connect=10.0),
            transport=self.options.tiktok_transport,
            follow_redirects=False,
            verify=client_tls(),
        )
        secret = settings.tiktok_client_secret
        client = TikTokClient(
            http=self._http,
            client_key=settings.tiktok_client_key or "",
            client_secret=secret.get_secret_value() if secret else "",
            api_base_url=settings.tiktok_api_base_url,
            auth_url=settings.tiktok_auth_url,
        )
        tokens = TokenManager(db=self.db, cipher=self.cipher, client=client, clock=clock)
        accounts = AccountService(db=self.db, cipher=self.cipher, client=client, tokens=tokens)
        drafts = DraftService(
            db=self.db,
            accounts=accounts,
            tokens=tokens,
            publishing_api=PublishingAPI(client),
            submitter=lambda: getattr(self.services, "publishing", None),
            audited=lambda: settings.tiktok_app_audited,
            shared=lambda: getattr(self.services, "teams", None),
        )
        insights, comments = self._build_insights(client, tokens, accounts)
        if settings.tiktok_webhooks:
            self.webhooks = WebhookService(
                db=self.db,
                cipher=self.cipher,
                clock=clock,
                client_secret=secret.get_secret_value() if secret else "",
            )
        # Its own client: providers are other hosts than TikTok's API.
        self._creators_http = httpx.AsyncClient(
            timeout=httpx.Timeout(20.0, connect=10.0), verify=client_tls()
        )
        creators = build_creator_service(
            settings, http=self._creators_http, clock=clock, sleep=self.options.sleep
        )
        services = Services(
            settings=settings,
            db=self.db,
            accounts=accounts,
            links=LinkService(
                db=self.db,
                cipher=self.cipher,
                client=client,
                clock=clock,
                redirect_uri=settings.redirect_uri,
                scopes=settings.tiktok_scopes,
            ),
            tokens=tokens,
            tiktok=client,
            drafts=drafts,
            albums=AlbumService(db=self.db, clock=clock, holder=self._process_id),
            chat_sign_in=self.options.chat_sign_in,
            insights=insights,
            comments=comments,
            preferences=UserPreferences(self.db, clock),
            creators=creators,
            publishing=PublishService(
                db=self.db,
                cipher=self.cipher,
                tokens=tokens,
                api=PublishingAPI(client, uploads=self._uploads_client()),
                videos=VideosAPI(client),
                clock=clock,
                data_dir=settings.data_dir,
                public_base_url=settings.public_base_url,
                tuning=self.options.publishing,
                webhooks=(
                    WebhookOutcomes(self.webhooks, self.options.webhooks)
                    if self.webhooks is not None
                    else None
                ),
                due_gate=DueGate(tokens, PublishingAPI(client)),
                media=self._media_store(),
                inline_transfers=self.options.tiktok_transport is not None,
            ),
        )
        services.teams = TeamService(
            db=self.db,
            cipher=self.cipher,
            accounts=accounts,
            clock=clock,
            approval_days=settings.team_approval_days,
        )
        services.queue = PostQueue(
            db=self.db,
            cipher=self.cipher,
            clock=clock,
            publishing=services.publishing,
            drafts=drafts,
            files=lambda: self._files,
        )
        return services

    def _uploads_client(self) -> httpx.AsyncClient:
        """The client for chunk PUTs: aiohttp's engine moves bulk bytes at half the CPU.

        Tests that replace the TikTok transport replace this one too.
        """
        self._uploads_http = upload_client(self.options.tiktok_transport)
        return self._uploads_http

    def _build_insights(
        self, client: TikTokClient, tokens: TokenManager, accounts: AccountService
    ) -> tuple[InsightsService, CommentService]:
        """/stats and /comment, sharing one video finder (links, short links, ownership)."""
        clock, videos = self.options.clock, VideosAPI(client)
        # Its own client: short links go to tiktok.com, never through the API transport.
        self._short_links_http = httpx.AsyncClient(
            timeout=httpx.Timeout(10.0),
            transport=self.options.short_link_transport,
            verify=client_tls(),
        )
        finder = VideoFinder(
            accounts=accounts,
            tokens=tokens,
            videos=videos,
            resolver=ShortLinkResolver(self._short_links_http),
        )
        insights = InsightsService(
            db=self.db,
            accounts=accounts,
            tokens=tokens,
            client=client,
            videos=videos,
            finder=finder,
            published=self.options.published_posts or PublishJobPosts(self.db),
            clock=clock,
        )
        comments = CommentService(
            db=self.db,
            accounts=accounts,
            tokens=tokens,
            api=build_comments_api(
                self.settings.tiktok_comment_api,
                client=client,
                business_base_url=self.settings.tiktok_business_api_base_url,
            ),
            finder=finder,
            clock=clock,
        )
        return insights, comments

    def _build_application(self) -> Application:  # type: ignore[type-arg]
        settings = self.settings
        token = settings.telegram_bot_token
        if token is None:
            raise RuntimeError("TELEGRAM_BOT_TOKEN is required")
        shared_tls = {"verify": client_tls()}  # both Bot API clients: one CA bundle load
        builder = (
            ApplicationBuilder()
            .token(token.get_secret_value())
            .base_url(settings.telegram_api_base_url)
            .base_file_url(settings.telegram_file_base_url)
            .local_mode(settings.telegram_local_mode)
            # One slow user (a TikTok call, a big download) must not block others.
            .concurrent_updates(True)
            # getUpdates gets a client of its own (one connection, as PTB's default);
            # PTB's default would load the CA bundle into a context of its own.
            .get_updates_request(
                HTTPXRequest(
                    connection_pool_size=1,
                    read_timeout=self.options.poll_timeout + 10,
                    httpx_kwargs=shared_tls,
                )
            )
            # Replies go out only after the update's writes are committed; failures counted.
            .request(CountingRequest(self.db, connection_pool_size=256, httpx_kwargs=shared_tls))
        )
        if self.options.rate_limiter:
            builder = builder.rate_limiter(AIORateLimiter(max_retries=2))  # type: ignore[arg-type]
        return builder.build()

    async def _enqueue_update(self, payload: dict[str, Any]) -> None:
        """Hand a webhook update to PTB's pipeline, as polling would."""
        assert self.application is not None
        update = Update.de_json(payload, self.application.bot)
        await self.application.update_queue.put(update)

    async def _notify_link(self, outcome: LinkOutcome) -> None:
        assert self.application is not None and self.services is not None
        await handlers.linked.notify_link(self.application.bot, self.services, outcome)

    async def _time_zone_of(self, telegram_user_id: int) -> TimeZoneChoice | None:
        """The user's time zone (scheduled posts are shown in it)."""
        assert self.services is not None and self.services.preferences is not None
        return await self.services.preferences.time_zone(telegram_user_id)

    async def start(self) -> None:
        """Migrate, then start Telegram polling and the web server."""
        await self.db.upgrade()
        self.services = self._build_services()
        self.application = self._build_application()
        self.application.bot_data[SERVICES_KEY] = self.services
        handlers.register(self.application)
        await self.application.initialize()
        # A daily snapshot of every linked account: /stats changes and charts
        # then work for accounts nobody looked at for a while.
        assert self.application.job_queue is not None
        cluster = ClusterOnce(self.db, holder=self._process_id, clock=self.options.clock)
        self.application.job_queue.run_daily(
            # Every process schedules it; one per day wins the lease and runs it.
            once_per_period(
                cluster,
                DAILY_SNAPSHOT_JOB,
                daily,
                self.options.clock,
                handlers.stats.daily_snapshots,
            ),
            time=DAILY_SNAPSHOT_AT,
            name=DAILY_SNAPSHOT_JOB,
        )
        cleanup = Cleanup(
            db=self.db,
            cipher=self.cipher,
            media=self.services.publishing.media,
            clock=self.options.clock,
        )
        self.application.job_queue.run_repeating(
            once_per_period(cluster, CLEANUP_JOB, hourly, self.options.clock, run_cleanup),
            interval=3600,
            first=60,
            name=CLEANUP_JOB,
            data=cleanup,
        )
        self.application.job_queue.run_daily(
            handlers.creators.daily_watch, time=DAILY_WATCH_AT, name=DAILY_WATCH_JOB
        )
        self.application.job_queue.run_repeating(
            once_per_period(
                cluster, TEAM_EXPIRY_JOB, half_minute, self.options.clock, handlers.teams.expire_job
            ),
            interval=self.options.team_expiry_every,
            name=TEAM_EXPIRY_JOB,
        )
        web_app = build_web_app(
            links=self.services.links,
            notify=self._notify_link,
            bot_username=self.application.bot.username,
        )
        mount_media(web_app, self.services.publishing.media)
        if self.webhooks is not None:
            mount_tiktok_webhooks(web_app, self.webhooks)
        mount_ops(web_app, self._ops_config())
        secret = self.settings.telegram_webhook_secret
        if self.settings.telegram_webhook and secret is not None:
            mount_webhook(web_app, sink=self._enqueue_update, secret=secret.get_secret_value())
        for mount in self.options.web_mounts:
            mount(web_app)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site: web.BaseSite
        if self.options.listen_socket is not None:
            site = web.SockSite(self._runner, self.options.listen_socket.dup())
        else:
            site = web.TCPSite(self._runner, self.settings.web_host, self.settings.web_port)
        await site.start()
        if not self.settings.telegram_webhook:
            assert self.application.updater is not None
            await self.application.updater.start_polling(
                poll_interval=0.0,
                timeout=self.options.poll_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
        await self.application.start()
        # After polling started: one round trip to Telegram less before the
        # first getUpdates (the command menu is not needed to answer anyone).
        await self.application.bot.set_my_commands(handlers.COMMANDS)
        await handlers.intake.resume_albums(self.application)
        if self.settings.telegram_webhook:
            # After the web server and the update processor are up: Telegram may
            # deliver at once. Several processes set the same URL and secret.
            secret = self.settings.telegram_webhook_secret
            assert secret is not None
            await self.application.bot.set_webhook(
                self.settings.webhook_url,
                secret_token=secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
        self._files = TelegramFileLocator(
            self.application.bot, local_mode=self.settings.telegram_local_mode
        )
        events: JobEvents = schedule_aware_job_events(
            self.application.bot, self.services.publishing, self._time_zone_of
        )
        if self.services.teams is not None:  # approved team posts end on their group card
            events = TeamJobEvents(events, self.services.teams, self.application.bot)
        self.services.publishing.connect(events=events, files=self._files)
        await self.services.publishing.start()
        if self.webhooks is not None:
            self.webhooks.connect(TelegramNotices(self.application.bot))
            await self.webhooks.process_pending()
        log.info(
            "bot @%s running; web server on %s:%s",
            self.application.bot.username,
            self.settings.web_host,
            self.web_port,
        )

    @property
    def web_port(self) -> int:
        """The port the web server listens on (the bound one when WEB_PORT is 0)."""
        if self._runner is not None and self._runner.addresses:
            return int(self._runner.addresses[0][1])
        return self.settings.web_port

    def _media_store(self) -> MediaStore:
        if self.settings.shared_media:
            return DatabaseMediaStore(self.db)
        return LocalMediaStore(self.settings.data_dir / "media")

    def _ops_config(self) -> OpsConfig:
        assert self.services is not None
        publishing = self.services.publishing
        return OpsConfig(
            db=self.db,
            heartbeat=publishing.heartbeat,
            # The worker scans at least every scan_interval; allow a few missed ones.
            worker_max_age=max(30.0, 4 * publishing.tuning.scan_interval),
            job_states=[state.value for state in JobState],
        )

    async def stop(self) -> None:
        """Stop everything in reverse order; safe to call after a failed start."""
        if self.services is not None:
            # First: running jobs give their leases back while the DB and bot still work.
            await self.services.publishing.stop()
        if self.webhooks is not None:
            await self.webhooks.stop()
        app = self.application
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.aclose()
        if self._short_links_http is not None:
            await self._short_links_http.aclose()
        if self._uploads_http is not None:
            await self._uploads_http.aclose()
        if self._creators_http is not None:
            await self._creators_http.aclose()
        await self.db.dispose()


async def run_until_stopped(
    bot_app: BotApp, stop: asyncio.Event, on_started: Callable[[BotApp], None] | None = None
) -> None:
    """Run the bot until `stop` is set (signals set it in __main__)."""
    try:
        await bot_app.start()
        if on_started is not None:
            on_started(bot_app)
        await stop.wait()
    finally:
        # Also after a failed start: whatever did start is closed again.
        await bot_app.stop()
