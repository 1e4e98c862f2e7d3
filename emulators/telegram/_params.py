"""Bot API request parameters: decoding every encoding PTB and other clients use.

PTB 22 posts ``application/x-www-form-urlencoded`` (``RequestData.json_parameters``:
strings as-is, everything else JSON-dumped) or, when uploading,
``multipart/form-data`` whose file parts carry a filename. Other clients send
JSON bodies or query strings. Like the real server, values are typed per
parameter name: ``chat_id=42`` is an int, ``reply_markup`` a JSON object,
``text=42`` stays the string "42".

File parts are streamed to disk in chunks while being hashed, never held whole
in memory, and an upload over the size limit is drained and answered 413.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from aiohttp import BodyPartReader, web

from ._errors import bad_request, entity_too_large
from ._models import UploadedFile

_INT_FIELDS = frozenset(
    {
        "message_id", "from_chat_id", "offset", "limit", "timeout", "duration", "width",
        "height", "cache_time", "max_connections", "message_thread_id", "reply_to_message_id",
        "user_id", "start_timestamp",
    }
)  # fmt: skip
_BOOL_FIELDS = frozenset(
    {
        "disable_notification", "protect_content", "show_alert", "supports_streaming",
        "has_spoiler", "disable_web_page_preview", "drop_pending_updates",
        "disable_content_type_detection", "show_caption_above_media",
        "allow_sending_without_reply", "allow_paid_broadcast",
    }
)  # fmt: skip
_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "media", "commands", "allowed_updates",
        "scope", "menu_button", "link_preview_options", "reply_parameters", "message_ids",
    }
)  # fmt: skip
_INT_RE = re.compile(r"-?\d+")
_CHUNK = 1 << 20


def decode_value(name: str, value: str) -> Any:
    """Type one string parameter the way the server does; undecodable values stay strings."""
    if name == "chat_id" or name in _INT_FIELDS:
        return int(value) if _INT_RE.fullmatch(value.strip()) else value
    if name in _BOOL_FIELDS:
        lowered = value.strip().lower()
        return {"true": True, "1": True, "false": False, "0": False}.get(lowered, value)
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _typed(name: str, value: Any) -> Any:
    return decode_value(name, value) if isinstance(value, str) else value


class Params:
    """The decoded parameters of one call, with getters that fail like Telegram."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files
        self.claimed: set[str] = set()

    def has(self, name: str) -> bool:
        """Whether the parameter was sent."""
        return name in self.values

    def get(self, name: str) -> Any:
        """The decoded value, or None."""
        return self.values.get(name)

    def get_str(self, name: str) -> str | None:
        """A string parameter (numbers sent in JSON bodies are accepted as text)."""
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            raise bad_request(f'field "{name}" must be of type String')
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise bad_request("strings must be encoded in UTF-8") from None
        return text

    def get_int(self, name: str, *, default: int | None = None) -> int | None:
        """An integer parameter."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f'field "{name}" must be of type Integer')
        return value

    def get_float(self, name: str, *, default: float = 0.0) -> float:
        """A number parameter (integers and decimal strings accepted)."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value))
        except ValueError:
            raise bad_request(f'field "{name}" must be of type Float') from None

    def get_bool(self, name: str) -> bool:
        """A boolean parameter (absent means false)."""
        value = self.values.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Boolean')
        return value

    def get_json(self, name: str, error: str) -> Any:
        """A JSON parameter; ``error`` is the description when it does not parse."""
        value = self.values.get(name)
        if isinstance(value, str):
            raise bad_request(error)
        return value

    def upload(self, name: str) -> UploadedFile | None:
        """The uploaded part ``name`` (or ``attach://name``), marking it as kept."""
        if name.startswith("attach://"):
            name = name[len("attach://") :]
        found = self.files.get(name)
        if found is not None:
            self.claimed.add(name)
        return found

    def discard_unclaimed(self) -> None:
        """Delete uploaded parts no handler kept (rejected call or unused part)."""
        for name, uploaded in self.files.items():
            if name not in self.claimed:
                uploaded.path.unlink(missing_ok=True)


async def read_params(
    request: web.Request, *, new_path: Callable[[], Path], upload_limit: int
) -> Params:
    """Decode query string and body of ``request`` into :class:`Params`."""
    values: dict[str, Any] = {k: decode_value(k, v) for k, v in request.query.items()}
    files: dict[str, UploadedFile] = {}
    content_type = request.content_type
    if content_type == "application/json":
        body = await request.read()
        if body.strip():
            try:
                decoded = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON encoded request") from None  # fake wording
            if not isinstance(decoded, dict):
                raise bad_request("can't parse JSON encoded request")
            values.update({k: _typed(k, v) for k, v in decoded.items()})
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        values.update({k: decode_value(k, str(v)) for k, v in form.items()})
    elif content_type.startswith("multipart/"):
        await _read_multipart(request, values, files, new_path, upload_limit)
    return Params(values, files)


async def _read_multipart(
    request: web.Request,
    values: dict[str, Any],
    files: dict[str, UploadedFile],
    new_path: Callable[[], Path],
    upload_limit: int,
) -> None:
    reader = await request.multipart()
    total = 0
    too_large = False
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            values[part.name] = decode_value(part.name, await part.text())
            continue
        if too_large:
            await part.release()
            continue
        uploaded = await _stream_part(part, new_path(), upload_limit - total)
        if uploaded is None:
            too_large = True
            continue
        total += uploaded.size
        files[part.name] = uploaded
    if too_large:
        for uploaded in files.values():
            uploaded.path.unlink(missing_ok=True)
        raise entity_too_large()


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _absorb(handle: BinaryIO, digest: Any, chunk: bytes) -> None:
    digest.update(chunk)
    handle.write(chunk)


async def _stream_part(part: BodyPartReader, path: Path, budget: int) -> UploadedFile | None:
    """Stream one file part to ``path``; None (and the part drained) if it exceeds ``budget``.

    Hashing and writing a chunk run in a worker thread while the next chunk is
    read, so a 1 GB upload neither blocks the event loop nor sits in memory.
    """
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as handle:
        previous: asyncio.Future[None] | None = None
        try:
            while chunk := await part.read_chunk(_CHUNK):
                size += len(chunk)
                if size > budget:
                    break
                if previous is not None:
                    await previous
                previous = asyncio.ensure_future(asyncio.to_thread(_absorb, handle, digest, chunk))
        finally:
            if previous is not None:
                await previous
    if size > budget:
        _discard(path)
        await part.release()
        return None
    assert part.name is not None
    return UploadedFile(
        name=part.name,
        file_name=part.filename,
        mime_type=part.headers.get("Content-Type"),
        size=size,
        sha256=digest.hexdigest(),
        path=path,
    )
