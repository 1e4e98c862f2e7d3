"""A local, strict emulator of the TikTok Open API (aiohttp).

It serves the bot's sandbox mode (no TikTok app needed; mountable inside the
bot's own web server) and is the test double of the whole test suite. It
rejects what TikTok rejects and records what it received::

    sandbox = TikTokSandbox(apps=[SandboxApp("key", "secret", [redirect])],
                            accounts=[SandboxAccount("open-1", "alice", "Alice")])
    base_url = await sandbox.start()
    ...
    await sandbox.stop()

Choices worth knowing (TikTok's documented behaviour where it is known):

- Validation failures answer HTTP 400 ``invalid_params`` (TikTok's spelling
  in the Content Posting API) with a message saying what was wrong.
- A FILE_UPLOAD publish is PROCESSING_UPLOAD until its last chunk, then
  PROCESSING_DOWNLOAD for the account's ``processing_seconds``; publishes are
  settled lazily from timestamps on every request, so tests only move the
  clock. ``wait_background()`` waits for PULL_FROM_URL downloads and upload media checks.
- /v2/video/list/ and /v2/video/query/ leave out SELF_ONLY posts (video.list
  reads what the profile shows); :meth:`TikTokSandbox.posts` shows them all.
- Refresh tokens rotate; their lifetime counts from the first issuance.
- ``emulators.tiktok.consent.submit_consent`` drives the consent page like a browser.
"""

from emulators.tiktok.clock import SandboxClock
from emulators.tiktok.config import SandboxAccount, SandboxApp
from emulators.tiktok.faults import SandboxFaults
from emulators.tiktok.records import (
    Publish,
    PublishKind,
    PublishMode,
    PublishStatus,
    PulledImage,
    PulledVideo,
    RecordedRequest,
    SandboxComment,
    Video,
)
from emulators.tiktok.server import TikTokSandbox

__all__ = [
    "Publish",
    "PublishKind",
    "PublishMode",
    "PublishStatus",
    "PulledImage",
    "PulledVideo",
    "RecordedRequest",
    "SandboxAccount",
    "SandboxApp",
    "SandboxClock",
    "SandboxComment",
    "SandboxFaults",
    "TikTokSandbox",
    "Video",
]
