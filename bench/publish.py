"""Benchmark: the bot's upload path against bare clients, receiver in its own process.

Run:  .venv/bin/python bench/publish.py [--size-mb 1024] [--repeat 3] [--rss-sizes 256,1900]

A receiver process (bench/receiver.py: TikTok's chunk endpoint checking every
Content-Range, discarding the body; and a Bot API file server) stands on the
other side of loopback. Each measurement runs in a fresh interpreter, so its
CPU time and peak RSS are its own. Per repeat and mode, side by side:

- bot:        the real bot as its own process (`python -m bot run`, production
              settings: 30 s long polls, the rate limiter, INFO logs), driven as a
              user drives it: /link through the consent page, send the video, pick
              "Everyone", tap Post. Its Telegram (the fake) and TikTok (the
              sandbox, for the API calls) run in the measuring process, not in the
              bot's; the sandbox hands out upload URLs on the receiver, and in cloud
              mode the file comes from the receiver's file server. The bot's CPU
              and RSS are read from /proc; the job's state from its database file.
              Cloud mode lifts the 20 MB limit in the bot's intake and in the fake:
              a real cloud Bot API never hands out such a file, so the cloud rows
              measure the pipeline's cost per byte, not a transfer a user can make.
- same-stack: the bot's HTTP stack alone (httpx over bot/publishing/transport.py)
              moving the same bytes in the same chunks: no bot, no DB.
- fastest:    the fastest bare client on this machine (aiohttp's), same bytes,
              same chunks: the machine's limit, and the target (<= 1.10x).
- durable:    cloud mode only: `fastest`'s pipe that also puts every byte on
              disk as the bot's spool does (O_DIRECT through the bot's
              SpoolWriter, in a thread, at most as many bytes waiting for the
              disk as the bot lets wait). The limit of a pipe that can resume
              after a crash without downloading again; when the disk is slower
              than loopback, it is the disk's speed.

local mode reads the file from disk (a `--local` Bot API server's path);
cloud mode downloads it from the file server and pipes it into the chunk PUTs.
RSS: the idle process (the bot: at the Post tap, after linking and composing)
and what the transfer adds (peak minus idle; the bot's peak is counted from the
tap on), at --size-mb and at each of --rss-sizes
(1900 MiB stands for "2 GiB": a local Bot API server refuses files over
2000 MB, and so does the fake).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
CHUNK = 64_000_000  # the bot's chunk size (TikTok's maximum)
KINDS = ("bot", "same-stack", "fastest", "durable")
# The bot's spool lets the download run this far ahead of the disk
# (SpoolDownload.QUEUED_PIECES pieces of at most one 1 MiB read each).
DURABLE_BACKLOG = 64 * MIB
# `python -m bot run`; in cloud mode with the bot's 20 MB intake limit lifted (bench-only:
# the real cloud Bot API never hands out a 1 GiB file, see the module docstring).
BOT_PROCESS = """
import handlers.intake as intake
{limit}
from bot.__main__ import main
raise SystemExit(main(["run"]))
"""
# BotFather's shape, which the bot checks at start-up.
BENCH_TOKEN = "1234567:" + "A" * 35


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
            await pipe(http, receiver, name, size)
        return time.perf_counter() - started


async def pipe(
    http: Any,
    receiver: str,
    name: str,
    size: int,
    tap: Callable[[AsyncIterator[bytes]], AsyncIterator[bytes]] | None = None,
) -> None:
    """Bare aiohttp: the download piped into the chunk PUTs (`tap` sees every piece on its way)."""
    async with http.get(f"{receiver}/file/video.mp4") as download:
        pieces = download.content.iter_chunked(MIB)
        if tap is not None:
            pieces = tap(pieces)
        leftover: list[memoryview] = []
        for first, last in chunks(size):
            async with http.put(
                f"{receiver}/upload/{name}",
                data=piped_body(pieces, leftover, last - first + 1),
                headers=headers(first, last, size),
            ) as reply:
                assert reply.status in (201, 206), reply.status


async def durable(mode: str, source: Path, size: int, receiver: str, name: str) -> float:
    """`fastest`'s cloud pipe writing every byte to a spool file as well. Returns seconds."""
    import aiohttp

    from bot.publishing.spool_writer import SpoolWriter

    assert mode == "cloud"
    spool = Path(tempfile.mkdtemp(prefix="durable-", dir=source.parent)) / "spool"
    writer = SpoolWriter(spool, 0)
    waiting: asyncio.Queue[bytes | None] = asyncio.Queue()
    backlog = asyncio.Semaphore(DURABLE_BACKLOG // MIB)  # one place per 1 MiB read

    async def write_all() -> None:
        finished = False
        while not finished:
            batch: list[bytes] = []
            piece = await waiting.get()
            while piece is not None:
                batch.append(piece)
                if waiting.empty():
                    break
                piece = waiting.get_nowait()
            finished = piece is None
            if batch:
                await asyncio.to_thread(writer.write, batch)
                for _ in batch:
                    backlog.release()
        await asyncio.to_thread(writer.finish)

    async def spooled(pieces: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        async for piece in pieces:
            await backlog.acquire()
            waiting.put_nowait(piece)
            yield piece

    async with aiohttp.ClientSession(read_bufsize=MIB) as http:
        started = time.perf_counter()
        disk = asyncio.create_task(write_all())
        await pipe(http, receiver, name, size, tap=spooled)
        waiting.put_nowait(None)
        await disk
        seconds = time.perf_counter() - started
    writer.close()
    assert spool.stat().st_size == size, "the spool must hold every byte"
    spool.unlink()
    spool.parent.rmdir()
    return seconds


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


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_memory(pid: int, field: str) -> float:
    """VmRSS or VmHWM (peak) of process `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss(pid: int) -> None:
    """Start process `pid`'s VmHWM again from its current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def job_state(database: sqlite3.Connection) -> str | None:
    """The newest job's state in the bot's SQLite file (WAL: reading blocks no writer)."""
    row = database.execute("SELECT state FROM publish_jobs ORDER BY id DESC LIMIT 1").fetchone()
    database.rollback()  # end the read, so the next one sees new writes
    return None if row is None else str(row[0])


@dataclass(frozen=True, slots=True)
class Run:
    """One sender's transfer: its own figures (the receiver's view is read afterwards)."""

    upload_name: str
    seconds: float  # the bot: from the Post tap to the job row saying PROCESSING
    cpu: float
    idle_rss_mb: float
    peak_rss_mb: float


async def bot_publishes(mode: str, source: Path, size: int, receiver: str, workdir: Path) -> Run:
    """The real bot as its own process (`python -m bot run`, production settings), driven as
    a user drives it: link the account, send the video, tap Post. Its Telegram and TikTok
    (the emulators) live in this process, not the bot's."""
    import httpx
    from cryptography.fernet import Fernet

    import emulators.telegram._files as fake_files
    from emulators.telegram import FakeTelegram
    from emulators.tiktok import SandboxClock, TikTokSandbox
    from tests.support.harness import (
        CLIENT_KEY,
        CLIENT_SECRET,
        default_accounts,
        free_port,
        link_in_chat,
        sandbox_app,
    )

    local = mode == "local"
    # Bench-only: the fake cloud Bot API hands out files over 20 MB.
    fake_files.CLOUD_DOWNLOAD_LIMIT = 8 * 1024 * MIB
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    sandbox = TikTokSandbox(
        apps=[sandbox_app(public)],
        accounts=default_accounts(),
        clock=SandboxClock(),
    )
    api = await sandbox.start()
    tg = FakeTelegram(
        token=BENCH_TOKEN,
        files_dir=workdir / "tg-files",
        local_mode_dir=workdir / "tg-local" if local else None,
    )
    await tg.start()
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TIKTOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token,
        TELEGRAM_API_BASE_URL=tg.api_base_url,
        # cloud: the file comes from the receiver's file server
        TELEGRAM_FILE_BASE_URL=tg.file_base_url if local else f"{receiver}/file/bot",
        TELEGRAM_LOCAL_MODE="true" if local else "false",
        TIKTOK_CLIENT_KEY=CLIENT_KEY,
        TIKTOK_CLIENT_SECRET=CLIENT_SECRET,
        TIKTOK_API_BASE_URL=api,
        TIKTOK_AUTH_URL=api + "/v2/auth/authorize/",
        TIKTOK_APP_AUDITED="true",
        PUBLIC_BASE_URL=public,
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(port),
        DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'bot.db'}",
        TOKEN_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        PYTHONPATH=str(ROOT),
    )
    log = (workdir / "bot.log").open("wb")  # read it when a run fails
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        BOT_PROCESS.format(limit="" if local else "intake.CLOUD_DOWNLOAD_LIMIT = 8 << 30"),
        env=env,
        cwd=data_dir,
        stdout=log,
        stderr=log,
    )
    browser = httpx.AsyncClient(timeout=60)
    try:
        user = tg.user(4242, first_name="Ana", username="ana")
        await link_in_chat(user, browser, within=120)  # the first wait covers start-up
        await user.send_video(source, duration=30, caption="bench")
        composer = await user.wait_for("Posting to", timeout=600)
        await user.tap(composer, "🌍 Everyone")
        composer = await user.wait_for(
            lambda m: "✅ 🌍 Everyone" in [b.text for row in m.buttons for b in row], timeout=60
        )
        # From here on the sandbox's upload URLs point at the receiver process.
        sandbox.base_url = receiver
        pid = bot.pid
        reset_peak_rss(pid)
        idle = process_memory(pid, "VmRSS")
        cpu_before = process_cpu(pid)
        started = time.perf_counter()
        await user.tap(composer, "🚀 Post to TikTok")
        with contextlib.closing(
            sqlite3.connect(f"file:{data_dir / 'bot.db'}?mode=ro", uri=True)
        ) as database:
            # Another process's database: nothing to wait on but the file itself.
            while (state := job_state(database)) in (None, "queued", "downloading", "uploading"):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        cpu = process_cpu(pid) - cpu_before
        peak = process_memory(pid, "VmHWM")
        assert state == "processing", state
        [publish] = sandbox.publishes.values()
        assert publish.upload_id is not None
        return Run(publish.upload_id, elapsed, cpu, idle, peak)
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), 60)
        except TimeoutError:
            bot.kill()
            await bot.wait()
        log.close()
        await browser.aclose()
        await tg.stop()
        await sandbox.stop()


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
        run = await bot_publishes(mode, source, size, receiver, workdir)
    else:
        bare: Callable[..., Coroutine[Any, Any, float]] = {
            "fastest": fastest,
            "same-stack": same_stack,
            "durable": durable,
        }[kind]
        import aiohttp  # noqa: F401  (imports are start-up, not transfer)
        import httpx  # noqa: F401

        import bot.publishing.transport  # noqa: F401

        me = os.getpid()
        idle = process_memory(me, "VmRSS")
        before = cpu_seconds()
        name = uuid.uuid4().hex
        seconds = await bare(mode, source, size, receiver, name)
        cpu = cpu_seconds() - before
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent that spawned us.
        run = Run(name, seconds, cpu, idle, process_memory(me, "VmHWM"))
    seen, gaps = await receiver_view(receiver, run.upload_name, mode, size)
    return {
        "kind": kind,
        "mode": mode,
        "size_mb": size // MIB,
        "seconds": seen,
        "gaps": gaps,
        "e2e_seconds": run.seconds,
        "cpu": run.cpu,
        "idle_rss_mb": run.idle_rss_mb,
        "added_rss_mb": max(0.0, run.peak_rss_mb - run.idle_rss_mb),
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

    from tests.integration.support import write_video  # a real H.264 MP4, padded

    modes = args.modes.split(",")
    sizes = [args.size_mb] + [int(s) for s in args.rss_sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        rows: list[dict[str, Any]] = []
        for size_mb in sizes:
            sized = Path(scratch) / f"video-{size_mb}.mp4"
            if not sized.exists():
                print(f"writing a {size_mb} MiB video ...", flush=True)
                write_video(sized, size_mb * MIB)
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
                            if kind == "durable" and mode != "cloud":
                                continue  # a local file needs no spool
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


def report(rows: list[dict[str, Any]], modes: list[str], size_mb: int, repeats: int) -> None:
    """Per repeat: the measurements side by side and the ratios; then min/median/max and RSS."""
    print(
        f"\n{size_mb} MiB, receiver in its own process, loopback. Wall seconds of the transfer"
        " as the receiver saw it (first PUT, cloud: file request, to last byte), (CPU seconds"
        " of the sending process); bot e2e = from the Post tap to the job row saying"
        " PROCESSING (adds the tap's handling, getFile, init, DB writes); durable = the"
        " fastest pipe that also spools every byte to disk (cloud mode only)."
    )
    print(
        f"{'mode':<6} {'rep':>3}  {'bot':>15} {'same-stack':>15} {'fastest':>15} {'durable':>15}"
        "   bot/same  bot/fastest  bot/durable   bot e2e  e2e/fastest"
    )
    ratios: dict[str, dict[str, list[float]]] = {
        m: {"fastest": [], "same": [], "e2e": [], "durable": []} for m in modes
    }
    for mode in modes:
        for attempt in range(1, repeats + 1):
            cell = {
                r["kind"]: r
                for r in rows
                if r["mode"] == mode and r["repeat"] == attempt and r["size_mb"] == size_mb
            }
            if not {"bot", "same-stack", "fastest"} <= cell.keys():
                continue
            b, s, f, d = cell["bot"], cell["same-stack"], cell["fastest"], cell.get("durable")
            mine = ratios[mode]
            mine["fastest"].append(b["seconds"] / f["seconds"])
            mine["same"].append(b["seconds"] / s["seconds"])
            mine["e2e"].append(b["e2e_seconds"] / f["seconds"])
            durable_cell, durable_ratio = f"{'-':>15}", f"{'-':>11}"
            if d is not None:
                mine["durable"].append(b["seconds"] / d["seconds"])
                durable_cell = f"{d['seconds']:>6.3f} ({d['cpu']:.3f})"
                durable_ratio = f"{b['seconds'] / d['seconds']:>11.2f}"
            print(
                f"{mode:<6} {attempt:>3}  "
                + " ".join(f"{r['seconds']:>6.3f} ({r['cpu']:.3f})" for r in (b, s, f))
                + f" {durable_cell}"
                + f"   {b['seconds'] / s['seconds']:>8.2f}  {b['seconds'] / f['seconds']:>11.2f}"
                + f"  {durable_ratio}"
                + f"   {b['e2e_seconds']:>7.3f}  {b['e2e_seconds'] / f['seconds']:>11.2f}"
            )
    print("\nratio bot / fastest bare client, min / median / max (target <= 1.10):")
    for mode in modes:
        mine = ratios[mode]
        if mine["fastest"]:
            against_disk = f"; bot / durable {spread(mine['durable'])}" if mine["durable"] else ""
            print(
                f"  {mode:<6} {spread(mine['fastest'])}"
                f"   (bot / same-stack {spread(mine['same'])}{against_disk};"
                f" bot e2e / fastest {spread(mine['e2e'])})"
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
