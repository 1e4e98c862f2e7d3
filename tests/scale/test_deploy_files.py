"""The deployment files agree with the Settings contract (they cannot be built here: no registry).

Parsed, not pattern-matched where a parser exists: compose.yaml with PyYAML,
the Dockerfile, Caddyfile and systemd unit line by line.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from cryptography.fernet import Fernet

from bot.config import WEBHOOK_PATH, Settings

REPO = Path(__file__).resolve().parents[2]
SETTINGS_VARS = {name.upper() for name in Settings.model_fields}
# What an operator puts in .env (README "Deploy").
ENV_FILE = {
    "POSTGRES_PASSWORD": "pg-secret",
    "TELEGRAM_API_ID": "12345",
    "TELEGRAM_API_HASH": "0123456789abcdef",
    "TELEGRAM_WEBHOOK_SECRET": "webhook-secret",
    "TOKEN_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "DOMAIN": "bot.example.com",
}
_VARIABLE = re.compile(r"\$\{(\w+)(?::\?[^}]*)?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Docker compose's ${NAME} and ${NAME:?message}: a missing name is an error."""
    return _VARIABLE.sub(lambda m: env[m.group(1)], value)


def compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def bot_environment() -> dict[str, str]:
    service = compose()["services"]["bot"]
    return {k: interpolate(str(v), ENV_FILE) for k, v in service["environment"].items()}


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """Mount target -> source volume, for "volume:/path[:ro]" entries."""
    found = {}
    for entry in service.get("volumes", []):
        source, target, *_ = entry.split(":")
        found[target] = source
    return found


def dockerfile_stages() -> dict[str, list[str]]:
    """Stage name -> its instructions (continuation lines joined)."""
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            name = line.split()[-1] if " AS " in line.upper() else f"stage{len(stages)}"
            current = stages.setdefault(name, [])
        current.append(line)
    return stages


def test_every_bot_variable_is_a_setting_and_the_values_validate() -> None:
    env = bot_environment()
    assert set(env) <= SETTINGS_VARS, set(env) - SETTINGS_VARS
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})  # type: ignore[arg-type]
    assert settings.missing_for_scale_out() == []
    assert settings.telegram_webhook and settings.telegram_local_mode
    assert settings.public_base_url == "https://bot.example.com"
    assert settings.webhook_url == "https://bot.example.com" + WEBHOOK_PATH
    assert settings.database_url.startswith("postgresql+asyncpg://")


def test_services_reach_each_other_on_the_declared_ports() -> None:
    services = compose()["services"]
    env = bot_environment()
    database = urlsplit(env["DATABASE_URL"])
    assert database.hostname == "db" and database.port == 5432
    assert database.username == services["db"]["environment"]["POSTGRES_USER"]
    assert database.path == "/" + services["db"]["environment"]["POSTGRES_DB"]
    api = urlsplit(env["TELEGRAM_API_BASE_URL"])
    files = urlsplit(env["TELEGRAM_FILE_BASE_URL"])
    assert api.hostname == files.hostname == "telegram-bot-api"
    entry = next(i for i in dockerfile_stages()["telegram-bot-api"] if i.startswith("ENTRYPOINT"))
    assert f"--http-port={api.port}" in entry and f"--http-port={files.port}" in entry
    assert "--local" in entry
    assert (api.path, files.path) == ("/bot", "/file/bot")
    assert services["bot"]["expose"] == [env["WEB_PORT"]]
    assert env["WEB_HOST"] == "0.0.0.0"  # reachable from Caddy's container
    caddy = (REPO / "deploy" / "Caddyfile").read_text()
    assert f"reverse_proxy bot:{env['WEB_PORT']}" in caddy
    assert services["caddy"]["ports"] == ["80:80", "443:443"]
    assert "{$DOMAIN}" in caddy and "DOMAIN" in services["caddy"]["environment"]


def test_the_bot_api_files_volume_is_shared_at_the_same_path() -> None:
    services = compose()["services"]
    api_mounts = mounts(services["telegram-bot-api"])
    bot_mounts = mounts(services["bot"])
    entry = next(i for i in dockerfile_stages()["telegram-bot-api"] if i.startswith("ENTRYPOINT"))
    api_dir = re.search(r"--dir=([^\"]+)", entry)
    assert api_dir is not None
    path = api_dir.group(1)
    assert path in api_mounts and bot_mounts.get(path) == api_mounts[path]
    assert bot_mounts[bot_environment()["DATA_DIR"]] in compose()["volumes"]
    assert api_mounts[path] in compose()["volumes"]


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    stages = dockerfile_stages()
    assert list(stages)[-1] == "bot"  # the default target
    bot = stages["bot"]
    users = [i.split()[1] for i in bot if i.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    health = next(i for i in bot if i.startswith("HEALTHCHECK"))
    assert "/healthz" in health
    env_line = " ".join(i for i in bot if i.startswith("ENV "))
    assert "WEB_PORT=8080" in env_line and "WEB_HOST=0.0.0.0" in env_line
    assert f"DATA_DIR={bot_environment()['DATA_DIR']}" in env_line
    assert any(i.startswith("COPY --from=bot-build") for i in bot)
    assert not any("apt-get install" in i and "gcc" in i for i in bot)  # no compilers at runtime
    build = " ".join(stages["bot-build"])
    assert "requirements.lock" in build and "--require-hashes" in build
    api = stages["telegram-bot-api"]
    assert any(i.startswith("COPY --from=telegram-bot-api-build") for i in api)
    assert [i.split()[1] for i in api if i.startswith("USER ")] == ["botapi"]
    compose_services = compose()["services"]
    assert compose_services["bot"]["build"]["target"] == "bot"
    assert compose_services["telegram-bot-api"]["build"]["target"] == "telegram-bot-api"


def unit_file(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit's sections as (key, value) lists: keys like Environment= repeat."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        key, value = line.split("=", 1)
        current.append((key.strip(), value.strip()))
    return sections


def test_systemd_unit_runs_the_bot_as_a_plain_user() -> None:
    unit = unit_file(REPO / "deploy" / "tiktok-bot.service")
    service = dict(unit["Service"])
    assert service["User"] not in ("root", "0")
    command = shlex.split(service["ExecStart"])
    assert command[0].startswith("/") and command[1:] == ["-m", "bot", "run"]
    assert service["KillSignal"] == "SIGTERM"
    environment = dict(v.split("=", 1) for k, v in unit["Service"] if k == "Environment")
    assert set(environment) <= SETTINGS_VARS
    assert environment["DATA_DIR"] == service["WorkingDirectory"]
    assert environment["DATA_DIR"] in service["ReadWritePaths"].split()
    assert dict(unit["Install"])["WantedBy"] == "multi-user.target"
