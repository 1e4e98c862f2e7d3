"""/healthz and /metrics as an operator (or Docker's HEALTHCHECK) sees them."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from aiohttp import web
from telegram.error import BadRequest

from bot.ops.health import Heartbeat
from bot.ops.web import OpsConfig, mount_ops
from bot.publishing.jobs import JobState
from storage.db import Database
from tests.integration.support import (
    fast_options,
    linked,
    publishing,
    video_request,
    wait_for_job,
    write_video,
)
from tests.support.harness import Harness, running_bot

MIB = 1024 * 1024
T = TypeVar("T")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(tmp_path, options=fast_options()) as running:
        yield running


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value from Prometheus text (0 if absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + r"$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def metrics_text(harness: Harness) -> str:
    response = await harness.browser.get(harness.settings.public_base_url + "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


async def eventually(check: Callable[[], Awaitable[T | None]], within: float = 20.0) -> T:
    """The first non-None result of `check`, polled until it comes (the condition, not a sleep)."""

    async def poll() -> T:
        while True:
            result = await check()
            if result is not None:
                return result
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(poll(), within)


async def test_healthz_reports_the_database_and_the_worker(harness: Harness) -> None:
    url = harness.settings.public_base_url + "/healthz"

    async def healthy() -> httpx.Response | None:
        response = await harness.browser.get(url)
        return response if response.status_code == 200 else None

    # 503 until the worker's first scan after start-up, then 200.
    response = await eventually(healthy)
    body = response.json()
    assert body["ok"] is True and body["database"] == "reachable"
    assert body["worker"]["alive"] is True
    assert body["worker"]["last_scan_seconds_ago"] < 30


async def test_healthz_is_503_without_the_database_or_a_live_worker() -> None:
    app = web.Application()
    heartbeat = Heartbeat()
    unreachable = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    mount_ops(app, OpsConfig(unreachable, heartbeat, worker_max_age=30.0, job_states=[]))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await runner.cleanup()
        await unreachable.dispose()
    assert response.status_code == 503
    assert response.json() == {
        "ok": False,
        "database": "unreachable",
        "worker": {"alive": False, "last_scan_seconds_ago": None},
    }


async def test_metrics_count_jobs_durations_and_failures(harness: Harness, tmp_path: Path) -> None:
    before = await metrics_text(harness)
    user = harness.user()
    account = await linked(harness, user)
    video = write_video(tmp_path / "clip.mp4", 2 * MIB)
    fake = harness.tg.add_file(video.path, kind="video")
    service = publishing(harness)
    job_id = await service.submit(video_request(user, account, fake))
    job = await wait_for_job(service, job_id, lambda j: JobState(j.state).final, within=30)
    assert job.state == JobState.PUBLISHED

    harness.sandbox.faults.fail_endpoint(
        "/v2/post/publish/video/init/", status=400, code="spam_risk_too_many_posts"
    )
    failing = await service.submit(video_request(user, account, fake))
    failed = await wait_for_job(service, failing, lambda j: JobState(j.state).final, within=30)
    assert failed.state == JobState.FAILED

    application = harness.bot.application
    assert application is not None
    with pytest.raises(BadRequest):
        await application.bot.send_message(chat_id=424242, text="nobody is here")

    durations = "tiktok_bot_publish_duration_seconds_count"
    runs = [{"kind": "video", "outcome": outcome} for outcome in ("published", "failed")]

    async def recorded() -> str | None:
        # A run records its duration just after the job's final state is stored.
        text = await metrics_text(harness)
        done = all(sample(text, durations, **r) > sample(before, durations, **r) for r in runs)
        return text if done else None

    after = await eventually(recorded)
    assert sample(after, "tiktok_bot_publish_jobs", state="published") == 1
    assert sample(after, "tiktok_bot_publish_jobs", state="failed") == 1
    assert sample(after, "tiktok_bot_publish_jobs", state="queued") == 0
    for labels in runs:
        assert sample(after, durations, **labels) == sample(before, durations, **labels) + 1
    errors = "tiktok_bot_tiktok_errors_total"
    code = {"code": "spam_risk_too_many_posts"}
    assert sample(after, errors, **code) == sample(before, errors, **code) + 1
    sends = "tiktok_bot_telegram_send_failures_total"
    method = {"method": "sendMessage"}
    assert sample(after, sends, **method) == sample(before, sends, **method) + 1
