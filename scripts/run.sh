#!/usr/bin/env bash
# Install the bot into .venv and run it. With no credentials in .env it
# explains what is missing and falls back to the offline demo (no Telegram
# token) or sandbox mode (no TikTok app). Extra arguments go to `python -m bot`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/python -m bot "$@"
