"""Prometheus metrics: what operators watch across every process.

Counters and histograms live in one registry per process and are bumped by
one-line hooks at the call sites; "jobs by state" is read from the database
at scrape time, so every process reports the same cluster-wide numbers.
Label values are bounded: anything unexpected becomes "other".
"""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

PUBLISH_DURATION = Histogram(
    "tiktok_bot_publish_duration_seconds",
    "Time from a publish run starting to its final state, by media kind and outcome.",
    ["kind", "outcome"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600),
    registry=REGISTRY,
)
TIKTOK_ERRORS = Counter(
    "tiktok_bot_tiktok_errors_total",
    "Errors TikTok answered (or network failures reaching it), by error code.",
    ["code"],
    registry=REGISTRY,
)
TELEGRAM_SEND_FAILURES = Counter(
    "tiktok_bot_telegram_send_failures_total",
    "Bot API calls that failed, by method.",
    ["method"],
    registry=REGISTRY,
)
JOBS = Gauge(
    "tiktok_bot_publish_jobs",
    "Publish jobs in the database, by state (the same in every process).",
    ["state"],
    registry=REGISTRY,
)
WORKER_HEARTBEAT_AGE = Gauge(
    "tiktok_bot_worker_heartbeat_age_seconds",
    "Seconds since this process's publishing worker last finished a scan.",
    registry=REGISTRY,
)

_LABEL = re.compile(r"[A-Za-z0-9_]{1,48}")


def _label(value: str) -> str:
    return value if _LABEL.fullmatch(value) else "other"


def publish_finished(kind: str, outcome: str, seconds: float) -> None:
    """A publish run reached a final state."""
    PUBLISH_DURATION.labels(_label(kind), _label(outcome)).observe(seconds)


def tiktok_error(code: str) -> None:
    """TikTok refused a call (or could not be reached)."""
    TIKTOK_ERRORS.labels(_label(code or "unknown")).inc()


def telegram_send_failed(method: str) -> None:
    """A Bot API call failed."""
    TELEGRAM_SEND_FAILURES.labels(_label(method)).inc()


def set_job_counts(counts: dict[str, int], states: list[str]) -> None:
    """Publish the job counts read from the database (0 for a state with none)."""
    for state in states:
        JOBS.labels(_label(state)).set(counts.get(state, 0))
