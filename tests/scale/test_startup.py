"""Start-up on a shared database: racing migrations, a schema newer than the code, shared keys."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text

from bot.config import Settings
from storage.db import Database, SchemaTooNew, alembic_config
from storage.schema_version import code_heads
from tests.support.databases import isolated_database

REPO = Path(__file__).resolve().parents[2]
PROCESSES = 10


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TIKTOK_"))}
    env.update(DATABASE_URL=database_url, DATA_DIR=str(tmp_path / "data"), **extra)
    return env


async def _stored(url: str) -> set[str]:
    db = Database(url)
    try:
        async with db.engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    finally:
        await db.dispose()


async def test_ten_processes_migrating_an_empty_database_at_once_all_succeed(
    tmp_path: Path,
) -> None:
    async with isolated_database(tmp_path) as url:
        env = _env(tmp_path, url)
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "db",
                "upgrade",
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(PROCESSES)
        ]
        results = [await p.communicate() for p in processes]
        failures = [
            err.decode() for p, (_out, err) in zip(processes, results, strict=True) if p.returncode
        ]
        assert failures == []
        assert await _stored(url) == set(code_heads())


async def test_a_database_newer_than_the_code_is_refused_in_one_line(tmp_path: Path) -> None:
    async with isolated_database(tmp_path) as url:
        db = Database(url)
        try:
            await db.upgrade()
            async with db.engine.begin() as connection:
                await connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
            try:
                await db.upgrade()
            except SchemaTooNew as refused:
                assert "9999" in str(refused)
            else:
                raise AssertionError("upgrade ran against a newer schema")
        finally:
            await db.dispose()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "db",
            "upgrade",
            cwd=tmp_path,
            env=_env(tmp_path, url),
            stderr=subprocess.PIPE,
        )
        _, err = await process.communicate()
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "ERROR" in lines[0]
    assert "refusing to start: The database schema (revision 9999)" in lines[0]
    assert "newer release" in lines[0]


async def test_a_current_database_starts_without_importing_alembic(tmp_path: Path) -> None:
    script = (
        "import asyncio, sys\n"
        "from storage.db import Database\n"
        "async def main():\n"
        "    db = Database(sys.argv[1])\n"
        "    await db.upgrade()\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        "print('alembic' in sys.modules)\n"
    )

    async def alembic_loaded(url: str) -> str:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, url, cwd=REPO, stdout=subprocess.PIPE
        )
        out, _ = await process.communicate()
        assert process.returncode == 0
        return out.decode().strip()

    async with isolated_database(tmp_path / "new") as url:
        assert await alembic_loaded(url) == "False"  # empty: the models' tables, stamped
        assert await alembic_loaded(url) == "False"  # at head: one SELECT, no alembic
    async with isolated_database(tmp_path / "behind") as url:
        behind = Database(url)
        try:
            async with behind.engine.begin() as connection:
                await connection.run_sync(
                    lambda sync: command.upgrade(alembic_config(sync), "teams01")
                )
        finally:
            await behind.dispose()
        assert await alembic_loaded(url) == "True"  # a migration to run: alembic runs it
        assert await alembic_loaded(url) == "False"


def test_postgresql_or_webhook_without_a_shared_key_refuses_in_one_line(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        TELEGRAM_BOT_TOKEN="123:abc",
        TIKTOK_CLIENT_KEY="key",
        TIKTOK_CLIENT_SECRET="secret",
        TELEGRAM_WEBHOOK="true",
        TELEGRAM_WEBHOOK_SECRET="s3cret",
    )
    env.pop("TOKEN_ENCRYPTION_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("missing: TOKEN_ENCRYPTION_KEY is not set but TELEGRAM_WEBHOOK=true")


def test_the_shared_key_is_required_on_postgresql_and_in_webhook_mode() -> None:
    def problems(**values: Any) -> list[str]:
        return Settings(_env_file=None, **values).missing_for_scale_out()

    assert problems() == []
    assert "DATABASE_URL is PostgreSQL" in problems(database_url="postgresql+asyncpg://h/db")[0]
    assert "TELEGRAM_WEBHOOK=true" in problems(telegram_webhook=True)[0]
    assert "TELEGRAM_WEBHOOK=true" in problems(telegram_webhook=True, token_encryption_key="")[0]
    assert problems(telegram_webhook=True, token_encryption_key="k") == []
