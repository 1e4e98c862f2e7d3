"""Benchmark: peak memory converting a 35-photo album of 48 MP phone photos.

Run:  .venv/bin/python bench/photo_album_rss.py [--photos 35] [--keep DIR]

The photos (8000x6000 JPEGs with a phone-like amount of detail, 4:2:0, EXIF
orientation 6) are generated first in a separate process; the conversion
then runs in a FRESH process, exactly as publishing runs it (prepare_photo
in the bounded photo pool, all 35 submitted at once), so its peak RSS
(ru_maxrss) belongs to the conversion alone. Also reported: one 48 MP PNG
(no reduced-scale decoding for PNG) and a 9400x9400 PNG (refused by header).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_GENERATE = """
import sys
from pathlib import Path
from PIL import Image
folder = Path(sys.argv[1])
noise = Image.effect_noise((8000, 6000), 40).convert("L")
gradient = Image.linear_gradient("L").resize((8000, 6000))
photo = Image.merge("RGB", (noise, gradient, Image.eval(noise, lambda v: 255 - v)))
exif = Image.Exif()
exif[0x0112] = 6
photo.save(folder / "phone.jpg", "JPEG", quality=90, exif=exif.tobytes())
photo.save(folder / "phone.png", "PNG", compress_level=1)
Image.new("L", (9400, 9400), 90).save(folder / "huge.png", "PNG")
"""

_CONVERT = """
import asyncio, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bot.media.photos import PhotoUnusable, prepare_photo
from bot.media.pool import in_photo_pool

async def main():
    sources = [Path(p) for p in json.loads(sys.argv[2])]
    out = Path(sys.argv[3])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    async def one(n, source):
        try:
            return (await in_photo_pool(prepare_photo, source, out / f"{n}.jpg")).size
        except PhotoUnusable as refused:
            return type(refused).__name__
    results = await asyncio.gather(*(one(n, s) for n, s in enumerate(sources)))
    print(json.dumps({
        "photos": len(sources),
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(before / 1024, 1),
        "results": sorted({str(r) if isinstance(r, str) else "converted" for r in results}),
    }))

asyncio.run(main())
"""


def run(code: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def convert(sources: list[Path], out: Path) -> dict[str, object]:
    out.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = json.loads(
        run(_CONVERT, str(ROOT), json.dumps([str(s) for s in sources]), str(out))
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=35)
    parser.add_argument("--keep", type=Path, help="folder for the generated photos (reused)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "huge.png").exists():
            started = time.perf_counter()
            run(_GENERATE, str(folder))
            print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        jpeg = folder / "phone.jpg"
        print(f"one photo: 8000x6000 JPEG, {jpeg.stat().st_size / 2**20:.1f} MiB")
        print("album-48mp-jpeg", convert([jpeg] * args.photos, Path(scratch) / "a"))
        print("one-48mp-png   ", convert([folder / "phone.png"], Path(scratch) / "b"))
        print("9400x9400-png  ", convert([folder / "huge.png"], Path(scratch) / "c"))


if __name__ == "__main__":
    main()
