"""Benchmark: how long a job waits after its process is killed (kill -9) and restarted.

Run:  .venv/bin/python bench/crash_resume.py [--lease-seconds 10] [--runs 3]

The TikTok sandbox and the fake Telegram server run in this process; the bot
runs in a child process (the real BotApp, its own event loop and database
connection). A scripted user links an account and posts a video; the
sandbox keeps it "processing" so the job sits in the worker's status loop.
Then the child is killed with SIGKILL (no lease given back, no cleanup) and
a new child is started on the same database. Measured, on the wall clock:

- kill -> resume: until the new process asks TikTok for the job's status;
- start -> resume: the same, from the moment the new process was spawned.

`--lease-seconds 60` reproduces the lease the worker used before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# BotFather's shape, which start-up checks before any request.
BENCH_TOKEN = "1234567:" + "A" * 35
sys.path.insert(0, str(ROOT))

STATUS_FETCH = "/v2/post/publish/status/fetch/"


def child(config_path: str) -> None:
    """Run the bot until killed."""
    from bot.app import BotApp, RunOptions, run_until_stopped
    from bot.config import Settings
    from bot.publishing.jobs import PublishTuning

    config = json.loads(Path(config_path).read_text())
    settings = Settings(_env_file=None, **config["settings"])
    options = RunOptions(
        poll_timeout=1,
        rate_limiter=False,
        publishing=PublishTuning(lease_seconds=config["lease_seconds"]),
    )
    asyncio.run(run_until_stopped(BotApp(settings, options), asyncio.Event()))


def spawn(config_path: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--child", str(config_path)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


async def wait(check: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)  # polling another process's effects: nothing to await


async def one_run(lease_seconds: float, scratch: Path) -> tuple[float, float]:
    import httpx

    from emulators.telegram import FakeTelegram
    from emulators.tiktok import SandboxAccount, TikTokSandbox
    from tests.support.harness import (
        CLIENT_KEY,
        CLIENT_SECRET,
        free_port,
        link_in_chat,
        sandbox_app,
    )
    from tests.support.media import mp4_bytes

    port = free_port()
    public = f"http://127.0.0.1:{port}"
    sandbox = TikTokSandbox(
        apps=[sandbox_app(public)],
        accounts=[
            SandboxAccount(
                open_id="open-ana", username="ana", display_name="Ana", processing_seconds=3600
            )
        ],
    )
    await sandbox.start()
    tg = FakeTelegram(token=BENCH_TOKEN, files_dir=scratch / "tg-files")
    await tg.start()
    data_dir = scratch / "data"
    config = {
        "lease_seconds": lease_seconds,
        "settings": {
            "telegram_bot_token": tg.token,
            "telegram_api_base_url": tg.api_base_url,
            "telegram_file_base_url": tg.file_base_url,
            "tiktok_client_key": CLIENT_KEY,
            "tiktok_client_secret": CLIENT_SECRET,
            "tiktok_api_base_url": sandbox.base_url,
            "tiktok_auth_url": sandbox.base_url + "/v2/auth/authorize/",
            "public_base_url": public,
            "web_host": "127.0.0.1",
            "web_port": port,
            "database_url": f"sqlite+aiosqlite:///{data_dir / 'bot.db'}",
            "data_dir": str(data_dir),
            "tiktok_app_audited": True,
        },
    }
    config_path = scratch / "config.json"
    config_path.write_text(json.dumps(config))
    log = scratch / "bot.log"
    browser = httpx.AsyncClient(timeout=30)
    first = spawn(config_path, log)
    second: subprocess.Popen[bytes] | None = None
    try:
        user = tg.user(1001, first_name="Ana", username="ana")
        await link_in_chat(user, browser)
        await user.send_video(mp4_bytes(5.0), duration=5)
        composer = await user.wait_for("Posting to", timeout=30)
        await user.tap(composer, "🔒 Only me")
        composer = await user.wait_for(
            lambda m: any(b.text == "✅ 🔒 Only me" for r in m.buttons for b in r), timeout=30
        )
        await user.tap(composer, "🚀 Post to TikTok")

        def polls() -> int:
            return len([r for r in sandbox.requests if r.path == STATUS_FETCH])

        await wait(lambda: polls() > 0, 60, "the job never reached processing")
        first.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        first.wait()
        seen = polls()
        second = spawn(config_path, log)
        started = time.monotonic()
        await wait(lambda: polls() > seen, 300, "the job was never resumed")
        resumed = time.monotonic()
        return resumed - killed, resumed - started
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        await browser.aclose()
        await tg.stop()
        await sandbox.stop()


async def main(lease_seconds: float, runs: int) -> None:
    results = []
    for n in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            kill_to_resume, start_to_resume = await one_run(lease_seconds, Path(scratch))
        results.append((kill_to_resume, start_to_resume))
        print(
            f"run {n + 1}: kill -> resume {kill_to_resume:.1f} s, "
            f"start -> resume {start_to_resume:.1f} s (lease {lease_seconds:g} s)",
            flush=True,
        )
    worst = max(r[0] for r in results)
    print(f"worst kill -> resume over {runs} runs: {worst:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--lease-seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("PYTHONUNBUFFERED", "1")
        child(args.child)
    else:
        asyncio.run(main(args.lease_seconds, args.runs))
