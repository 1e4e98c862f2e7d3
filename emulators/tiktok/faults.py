"""Faults a test arms on the sandbox; each fires once per arming and is then used up."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass
class EndpointFault:
    """An armed failure for one path: HTTP status, error code, remaining count."""

    status: int
    code: str
    times: int


class SandboxFaults:
    """Failures to inject, reachable as ``sandbox.faults``."""

    def __init__(self) -> None:
        self._chunk_failures: deque[int] = deque()
        self._endpoint_faults: dict[str, deque[EndpointFault]] = {}
        self._publish_failures: deque[str] = deque()
        self._rate_limits: dict[str, int] = {}
        # Upload URLs created before the current generation answer 403.
        self.upload_url_generation = 0

    def fail_chunks(self, status: int = 500, times: int = 1) -> None:
        """Make the next ``times`` chunk PUTs answer ``status`` without storing the bytes."""
        self._chunk_failures.extend([status] * times)

    def fail_endpoint(self, path: str, *, status: int, code: str, times: int = 1) -> None:
        """Make the next ``times`` calls to ``path`` answer ``status`` with error ``code``."""
        queue = self._endpoint_faults.setdefault(_normalise(path), deque())
        queue.append(EndpointFault(status, code, times))

    def fail_next_publish(self, reason: str) -> None:
        """Make the next publish that finishes processing end FAILED with ``reason``."""
        self._publish_failures.append(reason)

    def set_rate_limit(self, path: str, per_minute: int) -> None:
        """Override the per-token, per-minute limit of ``path``."""
        self._rate_limits[_normalise(path)] = per_minute

    def expire_upload_urls(self) -> None:
        """Make every upload URL issued so far answer 403 from now on."""
        self.upload_url_generation += 1

    # The sandbox's side: consume what was armed.

    def take_chunk_failure(self) -> int | None:
        """Return the status for this chunk PUT if a chunk failure is armed."""
        return self._chunk_failures.popleft() if self._chunk_failures else None

    def take_endpoint_fault(self, path: str) -> EndpointFault | None:
        """Return the fault armed for ``path``, counting this call against it."""
        queue = self._endpoint_faults.get(path)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.popleft()
        return fault

    def take_publish_failure(self) -> str | None:
        """Return the fail_reason for the publish now finishing, if one is armed."""
        return self._publish_failures.popleft() if self._publish_failures else None

    def rate_limit(self, path: str, default: int) -> int:
        """Return the per-minute limit in force for ``path``."""
        return self._rate_limits.get(path, default)


def _normalise(path: str) -> str:
    return path if path.startswith("/") else "/" + path
