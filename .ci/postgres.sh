# Sourced by .ci/run: a throwaway PostgreSQL cluster for the test suite.
#
# start_postgres installs Debian's postgresql if needed (root only), creates a
# cluster in a temporary directory owned by an unprivileged user (postgres when
# running as root, else the current user), starts it on a free loopback port
# and exports TEST_DATABASE_URL. stop_postgres stops it and removes the files.

PG_DIR=""
PG_RUN=()

_pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    if [ -z "$dir" ]; then
        echo "PostgreSQL is not installed: run 'apt-get install postgresql' (Debian) first." >&2
        return 1
    fi
    echo "$dir"
}

_free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_postgres() {
    local bin port attempt
    bin=$(_pg_bin)
    PG_DIR=$(mktemp -d /tmp/ci-postgres.XXXXXX)
    chmod 755 "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_DIR"
        PG_RUN=(runuser -u postgres --)
    fi
    "${PG_RUN[@]}" "$bin/initdb" -D "$PG_DIR/data" -U bot --auth=trust -E UTF8 --no-locale >"$PG_DIR/initdb.log"
    # A port picked now may be taken before the server binds it: try a few.
    for attempt in 1 2 3 4 5; do
        port=$(_free_port)
        if "${PG_RUN[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
            export TEST_DATABASE_URL="postgresql+asyncpg://bot@127.0.0.1:$port/postgres"
            echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port"
            return 0
        fi
        echo "PostgreSQL did not start on port $port (attempt $attempt):" >&2
        tail -n 5 "$PG_DIR/server.log" >&2 || true
    done
    return 1
}

stop_postgres() {
    local bin
    if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
        "${PG_RUN[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    PG_DIR=""
}
