"""Real videos made with PyAV at test time (nothing binary is committed).

Long videos stay cheap: one closed group of pictures is encoded once and its
packets are muxed again and again with shifted timestamps, so a 601 s file
at 25 fps costs one second of encoding and is still a valid, decodable video
at a real frame rate.
"""

from __future__ import annotations

import fractions
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av

os.environ.setdefault("SVT_LOG", "1")  # the AV1 encoder's banner would flood test output

# Encoder settings that keep groups of pictures closed and B-frame free, so
# packets can be repeated verbatim (pts == dts).
_X264 = {"preset": "ultrafast", "tune": "zerolatency", "bf": "0", "g": "1000"}


@dataclass(frozen=True)
class VideoSpec:
    """What to generate."""

    codec: str = "libx264"
    width: int = 360
    height: int = 640
    fps: int = 30
    seconds: float = 1.0
    fmt: str | None = None  # container format; from the suffix when None
    options: dict[str, str] = field(default_factory=dict)  # muxer options (movflags...)
    audio: bool = False
    video: bool = True
    rotate: int | None = None  # display rotation in degrees
    moving: bool = True  # frames differ (cover frames tell apart); False keeps long files small
    pix_fmt: str = "yuv420p"


def _encoder_options(codec: str) -> dict[str, str]:
    if codec == "libx264":
        return dict(_X264)
    if codec == "libx265":
        return {"preset": "ultrafast", "x265-params": "bframes=0:keyint=1000:log-level=error"}
    if codec in ("libvpx", "libvpx-vp9"):
        speed = "16" if codec == "libvpx" else "8"
        return {"quality": "realtime", "speed": speed, "lag-in-frames": "0", "g": "1000"}
    if codec == "libsvtav1":
        return {"preset": "12", "svtav1-params": "keyint=1000:scd=0"}
    return {}


def _gop(spec: VideoSpec, frames: int) -> list[tuple[bytes, bool]]:
    """Encode `frames` frames (a gradient, one GOP) and return their packets."""
    codec: Any = av.CodecContext.create(spec.codec, "w")
    codec.width, codec.height = spec.width, spec.height
    codec.pix_fmt = spec.pix_fmt
    codec.time_base = fractions.Fraction(1, spec.fps)
    codec.framerate = fractions.Fraction(spec.fps, 1)
    codec.options = _encoder_options(spec.codec)
    packets: list[tuple[bytes, bool]] = []
    for index in range(frames):
        frame = av.VideoFrame(spec.width, spec.height, spec.pix_fmt)
        for number, plane in enumerate(frame.planes):
            value = ((index * 7 if spec.moving else 0) + number * 60) % 256
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts = index
        packets.extend((bytes(p), p.is_keyframe) for p in codec.encode(frame))
    packets.extend((bytes(p), p.is_keyframe) for p in codec.encode(None))
    return packets


def make_video(path: Path, spec: VideoSpec) -> Path:
    """Write a real video to `path` as `spec` says."""
    out: Any = av.open(str(path), "w", format=spec.fmt, options=spec.options)
    total = round(spec.seconds * spec.fps)
    stream = None
    if spec.video:
        stream = out.add_stream(spec.codec, rate=spec.fps)
        stream.width, stream.height = spec.width, spec.height
        stream.pix_fmt = spec.pix_fmt
        stream.time_base = fractions.Fraction(1, spec.fps)
        if spec.rotate is not None:
            stream.set_display_rotation(spec.rotate)
        stream.codec_context.options = _encoder_options(spec.codec)
    webm = path.suffix == ".webm"
    audio = None
    if spec.audio:
        audio = out.add_stream("libopus" if webm else "aac", rate=48000 if webm else 8000)
        audio.codec_context.layout = "mono"
        audio.codec_context.format = "flt" if webm else "fltp"
    if stream is not None:
        gop = _gop(spec, min(total, spec.fps))
        _mux_repeated(out, stream, gop, total)
    if audio is not None:
        _mux_silence(out, audio, spec.seconds)
    out.close()
    return path


def _mux_repeated(out: Any, stream: Any, gop: list[tuple[bytes, bool]], total: int) -> None:
    tick = fractions.Fraction(1, stream.codec_context.framerate.numerator)
    for index in range(total):
        data, keyframe = gop[index % len(gop)]
        packet = av.Packet(data)
        packet.stream = stream
        packet.time_base = tick  # PyAV rescales to the muxer's time base
        packet.pts = packet.dts = index
        packet.duration = 1
        packet.is_keyframe = keyframe
        out.mux(packet)


def _mux_silence(out: Any, stream: Any, seconds: float) -> None:
    rate = stream.codec_context.sample_rate
    samples = 960 if rate == 48000 else 1024
    for index in range(max(1, round(seconds * rate / samples))):
        frame = av.AudioFrame(
            format=stream.codec_context.format.name, layout="mono", samples=samples
        )
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = rate
        frame.pts = index * samples
        frame.time_base = fractions.Fraction(1, rate)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def padded(path: Path, size: int, *, seed: int = 1) -> None:
    """Grow an MP4/MOV to exactly `size` bytes with a trailing `free` box."""
    import hashlib

    current = path.stat().st_size
    room = size - current
    if room < 16:
        raise ValueError(f"{path.name} is already {current} bytes")
    block = hashlib.sha256(str(seed).encode()).digest() * (1024 * 1024 // 32)
    with path.open("ab") as out:
        out.write(struct.pack(">I4sQ", 1, b"free", room))
        left = room - 16
        while left:
            piece = block[:left]
            out.write(piece)
            left -= len(piece)


def truncated(source: Path, target: Path, *, keep: float = 0.5) -> Path:
    """A copy of `source` cut after `keep` of its bytes (a broken download)."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target
