"""Benchmark: probing a 1 GB video (cloud and local) and extracting 4 cover frames.

Run:  .venv/bin/python bench/media_probe.py [--size-mb 1024] [--keep DIR]

- probe-cloud: the bot's probe reads the file through its ranged HTTP reader
  from a loopback aiohttp file server (Range supported), as with the cloud
  Bot API; reported: bytes and requests served, wall time.
- probe-local: the probe opens the path (local Bot API server mode).
- cover-frames: 4 cover frames from a 1080x1920, 60 s, 30 fps H.264 video.

The 1 GB file is a real 10-minute 1080x1920 H.264 MP4 with its index (moov)
at the end, the hard case for ranged reads: one second is encoded and its
packets are repeated, each padded so the file reaches the size asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import httpx
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.media.frames import cover_frames
from bot.media.probe import probe_video
from bot.media.reader import HttpRangeFile


def big_video(path: Path, *, size: int, seconds: int, fps: int = 30) -> None:
    """A real H.264 MP4 of about `size` bytes (moov at the end)."""
    width, height = 1080, 1920
    codec: Any = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.time_base = fractions.Fraction(1, fps)
    codec.options = {"preset": "ultrafast", "tune": "zerolatency", "bf": "0", "g": str(fps)}
    packets = []
    for index in range(fps):
        frame = av.VideoFrame(width, height, "yuv420p")
        for number, plane in enumerate(frame.planes):
            plane.update(bytes([(index * 8 + number * 50) % 256]) * plane.buffer_size)
        frame.pts = index
        packets += [(bytes(p), p.is_keyframe) for p in codec.encode(frame)]
    packets += [(bytes(p), p.is_keyframe) for p in codec.encode(None)]
    total = seconds * fps
    # Trailing zero bytes after a NAL unit are allowed: pad packets to reach `size`.
    pad = max(0, size // total - max(len(p) for p, _ in packets))
    out: Any = av.open(str(path), "w", format="mp4")
    stream = out.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    tick = fractions.Fraction(1, fps)
    for index in range(total):
        data, keyframe = packets[index % len(packets)]
        packet = av.Packet(data + b"\0" * pad)
        packet.stream, packet.time_base = stream, tick
        packet.pts = packet.dts = index
        packet.duration, packet.is_keyframe = 1, keyframe
        out.mux(packet)
    out.close()


async def probe_cloud(path: Path, size: int) -> dict[str, Any]:
    served = {"bytes": 0, "requests": 0}

    async def serve(request: web.Request) -> web.StreamResponse:
        served["requests"] += 1
        first, last = request.headers["Range"].removeprefix("bytes=").split("-")
        served["bytes"] += int(last) - int(first) + 1
        return web.FileResponse(path)

    app = web.Application()
    app.router.add_get("/file", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with httpx.AsyncClient() as client:
            source = HttpRangeFile(client, f"http://127.0.0.1:{port}/file", size)
            started = time.perf_counter()
            facts = await probe_video(source)
            elapsed = time.perf_counter() - started
    finally:
        await runner.cleanup()
    return {
        "seconds": round(elapsed, 3),
        "MiB_read": round(served["bytes"] / 2**20, 2),
        "requests": served["requests"],
        "duration": facts.duration,
        "size": f"{facts.width}x{facts.height}",
    }


async def probe_local(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    facts = await probe_video(path)
    return {"seconds": round(time.perf_counter() - started, 3), "duration": facts.duration}


async def frames(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    got = await cover_frames(path, 4)
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "timestamps_ms": [f.timestamp_ms for f in got],
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", type=Path, help="folder for the generated videos (reused)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        big = folder / f"big-{args.size_mb}mb.mp4"
        if not big.exists():
            print(f"generating {big} ...", flush=True)
            big_video(big, size=args.size_mb * 2**20, seconds=600)
        cover = folder / "cover-1080x1920-60s.mp4"
        if not cover.exists():
            big_video(cover, size=0, seconds=60)
        print(f"file: {big.stat().st_size / 2**20:.0f} MiB")
        print("probe-cloud ", await probe_cloud(big, big.stat().st_size))
        print("probe-local ", await probe_local(big))
        print("cover-frames", await frames(cover))


if __name__ == "__main__":
    asyncio.run(main())
