"""Benchmark: the bot's upload path against bare clients, receiver in its own process.

Run:  .venv/bin/python bench/publish.py [--size-mb 1024] [--repeat 3] [--rss-sizes 256,1900]

A receiver process (bench/receiver.py: TikTok's chunk endpoint checking every
Content-Range, discarding the body; and a Bot API file server) stands on the
other side of loopback. Each measurement runs in a fresh interpreter, so its
CPU time and peak RSS are its own. Per repeat and mode, side by side:

- bot:        the real bot (BotApp, PublishService, DB, the fake Telegram and
              the TikTok sandbox for the API calls) publishes the video; the
              sandbox hands out upload URLs on the receiver, and in cloud mode
              the file comes from the receiver's file server. Timed from submit
              until the job is PROCESSING (TikTok answered 201 to the last
              chunk and the job row says so).
- same-stack: the bot's HTTP stack alone (httpx over bot/publishing/transport.py)
              moving the same bytes in the same chunks: no bot, no DB.
- fastest:    the fastest bare client on this machine (aiohttp's), same bytes,
              same chunks: the machine's limit, and the target (<= 1.10x).

local mode reads the file from disk (a `--local` Bot API server's path);
cloud mode downloads it from the file server and pipes it into the chunk PUTs.
RSS: the idle process (after start-up, before the transfer) and what the
transfer adds (peak minus idle), at --size-mb and at each of --rss-sizes
(1900 MiB stands for "2 GiB": a local Bot API server refuses files over
2000 MB, and so does the fake).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
CHUNK = 64_000_000  # the bot's chunk size (TikTok's maximum)
KINDS = ("bot", "same-stack", "fastest")


def write_source(path: Path, size: int) -> None:
    """An MP4-looking file of `size` bytes, written in 1 MiB random blocks."""
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41"
    with path.open("wb") as out:
        written = 0
        while written < size:
            block = (head if written == 0 else b"") + os.urandom(MIB)
            piece = block[: min(MIB, size - written)]
            out.write(piece)
            written += len(piece)


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    """CPU time of this process so far (all threads, user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def chunks(size: int) -> list[tuple[int, int]]:
    """(first, last) of each chunk, as the bot's ChunkPlan cuts them."""
    count = max(1, size // CHUNK)
    return [(i * CHUNK, size - 1 if i == count - 1 else (i + 1) * CHUNK - 1) for i in range(count)]


def headers(first: int, last: int, total: int) -> dict[str, str]:
    """A chunk PUT's headers."""
    return {
        "Content-Type": "video/mp4",
        "Content-Length": str(last - first + 1),
        "Content-Range": f"bytes {first}-{last}/{total}",
    }


async def file_body(fd: int, first: int, last: int) -> AsyncIterator[bytes]:
    """A chunk read from disk in 1 MiB preads (page cache: the fastest local read)."""
    offset, end = first, last + 1
    while offset < end:
        data = os.pread(fd, min(MIB, end - offset), offset)
        offset += len(data)
        yield data


async def piped_body(
    pieces: AsyncIterator[bytes], leftover: list[memoryview], size: int
) -> AsyncIterator[bytes | memoryview]:
    """Exactly `size` bytes of a download, cut at the chunk boundary without copying."""
    remaining = size
    while remaining > 0:
        view = leftover.pop() if leftover else memoryview(await anext(pieces))
        if len(view) > remaining:
            leftover.append(view[remaining:])
            view = view[:remaining]
        remaining -= len(view)
        yield view


# -- the three measurements, each run in its own interpreter -------------------


async def fastest(mode: str, source: Path, size: int, receiver: str, name: str) -> float:
    """Bare aiohttp: the machine's limit. Returns seconds."""
    import aiohttp

    async with aiohttp.ClientSession(read_bufsize=MIB) as http:
        started = time.perf_counter()
        if mode == "local":
            fd = os.open(source, os.O_RDONLY)
            for first, last in chunks(size):
                async with http.put(
                    f"{receiver}/upload/{name}",
                    data=file_body(fd, first, last),
                    headers=headers(first, last, size),
                ) as reply:
                    assert reply.status in (201, 206), reply.status
            os.close(fd)
        else:
            async with http.get(f"{receiver}/file/video.mp4") as download:
                pieces = download.content.iter_chunked(MIB)
                leftover: list[memoryview] = []
                for first, last in chunks(size):
                    async with http.put(
                        f"{receiver}/upload/{name}",
                        data=piped_body(pieces, leftover, last - first + 1),
                        headers=headers(first, last, size),
                    ) as reply:
                        assert reply.status in (201, 206), reply.status
        return time.perf_counter() - started


async def same_stack(mode: str, source: Path, size: int, receiver: str, name: str) -> float:
    """The bot's HTTP stack (httpx over AiohttpTransport), without the bot."""
    import httpx

    from bot.publishing.transport import AiohttpTransport

    async with httpx.AsyncClient(timeout=600, transport=AiohttpTransport()) as http:
        started = time.perf_counter()
        if mode == "local":
            fd = os.open(source, os.O_RDONLY)
            for first, last in chunks(size):
                reply = await http.put(
                    f"{receiver}/upload/{name}",
                    content=file_body(fd, first, last),
                    headers=headers(first, last, size),
                )
                assert reply.status_code in (201, 206), reply.status_code
            os.close(fd)
        else:
            async with http.stream("GET", f"{receiver}/file/video.mp4") as download:
                pieces = download.aiter_raw()
                leftover: list[memoryview] = []
                for first, last in chunks(size):
                    reply = await http.put(
                        f"{receiver}/upload/{name}",
                        content=piped_body(pieces, leftover, last - first + 1),  # type: ignore[arg-type]
                        headers=headers(first, last, size),
                    )
                    assert reply.status_code in (201, 206), reply.status_code
        return time.perf_counter() - started


async def bot_publishes(mode: str, source: Path, size: int, receiver: str, workdir: Path) -> float:
    """The real bot publishing the video; returns seconds from submit to PROCESSING."""
    import emulators.telegram._files as fake_files
    from bot.app import RunOptions
    from bot.publishing.choices import PrivacyLevel
    from bot.publishing.jobs import JobState, PublishTuning
    from bot.publishing.requests import MediaKind, MediaRef, PostChoices, PostMode, PublishRequest
    from tests.integration.support import wait_for_job
    from tests.support.harness import running_bot

    local = mode == "local"
    # Bench-only: the fake cloud Bot API hands out files over 20 MB.
    fake_files.CLOUD_DOWNLOAD_LIMIT = 8 * 1024 * MIB
    options = RunOptions(publishing=PublishTuning(progress_interval=1.0))
    overrides = {} if local else {"telegram_file_base_url": f"{receiver}/file/bot"}
    async with running_bot(
        workdir, options=options, local_mode=local, settings_overrides=overrides
    ) as harness:
        user = harness.user()
        await harness.open_link(user)
        await user.wait_for("Linked")
        services = harness.bot.services
        assert services is not None
        [account] = await services.accounts.linked(user.id)
        fake = harness.tg.add_file(source, kind="video")
        # From here on the sandbox's upload URLs point at the receiver process.
        harness.sandbox.base_url = receiver
        request = PublishRequest(
            draft_id=1,
            telegram_user_id=user.id,
            chat_id=user.id,
            account_id=account.id,
            media=(MediaRef(fake.file_id, fake.file_unique_id, file_size=fake.file_size),),
            choices=PostChoices(
                kind=MediaKind.VIDEO,
                mode=PostMode.DIRECT,
                title="bench",
                privacy_level=PrivacyLevel.SELF_ONLY,
            ),
        )
        service = services.publishing
        MEASURE["idle_rss_mb"] = rss_mb()
        MEASURE["cpu_before"] = cpu_seconds()
        started = time.perf_counter()
        job_id = await service.submit(request)
        uploaded = await wait_for_job(
            service,
            job_id,
            lambda j: j.state == JobState.PROCESSING or JobState(j.state).final,
            within=3600,
        )
        elapsed = time.perf_counter() - started
        MEASURE["cpu_after"] = cpu_seconds()
        assert uploaded.state == JobState.PROCESSING, (uploaded.state, uploaded.outcome_code)
        upload_id = harness.sandbox.publishes[str(uploaded.publish_id)].upload_id
        assert upload_id is not None
        UPLOAD_NAME.append(upload_id)
        return elapsed


MEASURE: dict[str, float] = {}
UPLOAD_NAME: list[str] = []


async def receiver_view(receiver: str, name: str, mode: str, size: int) -> tuple[float, float]:
    """Seconds of the transfer as the receiver saw it (cloud: from the file request),
    and the seconds it spent waiting between chunks (the sender's gaps)."""
    import httpx

    async with httpx.AsyncClient() as http:
        seen = (await http.get(f"{receiver}/upload/{name}")).json()
    assert seen["received"] == size, seen
    begin = seen["file_requested"] if mode == "cloud" else seen["started"]
    spans = seen["spans"]
    gaps = sum(nxt[0] - prev[1] for prev, nxt in itertools.pairwise(spans))
    return float(seen["finished"] - begin), float(gaps)


async def measure(
    kind: str, mode: str, source: Path, size: int, receiver: str, workdir: Path
) -> dict[str, Any]:
    """One measurement in this interpreter: seconds, CPU seconds, RSS."""
    if kind == "bot":
        seconds = await bot_publishes(mode, source, size, receiver, workdir)
        cpu = MEASURE["cpu_after"] - MEASURE["cpu_before"]
        idle = MEASURE["idle_rss_mb"]
        name = UPLOAD_NAME[0]
    else:
        run: Callable[..., Coroutine[Any, Any, float]] = (
            fastest if kind == "fastest" else same_stack
        )
        import aiohttp  # noqa: F401  (imports are start-up, not transfer)
        import httpx  # noqa: F401

        import bot.publishing.transport  # noqa: F401

        idle = rss_mb()
        before = cpu_seconds()
        name = uuid.uuid4().hex
        seconds = await run(mode, source, size, receiver, name)
        cpu = cpu_seconds() - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seen, gaps = await receiver_view(receiver, name, mode, size)
    return {
        "kind": kind,
        "mode": mode,
        "size_mb": size // MIB,
        "seconds": seen,
        "gaps": gaps,
        "e2e_seconds": seconds,
        "cpu": cpu,
        "idle_rss_mb": idle,
        "added_rss_mb": max(0.0, peak - idle),
    }


def run_measurement(
    kind: str, mode: str, source: Path, size: int, receiver: str, workdir: Path
) -> dict[str, Any]:
    """One measurement in a fresh interpreter."""
    command = [
        sys.executable,
        __file__,
        "--measure",
        kind,
        "--mode",
        mode,
        "--source",
        str(source),
        "--size",
        str(size),
        "--receiver",
        receiver,
        "--workdir",
        str(workdir),
    ]
    output = subprocess.run(  # noqa: S603
        command, check=True, capture_output=True, text=True, cwd=ROOT, timeout=1800
    )
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def spread(values: list[float]) -> str:
    """min / median / max."""
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def main() -> None:
    """Start the receiver, run the measurements side by side, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", default="local,cloud")
    parser.add_argument(
        "--rss-sizes", default="256,1900", help="extra sizes (MiB) for RSS, bot only"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--receiver", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        result = asyncio.run(
            measure(
                args.measure,
                args.mode,
                Path(args.source),
                args.size,
                args.receiver,
                Path(args.workdir),
            )
        )
        print(json.dumps(result))
        return

    modes = args.modes.split(",")
    sizes = [args.size_mb] + [int(s) for s in args.rss_sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        source = Path(scratch) / "video.mp4"
        biggest = max(sizes) * MIB
        print(f"writing a {max(sizes)} MiB video ...", flush=True)
        write_source(source, biggest)
        rows: list[dict[str, Any]] = []
        for size_mb in sizes:
            sized = Path(scratch) / f"video-{size_mb}.mp4"
            if not sized.exists():
                os.link(source, sized) if size_mb == max(sizes) else _truncated_copy(
                    source, sized, size_mb * MIB
                )
            receiver = subprocess.Popen(  # noqa: S603
                [sys.executable, str(ROOT / "bench" / "receiver.py"), "--source", str(sized)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                assert receiver.stdout is not None
                base = receiver.stdout.readline().strip()
                main_size = size_mb == args.size_mb
                repeats = args.repeat if main_size else 1
                kinds = KINDS if main_size else ("bot",)
                for attempt in range(repeats):
                    for mode in modes:
                        # Side by side in the same minute: machine noise hits all three alike.
                        for kind in kinds:
                            workdir = Path(scratch) / f"{kind}-{mode}-{size_mb}-{attempt}"
                            row = run_measurement(kind, mode, sized, size_mb * MIB, base, workdir)
                            row["repeat"] = attempt + 1
                            rows.append(row)
                            print(
                                f"  {size_mb:>5} MiB {mode:<6} repeat {attempt + 1}: {kind:<10} "
                                f"{row['seconds']:.3f} s (whole run {row['e2e_seconds']:.3f} s,"
                                f" between chunks {row['gaps']:.3f} s)"
                                f"  cpu {row['cpu']:.3f} s  "
                                f"rss {row['idle_rss_mb']:.0f} + {row['added_rss_mb']:.0f} MB",
                                flush=True,
                            )
            finally:
                if receiver.stdin is not None:
                    receiver.stdin.close()
                receiver.wait(timeout=30)
        report(rows, modes, args.size_mb, args.repeat)


def _truncated_copy(source: Path, target: Path, size: int) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        left = size
        while left > 0:
            block = src.read(min(MIB, left))
            dst.write(block)
            left -= len(block)


def report(rows: list[dict[str, Any]], modes: list[str], size_mb: int, repeats: int) -> None:
    """Per repeat: the three side by side and the ratios; then min/median/max and RSS."""
    print(
        f"\n{size_mb} MiB, receiver in its own process, loopback. Wall seconds of the transfer"
        " as the receiver saw it (first PUT, cloud: file request, to last byte), (CPU seconds"
        " of the sending process); bot e2e = from submit to the job row saying PROCESSING"
        " (adds getFile, init, DB writes)."
    )
    print(
        f"{'mode':<6} {'rep':>3}  {'bot':>15} {'same-stack':>15} {'fastest':>15}"
        "   bot/same  bot/fastest   bot e2e  e2e/fastest"
    )
    ratios: dict[str, list[float]] = {m: [] for m in modes}
    same_ratios: dict[str, list[float]] = {m: [] for m in modes}
    e2e_ratios: dict[str, list[float]] = {m: [] for m in modes}
    for mode in modes:
        for attempt in range(1, repeats + 1):
            cell = {
                r["kind"]: r
                for r in rows
                if r["mode"] == mode and r["repeat"] == attempt and r["size_mb"] == size_mb
            }
            if len(cell) < 3:
                continue
            b, s, f = cell["bot"], cell["same-stack"], cell["fastest"]
            ratios[mode].append(b["seconds"] / f["seconds"])
            same_ratios[mode].append(b["seconds"] / s["seconds"])
            e2e_ratios[mode].append(b["e2e_seconds"] / f["seconds"])
            print(
                f"{mode:<6} {attempt:>3}  "
                + " ".join(f"{r['seconds']:>6.3f} ({r['cpu']:.3f})" for r in (b, s, f))
                + f"   {b['seconds'] / s['seconds']:>8.2f}  {b['seconds'] / f['seconds']:>11.2f}"
                + f"   {b['e2e_seconds']:>7.3f}  {b['e2e_seconds'] / f['seconds']:>11.2f}"
            )
    print("\nratio bot / fastest bare client, min / median / max (target <= 1.10):")
    for mode in modes:
        if ratios[mode]:
            print(
                f"  {mode:<6} {spread(ratios[mode])}"
                f"   (bot / same-stack {spread(same_ratios[mode])};"
                f" bot e2e / fastest {spread(e2e_ratios[mode])})"
            )
    for kind in KINDS:
        for mode in modes:
            values = [
                r["seconds"]
                for r in rows
                if r["kind"] == kind and r["mode"] == mode and r["size_mb"] == size_mb
            ]
            if values:
                print(f"  {kind:<10} {mode:<6} seconds {spread(values)}")
    print("\nbot RSS: idle process + what the transfer adds (MB)")
    for mode in modes:
        for size in sorted({r["size_mb"] for r in rows}):
            picked = [
                r for r in rows if r["kind"] == "bot" and r["mode"] == mode and r["size_mb"] == size
            ]
            if picked:
                idle = max(r["idle_rss_mb"] for r in picked)
                added = max(r["added_rss_mb"] for r in picked)
                print(f"  {mode:<6} {size:>5} MiB: idle {idle:.0f} + transfer {added:.0f}")


if __name__ == "__main__":
    main()
