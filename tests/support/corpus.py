"""The video corpus TikTok's rules are tested on, generated once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.videos import VideoSpec, make_video, truncated

SPECS: dict[str, VideoSpec] = {
    "plain.mp4": VideoSpec(),
    "faststart.mp4": VideoSpec(options={"movflags": "+faststart"}),
    "fragmented.mp4": VideoSpec(seconds=3, options={"movflags": "frag_keyframe+empty_moov"}),
    "rotated.mov": VideoSpec(width=640, height=360, rotate=90),
    "hevc.mp4": VideoSpec(codec="libx265"),
    "vp9.webm": VideoSpec(codec="libvpx-vp9"),
    "vp8.webm": VideoSpec(codec="libvpx", audio=True),
    "live.webm": VideoSpec(codec="libvpx-vp9", seconds=2, options={"live": "1"}),
    "clip.mkv": VideoSpec(fmt="matroska"),
    "fps10.mp4": VideoSpec(fps=10),
    "fps120.mp4": VideoSpec(fps=120, seconds=0.5),
    "small.mp4": VideoSpec(width=240, height=320),
    "audio_only.mp4": VideoSpec(video=False, audio=True),
    "av1.mp4": VideoSpec(codec="libsvtav1"),
    "long600_4.mp4": VideoSpec(fps=25, seconds=600.4, moving=False),
    "long601.mp4": VideoSpec(fps=25, seconds=601, moving=False),
    "long600.mp4": VideoSpec(fps=25, seconds=600, moving=False),
    "clip.3gp": VideoSpec(fmt="3gp"),
    "mjpeg.mov": VideoSpec(codec="mjpeg", pix_fmt="yuvj420p"),
}


def build(folder: Path) -> dict[str, Path]:
    """Write every corpus file into `folder`; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: make_video(folder / name, spec) for name, spec in SPECS.items()}
    files["cut_faststart.mp4"] = truncated(files["faststart.mp4"], folder / "cut_faststart.mp4")
    files["cut_moov_end.mp4"] = truncated(files["plain.mp4"], folder / "cut_moov_end.mp4")
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    files["empty.mp4"] = empty
    return files


def copy(files: dict[str, Path], name: str, target: Path) -> Path:
    """A private copy of a corpus file (for tests that move or change it)."""
    return Path(shutil.copy(files[name], target))
