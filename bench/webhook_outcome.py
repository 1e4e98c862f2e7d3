"""Benchmark: how soon the user gets the link, and how many status polls it costs,
with TikTok's webhooks and without.

Run:  .venv/bin/python bench/webhook_outcome.py [--processing 20] [--posts 3]

Everything runs on loopback in this process with the production worker timings
(PublishTuning and WebhookTuning defaults): the TikTok sandbox (following real
time, taking `--processing` seconds to process each video and, with webhooks,
delivering signed events to the bot), the fake Telegram server and the real
bot. For each post it measures the time from the moment TikTok finished
(the sandbox's own timestamp) until the "is live" message reached the chat,
and counts status/fetch requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
STATUS_FETCH = "/v2/post/publish/status/fetch/"


async def measure(
    workdir: Path, *, webhooks: bool, processing: float, posts: int
) -> dict[str, object]:
    """Publish `posts` videos one after the other; latencies and status polls."""
    from bot.app import RunOptions
    from tests.integration.support import (
        linked,
        publishing,
        video_request,
        wait_for_job,
        write_video,
    )
    from tests.support.harness import default_accounts, running_bot

    accounts = default_accounts()
    accounts[0].processing_seconds = processing
    latencies, polls = [], []
    async with running_bot(
        workdir, accounts=accounts, options=RunOptions(), tiktok_webhooks=webhooks
    ) as harness:
        user = harness.user()
        account = await linked(harness, user)
        service = publishing(harness)
        for n in range(posts):
            video = write_video(workdir / f"clip{n}.mp4", 2 * MIB, seed=n)
            fake = harness.tg.add_file(video.path, kind="video")
            before = sum(1 for r in harness.sandbox.requests if r.path == STATUS_FETCH)
            job_id = await service.submit(video_request(user, account, fake))
            await user.wait_for(lambda m: "is live" in (m.text or ""), timeout=processing + 120)
            arrived = time.time()
            job = await wait_for_job(service, job_id, lambda j: j.final)
            publish = harness.sandbox.publishes[job.publish_id or ""]
            assert publish.finished_at is not None
            latencies.append(arrived - publish.finished_at)
            after = sum(1 for r in harness.sandbox.requests if r.path == STATUS_FETCH)
            polls.append(after - before)
    return {
        "webhooks": webhooks,
        "processing_s": processing,
        "posts": posts,
        "link_after_done_s": {
            "median": round(statistics.median(latencies), 3),
            "max": round(max(latencies), 3),
        },
        "status_polls_per_post": polls,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processing", type=float, default=20.0)
    parser.add_argument("--posts", type=int, default=3)
    args = parser.parse_args()
    results = []
    for webhooks in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(
                await measure(
                    Path(tmp), webhooks=webhooks, processing=args.processing, posts=args.posts
                )
            )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
