#!/usr/bin/env bash
# Install the bot into .venv from the hashed lock (requirements.lock; skipped when
# nothing changed since the last run) and run it. With no credentials in .env it
# explains what is missing and falls back to the offline demo (no Telegram
# token) or sandbox mode (no TikTok app). Extra arguments go to `python -m bot`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_lockfile.sh
install_lock requirements.lock
exec .venv/bin/python -m bot "$@"
