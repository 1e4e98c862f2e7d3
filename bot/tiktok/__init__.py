"""TikTok Open API client. Knows nothing about Telegram or the database."""

from bot.tiktok._client import TikTokClient
from bot.tiktok._comments import (
    BusinessComments,
    CommentAPIKind,
    CommentsAPI,
    OpenAPIComments,
    build_comments_api,
)
from bot.tiktok._errors import (
    AccessTokenInvalid,
    APIError,
    BadRequest,
    ErrorAction,
    GrantRevoked,
    OAuthError,
    PostingRefused,
    RateLimited,
    ScopeMissing,
    TikTokError,
    TikTokUnavailable,
    classify_api_error,
    classify_oauth_error,
)
from bot.tiktok._models import USER_FIELD_SCOPES, TokenGrant, UserInfo, user_fields_for
from bot.tiktok._pkce import code_challenge, new_code_verifier
from bot.tiktok._publishing import CreatorInfo, PublishingAPI, PublishStatus, PublishTicket
from bot.tiktok._videos import VIDEO_FIELDS, Video, VideoPage, VideosAPI

__all__ = [
    "USER_FIELD_SCOPES",
    "VIDEO_FIELDS",
    "APIError",
    "AccessTokenInvalid",
    "BadRequest",
    "BusinessComments",
    "CommentAPIKind",
    "CommentsAPI",
    "CreatorInfo",
    "ErrorAction",
    "GrantRevoked",
    "OAuthError",
    "OpenAPIComments",
    "PostingRefused",
    "PublishStatus",
    "PublishTicket",
    "PublishingAPI",
    "RateLimited",
    "ScopeMissing",
    "TikTokClient",
    "TikTokError",
    "TikTokUnavailable",
    "TokenGrant",
    "UserInfo",
    "Video",
    "VideoPage",
    "VideosAPI",
    "build_comments_api",
    "classify_api_error",
    "classify_oauth_error",
    "code_challenge",
    "new_code_verifier",
    "user_fields_for",
]
