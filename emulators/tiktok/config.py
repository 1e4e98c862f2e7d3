"""What a sandbox is configured with: registered apps and TikTok accounts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# Scopes TikTok knows; user.info.basic is mandatory in every authorization.
BASIC_SCOPE = "user.info.basic"
KNOWN_SCOPES = (
    BASIC_SCOPE,
    "user.info.profile",
    "user.info.stats",
    "video.list",
    "video.publish",
    "video.upload",
)

PUBLIC_TO_EVERYONE = "PUBLIC_TO_EVERYONE"
MUTUAL_FOLLOW_FRIENDS = "MUTUAL_FOLLOW_FRIENDS"
FOLLOWER_OF_CREATOR = "FOLLOWER_OF_CREATOR"
SELF_ONLY = "SELF_ONLY"
PRIVACY_LEVELS = (PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY)


@dataclass
class SandboxApp:
    """A TikTok developer app registered with the sandbox.

    ``redirect_uris`` are compared by exact string (a trailing slash differs),
    and the list may be appended to while the sandbox runs. An unaudited app
    may only direct-post to private accounts with SELF_ONLY, for at most five
    distinct posting users per 24 hours, like real unaudited TikTok apps.
    ``name`` is only shown on the consent page (defaults to the client key).
    ``webhook_url`` (empty: none) receives the app's signed webhook events.
    """

    client_key: str
    client_secret: str
    redirect_uris: list[str]
    audited: bool = True
    access_token_ttl: int = 86400
    refresh_token_ttl: int = 31536000
    verified_url_prefixes: list[str] = field(default_factory=list)
    allow_http_media: bool = False
    name: str = ""
    webhook_url: str = ""

    @property
    def display_name(self) -> str:
        """Name shown to the user on the consent page."""
        return self.name or self.client_key


@dataclass
class SandboxAccount:
    """A TikTok user that can sign in on the sandbox consent page.

    ``posting_blocked`` makes creator_info and every init answer HTTP 200
    with that error code (TikTok reports "cannot post now" that way).
    ``seed_videos`` pre-existing videos are created when the account is added.
    ``processing_seconds`` is how long, on the sandbox clock, a publish stays
    in processing after its media arrived.
    """

    open_id: str
    username: str
    display_name: str
    avatar_url: str = "https://sandbox.invalid/avatar.jpg"
    union_id: str = ""
    bio_description: str = ""
    is_verified: bool = False
    follower_count: int = 0
    following_count: int = 0
    likes_count: int = 0
    private_account: bool = False
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False
    max_video_post_duration_sec: int = 600
    posting_blocked: str | None = None
    seed_videos: int = 0
    processing_seconds: float = 5.0

    def __post_init__(self) -> None:
        if not self.union_id:
            # Stable and distinct per open_id, like TikTok's union ids.
            self.union_id = "u." + hashlib.sha256(self.open_id.encode()).hexdigest()[:32]

    @property
    def privacy_level_options(self) -> list[str]:
        """The privacy levels TikTok offers this creator, in TikTok's order."""
        if self.private_account:
            return [FOLLOWER_OF_CREATOR, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY]
        return [PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, SELF_ONLY]
