"""Plain records the fake server keeps and tests assert on."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

_HASH_CHUNK = 1 << 20


@dataclass(eq=False)
class UploadedFile:
    """One file part of a multipart request, streamed to disk as it arrived."""

    name: str
    file_name: str | None
    mime_type: str | None
    size: int
    sha256: str
    path: Path


@dataclass(eq=False)
class ApiCall:
    """One Bot API request: its method, decoded parameters and, if rejected, the error.

    ``params`` holds the non-file parameters with JSON types restored (ints,
    bools, dicts for reply_markup...). Uploaded file parts are in ``files`` by
    part name. ``time`` is ``time.monotonic()`` at arrival.
    """

    method: str
    params: dict[str, Any]
    time: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    error_code: int | None = None
    description: str | None = None
    result: Any = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error_code is None


@dataclass(eq=False)
class FakeFile:
    """A file known to the fake server, kept on disk, addressed by ``file_id``."""

    file_id: str
    file_unique_id: str
    file_size: int
    path: Path
    kind: str  # "photo" | "video" | "document" | "thumbnail"
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    uploaded_by_bot: bool = False
    thumbnail: FakeFile | None = None  # photos: the small PhotoSize sent alongside
    _sha256: str | None = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the content (hashed while uploading, else lazily from disk)."""
        if self._sha256 is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                while chunk := handle.read(_HASH_CHUNK):
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256

    def read_bytes(self) -> bytes:
        """Return the whole content (for small files in tests)."""
        return self.path.read_bytes()


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the bot rendered it."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(eq=False)
class BotMessage:
    """A message the bot sent, in its current state; ``edits`` holds earlier versions.

    ``text``/``caption`` are exactly what the bot sent (e.g. its HTML source);
    ``plain_text``/``plain_caption`` are what the user sees (entities parsed out,
    whitespace trimmed) and ``entities`` their formatting, as Telegram returns them.
    ``kind`` is the content: "text", "photo", "video" or "document"; album
    items keep their content kind and share ``media_group_id``.
    """

    message_id: int
    chat_id: int
    kind: str
    date: int
    text: str | None = None
    caption: str | None = None
    plain_text: str | None = None
    plain_caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    media: FakeFile | None = None
    media_group_id: str | None = None
    link_preview_disabled: bool = False
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False
    edits: list[BotMessage] = field(default_factory=list, repr=False)

    @property
    def version(self) -> int:
        """How many times the message was edited."""
        return len(self.edits)

    @property
    def photo(self) -> FakeFile | None:
        """The largest photo size, for photo messages."""
        return self.media if self.kind == "photo" else None

    @property
    def video(self) -> FakeFile | None:
        """The video, for video messages."""
        return self.media if self.kind == "video" else None

    @property
    def document(self) -> FakeFile | None:
        """The document, for document messages."""
        return self.media if self.kind == "document" else None

    @property
    def upload_size(self) -> int | None:
        """Size of the bytes the bot uploaded for this message (None for a re-sent file_id)."""
        return self.media.file_size if self.media and self.media.uploaded_by_bot else None

    @property
    def upload_sha256(self) -> str | None:
        """SHA-256 of the bytes the bot uploaded for this message."""
        return self.media.sha256 if self.media and self.media.uploaded_by_bot else None

    @property
    def visible_text(self) -> str:
        """What the user reads: the plain text, or the plain caption ("" when neither)."""
        return self.plain_text if self.plain_text is not None else (self.plain_caption or "")

    def contains(self, needle: str) -> bool:
        """Whether ``needle`` is in the text or caption, as sent (HTML) or as shown (plain)."""
        return any(
            needle in candidate
            for candidate in (self.text, self.caption, self.plain_text, self.plain_caption)
            if candidate is not None
        )

    def find_button(self, label: str) -> Button | None:
        """Return the button whose callback_data, else whose visible text, equals ``label``."""
        flat = [button for row in self.buttons for button in row]
        for button in flat:
            if button.callback_data == label:
                return button
        return next((button for button in flat if button.text == label), None)

    def snapshot(self) -> BotMessage:
        """Return a frozen copy of the current version (without the edit history)."""
        return dataclasses.replace(self, edits=[], buttons=[list(row) for row in self.buttons])


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one tap."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(frozen=True)
class AlbumItem:
    """One item of an album a user sends (``FakeUser.send_album``)."""

    kind: Literal["photo", "video", "document"]
    data: bytes | Path
    caption: str | None = None
    width: int = 1080
    height: int = 1920
    duration: int = 10
    file_name: str | None = None
    mime_type: str | None = None
