#!/usr/bin/env bash
# The one test command, for developers and CI alike:
#   1. install the app and test dependencies into ./.venv (scripts/setup.sh --dev)
#   2. install Chromium and PostgreSQL from Debian packages when missing
#   3. start a throwaway PostgreSQL on 127.0.0.1 (stopped and deleted on exit)
#   4. check the import contracts (.importlinter)
#   5. run pytest; arguments are passed through, e.g. `bash scripts/test.sh tests/unit -x`
# The exit status is pytest's (5, "no tests collected", counts as a failure).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==> %s\n' "$*"; }
elapsed() { printf '    (%ss)\n' "$((SECONDS - $1))"; }

# -- 1. Python environment ---------------------------------------------------------------------
section "Python environment (.venv)"
t=$SECONDS
bash scripts/setup.sh --dev
elapsed "$t"

# -- 2. System packages ------------------------------------------------------------------------
section "System packages"
t=$SECONDS
have_postgres_server() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
have_postgres_server || missing+=(postgresql)
[[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]] || missing+=(fonts-droid-fallback)  # CJK in PDFs
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    as_root=()
    if [[ $(id -u) != 0 ]]; then
        as_root=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt_install=("${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}")
    if ! "${apt_install[@]}"; then
        echo "install failed; refreshing the package lists and retrying"
        "${as_root[@]}" apt-get update -q
        "${apt_install[@]}"
    fi
else
    echo "chromium, chromium-driver, postgresql and fonts-droid-fallback are installed"
fi
elapsed "$t"

# -- 3. Throwaway PostgreSQL -------------------------------------------------------------------
section "PostgreSQL (throwaway, 127.0.0.1)"
t=$SECONDS
pg_bin=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)
# As root the server runs as `postgres`, which must reach the folder: use /tmp, not $TMPDIR.
if [[ $(id -u) == 0 ]]; then tmp_parent=/tmp; else tmp_parent=${TMPDIR:-/tmp}; fi
pg_tmp=$(mktemp -d "$tmp_parent/decision-desk-pg.XXXXXX")
pg_data=$pg_tmp/data
pg_sock=$pg_tmp/sock
mkdir -p "$pg_sock"

# Run a server command as the `postgres` user when root (the server refuses to run as root),
# as the current user otherwise. Commands start in the temp dir, which that user can read.
as_pg() {
    if [[ $(id -u) == 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd "$pg_tmp" && runuser -u postgres -- "$@")
        else
            (cd "$pg_tmp" && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
        fi
    else
        (cd "$pg_tmp" && "$@")
    fi
}

pg_started=0
stop_postgres() {
    local status=$?
    if ((pg_started)); then
        echo
        echo "==> Stopping PostgreSQL"
        as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$pg_tmp"
    exit "$status"
}
trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $(id -u) == 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo "test.sh: no 'postgres' user to run the server" >&2; exit 1; }
    chown -R postgres: "$pg_tmp"
fi
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$pg_tmp/initdb.log" 2>&1 ||
    { cat "$pg_tmp/initdb.log" >&2; exit 1; }
pg_started=1
as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_tmp/server.log" -w \
    -o "-p $pg_port -k $pg_sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null ||
    { cat "$pg_tmp/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres decision_desk_test
export DD_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/decision_desk_test"
echo "DD_TEST_POSTGRES_URL=$DD_TEST_POSTGRES_URL"
elapsed "$t"

# -- 4. Import contracts -----------------------------------------------------------------------
section "Import contracts (.importlinter)"
t=$SECONDS
.venv/bin/lint-imports --no-logo --no-cache .importlinter
elapsed "$t"

# -- 5. pytest ---------------------------------------------------------------------------------
section "pytest $*"
t=$SECONDS
export DD_CHROMIUM=/usr/bin/chromium
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
elapsed "$t"
echo "pytest exit status: $status"
exit "$status"
