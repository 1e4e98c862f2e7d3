"""The sandbox's paths (exactly TikTok's) and TikTok's per-token rate limits."""

from __future__ import annotations

AUTHORIZE = "/v2/auth/authorize/"
TOKEN = "/v2/oauth/token/"  # noqa: S105 (a path, not a secret)
REVOKE = "/v2/oauth/revoke/"
USER_INFO = "/v2/user/info/"
CREATOR_INFO = "/v2/post/publish/creator_info/query/"
VIDEO_INIT = "/v2/post/publish/video/init/"
INBOX_INIT = "/v2/post/publish/inbox/video/init/"
CONTENT_INIT = "/v2/post/publish/content/init/"
STATUS_FETCH = "/v2/post/publish/status/fetch/"
VIDEO_LIST = "/v2/video/list/"
VIDEO_QUERY = "/v2/video/query/"
COMMENT_PUBLISH = "/v2/comment/publish/"
COMMENT_DELETE = "/v2/comment/delete/"
UPLOAD = "/upload/"

# Requests per access token per rolling minute (TikTok's documented defaults).
RATE_LIMITS = {
    USER_INFO: 600,
    CREATOR_INFO: 20,
    VIDEO_INIT: 6,
    INBOX_INIT: 6,
    CONTENT_INIT: 6,
    STATUS_FETCH: 30,
    VIDEO_LIST: 600,
    VIDEO_QUERY: 600,
    COMMENT_PUBLISH: 60,
    COMMENT_DELETE: 60,
}
