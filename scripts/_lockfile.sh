# Sourced by run.sh and test.sh: install a hashed lock file into .venv, from PyPI only,
# and only when the lock changed since the last install.
#   install_lock <lock file>

# Only PyPI: ignore machine-wide pip configuration (extra indexes, local wheel dirs).
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_NO_INDEX
PYPI="https://pypi.org/simple"

install_lock() {
    local lock="$1"
    local expected actual stamp want
    expected="$(sed -n '1s/^# inputs-sha256: //p' "$lock")"
    actual="$(python3 scripts/lock_inputs.py)"
    if [ "$expected" != "$actual" ]; then
        echo "$lock is stale: pyproject.toml's dependencies changed since it was made." >&2
        echo "Run: bash scripts/lock.sh   (then commit the updated lock files)" >&2
        exit 1
    fi
    PYTHON="${PYTHON:-python3}"
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    stamp=".venv/.installed-$(basename "$lock")"
    want="$(sha256sum "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0  # nothing changed since the last install
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        --index-url "$PYPI" --require-hashes --no-deps -r "$lock"
    # The project itself: its dependencies came from the lock, its build backend too.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        --no-deps --no-build-isolation -e .
    echo "$want" > "$stamp"
}
