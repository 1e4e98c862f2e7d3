# syntax=docker/dockerfile:1
# Two images from one file:
#   docker build --target bot .                (the default, last stage)
#   docker build --target telegram-bot-api .   (Telegram's Bot API server, built from source)
# compose.yaml builds both.

# --- Telegram's Bot API server (--local: files up to 2000 MB) ------------------------------
FROM debian:bookworm-slim AS telegram-bot-api-build
# A tag or commit of https://github.com/tdlib/telegram-bot-api; pin it for repeatable builds.
ARG TELEGRAM_BOT_API_REF=master
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates git make cmake g++ gperf zlib1g-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
RUN git clone --recursive https://github.com/tdlib/telegram-bot-api.git /src \
 && git -C /src checkout "$TELEGRAM_BOT_API_REF" \
 && git -C /src submodule update --init --recursive
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target install -j"$(nproc)"

FROM debian:bookworm-slim AS telegram-bot-api
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/telegram-bot-api botapi \
 && mkdir -p /var/lib/telegram-bot-api && chown botapi /var/lib/telegram-bot-api
COPY --from=telegram-bot-api-build /usr/local/bin/telegram-bot-api /usr/local/bin/telegram-bot-api
USER botapi
EXPOSE 8081
# --api-id/--api-hash default to TELEGRAM_API_ID/TELEGRAM_API_HASH (from my.telegram.org).
ENTRYPOINT ["telegram-bot-api", "--local", "--http-port=8081", "--dir=/var/lib/telegram-bot-api"]

# --- the bot: dependencies in a virtualenv, built apart from the runtime image ---------------
FROM python:3.11-slim AS bot-build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md requirements.lock* ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY emulators ./emulators
# The lock file (hash-pinned) when the project has one; otherwise pyproject's ranges.
RUN python -m venv /opt/venv \
 && if [ -f requirements.lock ]; then \
      /opt/venv/bin/pip install --require-hashes -r requirements.lock \
      && /opt/venv/bin/pip install --no-deps ".[postgres]" \
      && (/opt/venv/bin/python -c "import asyncpg" 2>/dev/null \
          || /opt/venv/bin/pip install "asyncpg>=0.29,<1"); \
    else \
      /opt/venv/bin/pip install ".[postgres]"; \
    fi

FROM python:3.11-slim AS bot
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    WEB_HOST=0.0.0.0 WEB_PORT=8080 DATA_DIR=/var/lib/tiktok-bot
# uid 10001 on both images: the bot reads the files telegram-bot-api writes to the shared volume.
RUN useradd --system --uid 10001 --home-dir /var/lib/tiktok-bot bot \
 && mkdir -p /var/lib/tiktok-bot && chown bot /var/lib/tiktok-bot
COPY --from=bot-build /opt/venv /opt/venv
USER bot
WORKDIR /var/lib/tiktok-bot
EXPOSE 8080
# 503 from /healthz (database unreachable, worker stalled) makes urlopen raise: unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WEB_PORT', '8080'), timeout=8)"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
