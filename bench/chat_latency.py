"""Benchmark: how fast /stats answers while 1 GiB uploads run.

Run:  .venv/bin/python bench/chat_latency.py [--uploads 20] [--size-mb 1024] [--workers 4]

The receiver (bench/receiver.py, TikTok's chunk endpoint) runs in its own
process; the bot, with the fake Telegram server and the TikTok sandbox for the
API calls, in another (so the fake's own work on the bot's event loop counts
against the bot: the figures are pessimistic). A user sends /stats, waits for
the answer, and sends it again; the latency is from sending to the answer:

- idle: no upload running;
- uploading: `--uploads` publish jobs of `--size-mb` each (local Bot API mode,
  the file read in place) are submitted at once; the worker runs `--workers`
  of them at a time (PublishTuning.workers), the rest wait in the queue.
  Measured while any upload is unfinished.

One account stands in for many creators: its per-token init limit is lifted
in the sandbox, and each job reports its progress in a chat of its own. Once
a job's upload is done, the sandbox is told TikTok has the bytes (they went
to the receiver), so the job finishes normally and frees its slot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024


def write_source(path: Path, size: int) -> None:
    """An MP4-looking file of `size` bytes (the jobs are submitted directly: no media check)."""
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41"
    with path.open("wb") as out:
        written = 0
        while written < size:
            block = (head if written == 0 else b"") + os.urandom(MIB)
            piece = block[: min(MIB, size - written)]
            out.write(piece)
            written += len(piece)


def mark_uploaded(sandbox: Any, publish_id: str) -> None:
    """Tell the sandbox it holds a publish's bytes (the receiver got them), as TikTok would."""
    from emulators.tiktok.records import PublishStatus

    publish = sandbox.publishes[publish_id]
    session = sandbox._state.uploads[publish.upload_id]  # bench-only reach into the emulator
    session.received = session.video_size
    session.chunks_done = session.total_chunk_count
    publish.uploaded_bytes = publish.upload_size = session.video_size
    publish.media_ready_at = sandbox.clock.now()
    publish.status = PublishStatus.PROCESSING_DOWNLOAD


def job_states(database: sqlite3.Connection, ids: set[int]) -> dict[int, tuple[str, Any, Any]]:
    """(state, publish_id, outcome_code) of these jobs, in one read of the bot's SQLite file.

    A plain read-only connection (WAL: it blocks no writer) instead of the bot's
    repositories: this is the bench's load, not the bot's.
    """
    marks = ",".join("?" * len(ids))
    rows = database.execute(
        f"SELECT id, state, publish_id, outcome_code FROM publish_jobs WHERE id IN ({marks})",  # noqa: S608
        sorted(ids),
    ).fetchall()
    database.rollback()  # end the read, so the next one sees new writes
    return {int(row[0]): (str(row[1]), row[2], row[3]) for row in rows}


async def stats_latency(user: Any) -> float:
    """Seconds from sending /stats to the bot's answer."""
    started = time.perf_counter()
    await user.send_text("/stats")
    await user.wait_for("followers", timeout=120)
    return time.perf_counter() - started


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """In the bot's process: idle samples, then samples while the uploads run."""
    from bot.app import RunOptions
    from bot.publishing.choices import PrivacyLevel
    from bot.publishing.jobs import JobState, PublishTuning
    from bot.publishing.requests import MediaKind, MediaRef, PostChoices, PostMode, PublishRequest
    from emulators.tiktok.paths import USER_INFO, VIDEO_INIT, VIDEO_LIST
    from tests.integration.support import wait_for_job
    from tests.support.harness import running_bot

    tuning = PublishTuning(
        workers=args.workers,
        progress_interval=3.0,
        transfer_thread=not args.inline,
        # One account stands in for 20 creators (see below): the bot's own
        # spacing of one token's inits (10 s) is lifted too, or the jobs would
        # start one every 10 s and their bytes would move one job at a time.
        init_min_interval=0.0,
    )
    async with running_bot(
        Path(args.workdir), options=RunOptions(publishing=tuning), local_mode=True
    ) as harness:
        # One user asks /stats back to back, far above Telegram's ~1 message a
        # second per chat (each answer is a text and a chart): that limit is
        # not what is measured here, so the fake lifts it.
        harness.tg.flood_limit = None
        user = harness.user()
        await harness.open_link(user)
        await user.wait_for("Linked")
        services = harness.bot.services
        assert services is not None
        [account] = await services.accounts.linked(user.id)
        idle = [await stats_latency(user) for _ in range(args.samples)]

        fake = harness.tg.add_file(Path(args.source), kind="video")
        harness.sandbox.base_url = args.receiver
        # One account stands in for 20 creators: lift TikTok's per-token init
        # limit (6 a minute), which 20 different accounts would not share.
        harness.sandbox.faults.set_rate_limit(VIDEO_INIT, 1000)
        # ... and one user asking /stats back to back stands in for many users
        # asking now and then: lift the per-token limits of what /stats reads.
        for path in (USER_INFO, VIDEO_LIST):
            harness.sandbox.faults.set_rate_limit(path, 100_000)
        service = services.publishing
        jobs = []
        started = time.perf_counter()
        for number in range(args.uploads):
            # Each job reports in a chat of its own, as 20 creators' jobs would:
            # Telegram's per-chat flood limit is not what is measured here.
            watcher = harness.user(5000 + number, first_name=f"Creator {number}")
            await watcher.send_text("/start")
            request = PublishRequest(
                draft_id=1000 + number,
                telegram_user_id=user.id,
                chat_id=watcher.id,
                account_id=account.id,
                media=(MediaRef(fake.file_id, fake.file_unique_id, file_size=fake.file_size),),
                choices=PostChoices(
                    kind=MediaKind.VIDEO,
                    mode=PostMode.DIRECT,
                    title=f"bench {number}",
                    privacy_level=PrivacyLevel.SELF_ONLY,
                ),
            )
            jobs.append(await service.submit(request))

        moving = [0]  # jobs whose bytes are moving now, as last seen

        database_file = harness.settings.database_url.split(":///", 1)[1]
        states_db = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)

        async def watch() -> None:
            # One read for all jobs, at most 4 a second, beside the bot's own
            # connections: the bench must not load the bot it measures.
            pending = set(jobs)
            while pending:
                changed = service.changed
                states = job_states(states_db, pending)
                moving[0] = sum(1 for state, _, _ in states.values() if state == "uploading")
                for job_id in list(pending):
                    state, publish_id, outcome = states[job_id]
                    if state == JobState.PROCESSING:
                        mark_uploaded(harness.sandbox, str(publish_id))
                        pending.discard(job_id)
                    elif JobState(state).final:
                        raise AssertionError((state, outcome))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), 1.0)
                await asyncio.sleep(0.25)
            moving[0] = 0

        watching = asyncio.ensure_future(watch())
        busy: list[float] = []
        transferring: list[float] = []
        load: list[int] = []  # jobs seen moving bytes around each of those samples
        while not watching.done():  # bounded: the uploads end
            during = moving[0]
            latency = await stats_latency(user)
            busy.append(latency)
            if during and moving[0]:
                transferring.append(latency)
                load.append(max(during, moving[0]))
        await watching
        states_db.close()
        elapsed = time.perf_counter() - started
        for job_id in jobs:
            await wait_for_job(service, job_id, lambda j: JobState(j.state).final, within=600)
    return {
        "idle": idle,
        "busy": busy,
        "transferring": transferring,
        "load": load,
        "upload_seconds": elapsed,
    }


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    """p50 / p95 / max in milliseconds, and the sample count."""
    if not values:  # small runs: no /stats answer fell while bytes moved
        return "no samples (the uploads were too short)"
    return (
        f"p50 {statistics.median(values) * 1000:6.0f} ms"
        f"  p95 {percentile(values, 0.95) * 1000:6.0f}"
        f" ms  max {max(values) * 1000:6.0f} ms  ({len(values)} samples)"
    )


def main() -> None:
    """Start the receiver and the bot's process; print the latencies."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--samples", type=int, default=20, help="idle samples")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--inline", action="store_true", help="move bytes on the chat's loop (no transfer lane)"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--receiver", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args))))
        return
    with tempfile.TemporaryDirectory(prefix="chat-bench-") as scratch:
        source = Path(scratch) / "video.mp4"
        write_source(source, args.size_mb * MIB)
        receiver = subprocess.Popen(  # noqa: S603 (our own script)
            [sys.executable, str(ROOT / "bench" / "receiver.py"), "--source", str(source)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert receiver.stdout is not None
            base = receiver.stdout.readline().strip()
            for attempt in range(args.repeat):
                command = [
                    sys.executable,
                    __file__,
                    "--measure",
                    "--uploads",
                    str(args.uploads),
                    "--workers",
                    str(args.workers),
                    "--samples",
                    str(args.samples),
                    *(["--inline"] if args.inline else []),
                    "--source",
                    str(source),
                    "--receiver",
                    base,
                    "--workdir",
                    str(Path(scratch) / f"run-{attempt}"),
                ]
                output = subprocess.run(  # noqa: S603
                    command, capture_output=True, text=True, cwd=ROOT, timeout=3600
                )
                if output.returncode != 0:
                    log = Path(tempfile.gettempdir()) / "chat_latency_failure.log"
                    log.write_text(output.stderr)
                    raise SystemExit(f"the measurement failed, its stderr is in {log}")
                result = json.loads(output.stdout.strip().splitlines()[-1])
                print(
                    f"repeat {attempt + 1}: {args.uploads} uploads of {args.size_mb} MiB,"
                    f" {args.workers} at a time, took {result['upload_seconds']:.1f} s"
                )
                print(f"  /stats idle:      {summary(result['idle'])}")
                print(f"  /stats until every upload is done: {summary(result['busy'])}")
                print(
                    f"  /stats while bytes move:           {summary(result['transferring'])}"
                    "  (target p95 < 250 ms)"
                )
                if result["load"]:
                    print(
                        "  jobs moving bytes at those samples: median"
                        f" {statistics.median(result['load']):.0f}, max {max(result['load'])}"
                    )
        finally:
            if receiver.stdin is not None:
                receiver.stdin.close()
            receiver.wait(timeout=30)


if __name__ == "__main__":
    main()
