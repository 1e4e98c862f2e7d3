"""A small real video made on the spot (the demo posts it: TikTok's checks must pass)."""

from __future__ import annotations

import fractions
import io
from typing import Any

import av


def sample_video(seconds: int = 14, *, width: int = 360, height: int = 640, fps: int = 25) -> bytes:
    """An H.264 MP4 of `seconds`: one second encoded, its packets repeated (cheap at any length)."""
    out_file = io.BytesIO()
    out: Any = av.open(out_file, "w", format="mp4")
    stream = out.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    codec: Any = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.time_base = fractions.Fraction(1, fps)
    # Closed groups of pictures without B-frames: packets can be repeated verbatim.
    codec.options = {"preset": "ultrafast", "tune": "zerolatency", "bf": "0", "g": str(fps)}
    packets = []
    for index in range(fps):
        frame = av.VideoFrame(width, height, "yuv420p")
        for number, plane in enumerate(frame.planes):
            plane.update(bytes([(index * 9 + number * 70) % 256]) * plane.buffer_size)
        frame.pts = index
        packets += [(bytes(p), p.is_keyframe) for p in codec.encode(frame)]
    packets += [(bytes(p), p.is_keyframe) for p in codec.encode(None)]
    tick = fractions.Fraction(1, fps)
    for index in range(seconds * fps):
        data, keyframe = packets[index % len(packets)]
        packet = av.Packet(data)
        packet.stream, packet.time_base = stream, tick
        packet.pts = packet.dts = index
        packet.duration, packet.is_keyframe = 1, keyframe
        out.mux(packet)
    out.close()
    return out_file.getvalue()
