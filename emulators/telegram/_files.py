"""Files on disk behind file_ids: what users send, what the bot uploads, what getFile serves.

Content never sits whole in memory: user files are hard-linked (or copied) into
``files_dir``, uploads are streamed there by the request reader, downloads are
served from disk. Paths handed out by getFile follow the real server:

* cloud mode: a relative ``videos/file_3.mp4`` served at
  ``/file/bot<token>/videos/file_3.mp4``, refused above 20 MB;
* local mode (``--local``): an absolute ``<local_mode_dir>/<token>/videos/file_3.mp4``
  that the bot must read from disk, up to 2000 MB, never served over HTTP.
"""

from __future__ import annotations

import mimetypes
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from ._models import FakeFile

MB = 1024 * 1024
CLOUD_DOWNLOAD_LIMIT = 20 * MB  # getFile answers "file is too big" above this
LOCAL_DOWNLOAD_LIMIT = 2000 * MB  # a --local server lifts it to 2000 MB
CLOUD_UPLOAD_LIMIT = 50 * MB  # multipart uploads by the bot
LOCAL_UPLOAD_LIMIT = 2000 * MB

_ID_PREFIX = {"photo": "AgAC", "thumbnail": "AgAC", "video": "BAAC", "document": "BQAC"}
_SUBDIR = {"photo": "photos", "thumbnail": "thumbnails", "video": "videos", "document": "documents"}
_DEFAULT_EXT = {"photo": ".jpg", "thumbnail": ".jpg", "video": ".mp4", "document": ""}


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target`` (instant, no extra space), copying if that fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class FileStore:
    """Registry of :class:`FakeFile` by file_id, with their disk locations."""

    def __init__(self, *, token: str, files_dir: Path | None, local_mode_dir: Path | None) -> None:
        self.token = token
        self.local_mode_dir = local_mode_dir
        self._own_dir = files_dir is None
        self.root = files_dir or Path(tempfile.mkdtemp(prefix="fake-telegram-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self._by_id: dict[str, FakeFile] = {}
        self._paths: dict[str, str] = {}  # file_id -> file_path answered by getFile
        self._served: dict[str, FakeFile] = {}  # relative file_path -> file (cloud mode)
        self._counter = 0

    @property
    def local_mode(self) -> bool:
        """Whether the store behaves like a ``--local`` Bot API server."""
        return self.local_mode_dir is not None

    @property
    def download_limit(self) -> int:
        """Largest file getFile accepts."""
        return LOCAL_DOWNLOAD_LIMIT if self.local_mode else CLOUD_DOWNLOAD_LIMIT

    @property
    def upload_limit(self) -> int:
        """Largest file the bot may upload in one request."""
        return LOCAL_UPLOAD_LIMIT if self.local_mode else CLOUD_UPLOAD_LIMIT

    def close(self) -> None:
        """Delete the temporary directory if the store created it."""
        if self._own_dir:
            shutil.rmtree(self.root, ignore_errors=True)

    def new_path(self, suffix: str = "") -> Path:
        """Return a fresh path inside the store for new content."""
        self._counter += 1
        return self.root / f"content_{self._counter}_{secrets.token_hex(4)}{suffix}"

    def import_source(self, source: bytes | Path, *, suffix: str = "") -> Path:
        """Put ``source`` (bytes, or a file that is linked/copied) into the store; blocking."""
        target = self.new_path(suffix)
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            link_or_copy(Path(source), target)
        return target

    def register(
        self,
        path: Path,
        *,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
        uploaded_by_bot: bool = False,
        sha256: str | None = None,
    ) -> FakeFile:
        """Give a file already inside the store a new file_id and file_unique_id."""
        fake = FakeFile(
            file_id=f"{_ID_PREFIX.get(kind, 'BQAC')}{secrets.token_urlsafe(24)}",
            file_unique_id=f"AQAD{secrets.token_urlsafe(9)}",
            file_size=path.stat().st_size,
            path=path,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            duration=duration,
            uploaded_by_bot=uploaded_by_bot,
            _sha256=sha256,
        )
        self._by_id[fake.file_id] = fake
        return fake

    def get(self, file_id: str) -> FakeFile | None:
        """Return the file with this file_id, if any."""
        return self._by_id.get(file_id)

    def file_path(self, fake: FakeFile) -> str:
        """Return the stable relative path getFile answers for ``fake`` (``videos/file_3.mp4``)."""
        known = self._paths.get(fake.file_id)
        if known is None:
            ext = Path(fake.file_name or "").suffix or _guess_ext(fake)
            known = f"{_SUBDIR.get(fake.kind, 'documents')}/file_{len(self._paths)}{ext}"
            self._paths[fake.file_id] = known
            self._served[known] = fake
        return known

    def local_path(self, fake: FakeFile) -> Path:
        """Materialize ``fake`` under ``local_mode_dir/<token>/`` and return the absolute path."""
        assert self.local_mode_dir is not None
        target = (self.local_mode_dir / self.token / self.file_path(fake)).absolute()
        if not target.exists():
            link_or_copy(fake.path, target)
        return target

    def served(self, file_path: str) -> FakeFile | None:
        """Return the file behind a relative path handed out by getFile (cloud mode only)."""
        return None if self.local_mode else self._served.get(file_path)


def _guess_ext(fake: FakeFile) -> str:
    if fake.mime_type:
        guessed = mimetypes.guess_extension(fake.mime_type)
        if guessed:
            return guessed
    return _DEFAULT_EXT.get(fake.kind, "")
