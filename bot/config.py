"""One typed Settings object built from the environment and `.env`.

The names are the configuration contract of DESIGN.md; `.env.example`
documents each one. Secrets are `SecretStr` so they never print by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SCOPES = (
    "user.info.basic",
    "user.info.profile",
    "user.info.stats",
    "video.publish",
    "video.upload",
    "video.list",
)

CALLBACK_PATH = "/oauth/tiktok/callback"
CONFIRM_STATUS_PATH = "/oauth/tiktok/sign-in"
WEBHOOK_PATH = "/telegram/webhook"
TIKTOK_WEBHOOK_PATH = "/webhooks/tiktok"

Mode = Literal["run", "sandbox", "demo"]


class Settings(BaseSettings):
    """Every knob of the bot, read once at start-up."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # `cp .env.example .env` leaves `NAME=` lines: empty means "not set".
        env_ignore_empty=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    telegram_local_mode: bool = False
    # Webhook mode (needed to run several processes: only one may long-poll).
    # Telegram POSTs updates to PUBLIC_BASE_URL + /telegram/webhook with the
    # secret in a header; every process must share the same secret.
    telegram_webhook: bool = False
    telegram_webhook_secret: SecretStr | None = None

    tiktok_client_key: str | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_api_base_url: str = "https://open.tiktokapis.com"
    tiktok_auth_url: str = "https://www.tiktok.com/v2/auth/authorize/"
    tiktok_scopes: Annotated[tuple[str, ...], NoDecode] = DEFAULT_SCOPES
    # Until TikTok audits the app, direct posts must be "Only me" from private
    # accounts; the composer says so up front instead of letting TikTok refuse.
    tiktok_app_audited: bool = False
    # Which endpoints write comments: "open_api" (the seed contract, which the
    # sandbox serves) or "business" (TikTok API for Business, Accounts API;
    # built from TikTok's docs, untested against the real API).
    tiktok_comment_api: Literal["open_api", "business"] = "open_api"
    tiktok_business_api_base_url: str = "https://business-api.tiktok.com"
    # TikTok's webhooks (register PUBLIC_BASE_URL + /webhooks/tiktok in the
    # developer portal): outcomes arrive as events, status polling slows to a
    # safety net.
    tiktok_webhooks: bool = False

    public_base_url: str = "http://127.0.0.1:8080"
    web_host: str = "127.0.0.1"
    web_port: int = 8080

    database_url: str = "sqlite+aiosqlite:///data/bot.db"
    data_dir: Path = Path("data")
    token_encryption_key: SecretStr | None = None
    allowed_telegram_user_ids: Annotated[frozenset[int], NoDecode] = Field(
        default_factory=frozenset
    )
    log_level: str = "INFO"
    # DEBUG alone keeps the libraries (SQL parameters, Bot API payloads) at INFO:
    # those carry OAuth states and media tokens. This flag lets them speak too.
    log_verbose: bool = False

    # Public data on any creator (/stats @name, /following, /compare, /watch):
    # third-party providers, each optional. docs/providers.md describes them.
    video_list_api_base_url: str | None = None
    video_list_api_key: SecretStr | None = None
    video_list_api_region: str = "US"
    user_info_api_base_url: str | None = None
    # Uncached provider lookups one Telegram user may make in 24 hours (0: no limit).
    creator_lookups_per_day: int = 60
    # Teams: days an approval request waits for the account owner before it expires.
    team_approval_days: int = Field(default=7, ge=1, le=90)

    @field_validator("tiktok_scopes", mode="before")
    @classmethod
    def _split_scopes(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(s.strip() for s in value.split(",") if s.strip())
        return value

    @field_validator("allowed_telegram_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(s) for s in value.replace(" ", "").split(",") if s)
        return value

    @field_validator("public_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        # A trailing slash would make redirect_uri differ from the registered one.
        return value.rstrip("/")

    @property
    def webhook_url(self) -> str:
        """Where Telegram delivers updates in webhook mode."""
        return self.public_base_url + WEBHOOK_PATH

    @property
    def tiktok_webhook_url(self) -> str:
        """The callback URL to register for TikTok's webhooks."""
        return self.public_base_url + TIKTOK_WEBHOOK_PATH

    @property
    def redirect_uri(self) -> str:
        """The OAuth redirect URI TikTok must have registered, exactly."""
        return self.public_base_url + CALLBACK_PATH

    def missing_for_run(self) -> list[str]:
        """One line per value `run` mode needs and does not have."""
        missing = []
        if not self.telegram_bot_token:
            missing.append(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
                "(/newbot) and paste the token it gives you."
            )
        if not self.tiktok_client_key:
            missing.append(
                "TIKTOK_CLIENT_KEY is not set: create an app at developers.tiktok.com "
                "(Manage apps -> your app -> Client key)."
            )
        if not self.tiktok_client_secret:
            missing.append(
                "TIKTOK_CLIENT_SECRET is not set: it is next to the client key in the "
                "TikTok developer portal."
            )
        if self.telegram_webhook and not self.telegram_webhook_secret:
            missing.append(
                "TELEGRAM_WEBHOOK_SECRET is not set but TELEGRAM_WEBHOOK=true: choose a random "
                "string (1-256 of A-Z a-z 0-9 _ -), the same for every process."
            )
        return missing

    # --- Scale-out: several processes on one database (issue 12) ---
    # Each block below is one concern; keep additions appended.

    # Where prepared photos wait for TikTok's pull: "local" (DATA_DIR/media, one
    # process), "database" (any process can serve them), or "auto": database
    # with PostgreSQL or webhook mode, else local.
    media_store: Literal["auto", "local", "database"] = "auto"

    @property
    def shared_media(self) -> bool:
        """Whether photos for TikTok's pulls live in the database."""
        if self.media_store == "auto":
            return self.telegram_webhook or self.database_url.startswith("postgresql")
        return self.media_store == "database"

    def missing_for_scale_out(self) -> list[str]:
        """One line per value every process must share and this one does not have."""
        shared = self.telegram_webhook or self.database_url.startswith("postgresql")
        key = self.token_encryption_key
        if shared and not (key and key.get_secret_value().strip()):  # "" as in .env.example
            why = "TELEGRAM_WEBHOOK=true" if self.telegram_webhook else "DATABASE_URL is PostgreSQL"
            return [
                f"TOKEN_ENCRYPTION_KEY is not set but {why}: every process must read the same "
                'tokens; generate a key with `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"` and give all processes that value.'
            ]
        return []
