#!/usr/bin/env bash
# Install the bot with its dev tools into .venv from the hashed lock
# (requirements-dev.lock; regenerate it with `bash scripts/lock.sh`), then lint,
# type-check and run the whole test suite (unit, integration against the
# sandbox, end to end). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_lockfile.sh
install_lock requirements-dev.lock
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy .
.venv/bin/pytest "$@"
