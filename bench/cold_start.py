"""Benchmark: cold start, from `python -m bot` to its first getUpdates.

Run:  .venv/bin/python bench/cold_start.py [--repeat 3]

A fake Telegram Bot API server (emulators/telegram) runs in this process; the
bot runs as `python -m bot run` in a fresh interpreter with a fresh data
directory, configured for it and for a TikTok app (never contacted at start).
Timed from spawning the process until the fake receives getUpdates:

- first start:  a new database, so its tables are created (storage/db.py);
- second start: the same database, the schema already current.

Also the import time of the bot's entry module alone (`import bot.__main__`,
minus a bare interpreter start), the share of start-up that is imports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BotFather's shape, which start-up checks before any request.
BENCH_TOKEN = "1234567:" + "A" * 35
sys.path.insert(0, str(ROOT))

from emulators.telegram import FakeTelegram  # noqa: E402


def free_port() -> int:
    """A free loopback port for the bot's web server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def one_start(tg: FakeTelegram, data_dir: Path, user_id: int) -> tuple[float, float, float]:
    """Seconds from spawning the bot until its first Bot API call, its first getUpdates,
    and its answer to a /start sent while it was starting (what a user waits for)."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TIKTOK_"))},
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.api_base_url,
        "TELEGRAM_FILE_BASE_URL": tg.file_base_url,
        "TIKTOK_CLIENT_KEY": "bench-key",
        "TIKTOK_CLIENT_SECRET": "bench-secret",
        "TIKTOK_API_BASE_URL": "http://127.0.0.1:9",  # never called at start-up
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(port),
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'bot.db'}",
        "PYTHONPATH": str(ROOT),
    }
    seen = len(tg.calls_to("getUpdates"))
    calls_before = len(tg.calls)  # every call, in order
    user = tg.user(user_id)
    await user.send_text("/start")  # waits for the bot, as Telegram holds it
    started = time.perf_counter()
    spawned = time.monotonic()
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=data_dir,  # no .env file here
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        deadline = started + 60
        # The fake records calls; a bench may poll it (bounded by the deadline).
        while len(tg.calls_to("getUpdates")) == seen:
            if bot.returncode is not None or time.perf_counter() > deadline:
                assert bot.stderr is not None
                error = (await bot.stderr.read()).decode()[-2000:]
                raise RuntimeError(f"the bot did not start: {error}")
            await asyncio.sleep(0.002)
        polled = time.perf_counter() - started
        await user.wait_for("I post to", timeout=60)  # the welcome
        answered = time.perf_counter() - started
        first_call = tg.calls[calls_before].time - spawned
        return first_call, polled, answered
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.communicate(), 30)
        except TimeoutError:
            bot.kill()
            await bot.wait()


def import_seconds() -> float:
    """`import bot.__main__` in a fresh interpreter, minus a bare interpreter's start."""

    def timed(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)  # noqa: S603
        return time.perf_counter() - started

    return timed("import bot.__main__") - timed("pass")


def spread(values: list[float]) -> str:
    """min / median / max."""
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


async def main(repeat: int) -> None:
    """Run the starts side by side and print min/median/max."""
    rows: dict[str, list[float]] = {
        "first start: first Bot API call": [],
        "first start: first getUpdates": [],
        "first start: answer to /start": [],
        "second start: first Bot API call": [],
        "second start: first getUpdates": [],
        "second start: answer to /start": [],
        "import bot.__main__ alone": [],
    }
    with tempfile.TemporaryDirectory(prefix="cold-start-") as scratch:
        tg = FakeTelegram(token=BENCH_TOKEN, files_dir=Path(scratch) / "tg-files")
        await tg.start()
        try:
            for attempt in range(repeat):
                data_dir = Path(scratch) / f"data-{attempt}"
                data_dir.mkdir()
                for start in ("first", "second"):
                    user_id = 7000 + attempt * 2 + (start == "second")
                    call, polled, answered = await one_start(tg, data_dir, user_id)
                    rows[f"{start} start: first Bot API call"].append(call)
                    rows[f"{start} start: first getUpdates"].append(polled)
                    rows[f"{start} start: answer to /start"].append(answered)
                rows["import bot.__main__ alone"].append(import_seconds())
                print(
                    f"repeat {attempt + 1}: "
                    + ", ".join(f"{name} {values[-1]:.3f} s" for name, values in rows.items()),
                    flush=True,
                )
        finally:
            await tg.stop()
    print("\nseconds from spawning `python -m bot run`, min / median / max")
    print("(first start: a new database, its tables created; second: the schema is current;")
    print(" target for the first getUpdates < 1 s)")
    for name, values in rows.items():
        print(f"  {name:<36} {spread(values)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    # A deployed bot has its bytecode compiled (pip compiles what it installs,
    # the Docker image too); a checkout run with PYTHONDONTWRITEBYTECODE=1
    # would compile every module at every start instead.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "bot", "handlers", "storage", "emulators"],
        check=True,
        cwd=ROOT,
    )
    asyncio.run(main(parser.parse_args().repeat))
