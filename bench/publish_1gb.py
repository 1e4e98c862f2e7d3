"""End-to-end check (not a speed bound): publish a big video with the sandbox in process.

Run:  .venv/bin/python bench/publish_1gb.py [--size-mb 1024] [--modes local,cloud]

This checks that a big video goes through the whole pipeline and arrives
byte for byte (the sandbox hashes everything it receives). It is NOT an
honest speed figure: the sandbox's receive + SHA-256 shares the bot's
process and thread and dominates both figures. bench/publish.py is the
benchmark (receiver in its own process, the fastest bare client as the bound).

Everything runs on loopback in one process per measurement: the TikTok sandbox
(which hashes every byte it receives), the fake Telegram Bot API server, and
the real bot (BotApp, PublishService, database). Four measurements, each in a
fresh subprocess so that peak RSS (ru_maxrss) belongs to that measurement only:

- reference-local:  read the file from disk, PUT it in chunks with httpx;
- pipeline-local:   the bot publishes it with a local Bot API server (path read in place);
- reference-cloud:  one streamed httpx download piped straight into chunked PUTs;
- pipeline-cloud:   the bot publishes it in cloud mode (download -> spool -> chunks,
                    pipelined); the fake's 20 MB getFile limit is lifted for this.

Times run from "go" until TikTok holds every byte (the 201 of the last chunk),
including getFile and init; TikTok's own processing afterwards is not timed.
The video is generated on disk in 1 MiB blocks, never held in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024


def write_source(path: Path, size: int) -> str:
    """A real 1 s MP4 grown to `size` bytes by a `free` box of random blocks; returns its sha256.

    Real, because the sandbox checks uploads like TikTok (codec, frame rate...).
    """
    from bot.media.sample import sample_video

    digest = hashlib.sha256()
    base = os.urandom(MIB)
    video = sample_video(1)
    free_box = struct.pack(">I4sQ", 1, b"free", size - len(video))
    with path.open("wb") as out:
        written = 0
        index = 0
        while written < size:
            block = video + free_box if index == 0 else index.to_bytes(8, "big") + base
            piece = block[: min(MIB, size - written)]
            out.write(piece)
            digest.update(piece)
            written += len(piece)
            index += 1
    return digest.hexdigest()


def rss_mb() -> float:
    """Current resident set size (MB) from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def take(
    stream: AsyncIterator[bytes], leftover: bytearray, size: int
) -> AsyncIterator[bytes]:
    """Exactly `size` bytes from a byte stream, keeping what belongs to the next chunk."""
    remaining = size
    if leftover:
        piece = bytes(leftover[:remaining])
        del leftover[: len(piece)]
        remaining -= len(piece)
        yield piece
    while remaining > 0:
        data = await anext(stream)
        if len(data) > remaining:
            leftover += data[remaining:]
            data = data[:remaining]
        remaining -= len(data)
        yield data


async def file_pieces(path: Path, first: int, size: int) -> AsyncIterator[bytes]:
    """`size` bytes of a file from `first`, in 1 MiB reads."""
    with path.open("rb") as source:
        source.seek(first)
        remaining = size
        while remaining > 0:
            data = source.read(min(MIB, remaining))
            remaining -= len(data)
            yield data


async def measure(
    phase: str, source: Path, size: int, sha256: str, workdir: Path
) -> dict[str, object]:
    """Run one measurement inside this process and return its figures."""
    import httpx

    import emulators.telegram._files as fake_files
    from bot.app import RunOptions
    from bot.publishing.choices import PrivacyLevel
    from bot.publishing.chunks import ChunkPlan
    from bot.publishing.jobs import JobState, PublishTuning
    from bot.publishing.requests import MediaKind, MediaRef, PostChoices, PostMode, PublishRequest
    from bot.tiktok import PublishingAPI
    from tests.integration.support import wait_for_job
    from tests.support.harness import running_bot

    local = phase.endswith("local")
    # Bench-only switch: let the fake cloud Bot API hand out files over 20 MB.
    fake_files.CLOUD_DOWNLOAD_LIMIT = 8 * 1024 * MIB
    options = RunOptions(publishing=PublishTuning(poll_min_interval=0.2, progress_interval=1.0))
    async with running_bot(workdir, options=options, local_mode=local) as harness:
        user = harness.user()
        await harness.open_link(user)
        await user.wait_for("Linked")
        services = harness.bot.services
        assert services is not None and harness.bot.application is not None
        [account] = await services.accounts.linked(user.id)
        fake = harness.tg.add_file(source, kind="video")
        baseline = rss_mb()
        started = time.perf_counter()
        if phase.startswith("reference"):
            file = await harness.bot.application.bot.get_file(fake.file_id)
            assert file.file_path is not None
            token = await services.tokens.access_token(account.id)
            plan = ChunkPlan.for_size(size)
            ticket = await PublishingAPI(services.tiktok).init_video(
                token,
                post_info={
                    "title": "bench",
                    "privacy_level": "SELF_ONLY",
                    "brand_content_toggle": False,
                },
                source_info=plan.source_info(),
            )
            assert ticket.upload_url is not None
            async with httpx.AsyncClient(timeout=600) as http:
                if local:
                    for chunk in plan.chunks():
                        reply = await http.put(
                            ticket.upload_url,
                            content=file_pieces(Path(file.file_path), chunk.first, chunk.size),
                            headers=_headers(chunk.first, chunk.last, size),
                        )
                        assert reply.status_code in (201, 206), reply.status_code
                else:
                    async with http.stream("GET", file.file_path) as download:
                        stream = download.aiter_raw(MIB)
                        leftover = bytearray()
                        for chunk in plan.chunks():
                            reply = await http.put(
                                ticket.upload_url,
                                content=take(stream, leftover, chunk.size),
                                headers=_headers(chunk.first, chunk.last, size),
                            )
                            assert reply.status_code in (201, 206), reply.status_code
            publish_id = ticket.publish_id
        else:
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
            job_id = await service.submit(request)
            uploaded = await wait_for_job(
                service,
                job_id,
                lambda j: j.state == JobState.PROCESSING or JobState(j.state).final,
                within=3600,
            )
            assert uploaded.state == JobState.PROCESSING, (uploaded.state, uploaded.outcome_code)
            publish_id = str(uploaded.publish_id)
        elapsed = time.perf_counter() - started
        publish = harness.sandbox.publishes[publish_id]
        assert publish.upload_sha256 == sha256, "TikTok received different bytes"
        if phase.startswith("pipeline"):
            done = await wait_for_job(
                service, job_id, lambda j: JobState(j.state).final, within=120
            )
            assert done.state == JobState.PUBLISHED, done.state
    return {
        "phase": phase,
        "seconds": round(elapsed, 3),
        "mb_per_s": round(size / MIB / elapsed, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_transfer_mb": round(baseline, 1),
    }


def _headers(first: int, last: int, total: int) -> dict[str, str]:
    return {
        "Content-Type": "video/mp4",
        "Content-Length": str(last - first + 1),
        "Content-Range": f"bytes {first}-{last}/{total}",
    }


def run_phase(phase: str, source: Path, size: int, sha256: str, workdir: Path) -> dict[str, object]:
    """Run one measurement in a fresh interpreter (so its peak RSS is its own)."""
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--source",
        str(source),
        "--size",
        str(size),
        "--sha256",
        sha256,
        "--workdir",
        str(workdir),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    result: dict[str, object] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate the file, run the measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--modes", default="local,cloud")
    parser.add_argument("--repeat", type=int, default=3, help="runs per phase (median shown)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sha256", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = asyncio.run(
            measure(args.phase, Path(args.source), args.size, args.sha256, Path(args.workdir))
        )
        print(json.dumps(result))
        return

    size = args.size_mb * MIB
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        source = Path(scratch) / "video.mp4"
        print(f"writing a {args.size_mb} MiB video to {source} ...", flush=True)
        sha256 = write_source(source, size)
        runs: dict[str, list[dict[str, object]]] = {}
        for attempt in range(args.repeat):
            # Interleaved, so disk and CPU noise hits reference and pipeline alike.
            for mode in args.modes.split(","):
                for kind in ("reference", "pipeline"):
                    phase = f"{kind}-{mode}"
                    print(f"run {attempt + 1}/{args.repeat}: {phase} ...", flush=True)
                    workdir = Path(scratch) / f"{phase}-{attempt}"
                    runs.setdefault(phase, []).append(
                        run_phase(phase, source, size, sha256, workdir)
                    )
        rows = []
        for results in runs.values():
            results.sort(key=lambda r: float(str(r["seconds"])))
            median = dict(results[len(results) // 2])
            median["all"] = " ".join(str(r["seconds"]) for r in results)
            median["peak_rss_mb"] = max(float(str(r["peak_rss_mb"])) for r in results)
            rows.append(median)
        print()
        print(
            f"{'phase':<18}{'median s':>9}{'MiB/s':>9}{'peak RSS MB':>13}{'RSS before':>12}"
            "   all runs (s)"
        )
        for row in rows:
            print(
                f"{row['phase']!s:<18}{row['seconds']!s:>9}{row['mb_per_s']!s:>9}"
                f"{row['peak_rss_mb']!s:>13}{row['rss_before_transfer_mb']!s:>12}   {row['all']}"
            )
        for mode in args.modes.split(","):
            reference = next(r for r in rows if r["phase"] == f"reference-{mode}")
            pipeline = next(r for r in rows if r["phase"] == f"pipeline-{mode}")
            ratio = float(str(pipeline["seconds"])) / float(str(reference["seconds"]))
            print(f"{mode}: pipeline / reference = {ratio:.2f}x (end-to-end check only)")


if __name__ == "__main__":
    main()
