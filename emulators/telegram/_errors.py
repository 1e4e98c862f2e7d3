"""Errors the fake Bot API answers, shaped exactly like Telegram's.

Every rejection is an :class:`ApiError`; the server turns it into the JSON body
Telegram sends and records the call in ``FakeTelegram.errors``::

    ApiError(code, description)        {"ok": false, "error_code": code, "description": ...}
      bad_request(detail)              400 "Bad Request: <detail>"
      unauthorized()                   401 "Unauthorized"
      not_found()                      404 "Not Found"
      conflict(detail)                 409 "Conflict: <detail>"
      entity_too_large()               413 "Request Entity Too Large"
      too_many_requests(retry_after)   429 "Too Many Requests: retry after N" + parameters

The description constants below are Telegram's own wording where it is known
(seen in real answers); the few marked "fake:" are our best wording for cases
whose exact server text we could not confirm.
"""

from __future__ import annotations

from typing import Any

CHAT_NOT_FOUND = "chat not found"
CHAT_ID_EMPTY = "chat_id is empty"
MESSAGE_TEXT_EMPTY = "message text is empty"
MESSAGE_TOO_LONG = "message is too long"
CAPTION_TOO_LONG = "message caption is too long"
MESSAGE_TO_EDIT_NOT_FOUND = "message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "message to delete not found"
MESSAGE_TO_REPLY_NOT_FOUND = "message to be replied not found"
MESSAGE_CANT_BE_EDITED = "message can't be edited"
NO_TEXT_TO_EDIT = "there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "there is no caption in the message to edit"  # fake: by analogy
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
ANSWER_TEXT_TOO_LONG = "MESSAGE_TOO_LONG"
INVALID_FILE_ID = "invalid file_id"
FILE_TOO_BIG = "file is too big"
WRONG_FILE_ID = "wrong file identifier/HTTP URL specified"
HTTP_URL_FAILED = "failed to get HTTP URL content"
IMAGE_PROCESS_FAILED = "IMAGE_PROCESS_FAILED"
PHOTO_INVALID_DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"
UNSUPPORTED_PARSE_MODE = "unsupported parse_mode"
MARKUP_JSON = "can't parse reply keyboard markup JSON object"
ENTITIES_JSON = "can't parse entities JSON object"
MEDIA_JSON = "can't parse media JSON object"
BUTTON_DATA_INVALID = "BUTTON_DATA_INVALID"
BUTTON_URL_INVALID = "BUTTON_URL_INVALID"
BUTTON_TEXT_INVALID = "BUTTON_TEXT_INVALID"  # fake: an empty button label
REPLY_MARKUP_TOO_LONG = "REPLY_MARKUP_TOO_LONG"
TEXT_BUTTONS_UNALLOWED = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
TOO_MANY_ALBUM_ITEMS = "too many messages to send as an album"
ALBUM_TOO_SMALL = "media must include 2-10 items"  # fake
ALBUM_MIXED_DOCUMENTS = "documents can't be mixed with other media types in an album"  # fake
WRONG_CHAT_ACTION = "wrong parameter action in request"
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
GET_UPDATES_TERMINATED = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_HTTPS = "bad webhook: An HTTPS URL must be provided for webhook"
WEBHOOK_PORT = "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
SECRET_TOKEN_INVALID = "secret token contains unallowed characters"  # noqa: S105 # fake
UTF8_REQUIRED = "strings must be encoded in UTF-8"


class ApiError(Exception):
    """A rejected Bot API call: the HTTP status and Telegram's JSON answer."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram answers for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """Build a 400 ``Bad Request: <detail>`` error."""
    return ApiError(400, f"Bad Request: {detail}")


def unauthorized() -> ApiError:
    """Build the 401 answered for a wrong bot token."""
    return ApiError(401, "Unauthorized")


def not_found() -> ApiError:
    """Build the 404 answered for an unknown method or file."""
    return ApiError(404, "Not Found")


def conflict(detail: str) -> ApiError:
    """Build a 409 ``Conflict: <detail>`` error."""
    return ApiError(409, f"Conflict: {detail}")


def entity_too_large() -> ApiError:
    """Build the 413 answered for an upload over the size limit."""
    return ApiError(413, "Request Entity Too Large")


def too_many_requests(retry_after: int) -> ApiError:
    """Build the 429 flood-control error with ``parameters.retry_after``."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
