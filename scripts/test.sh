#!/usr/bin/env bash
# Runs every test: formatting and lint, unit tests, the store tests on SQLite AND PostgreSQL,
# the CLI as a subprocess, the Fernet interop with Python, and the real Secret Service keyring.
# Fails when any of them fails; never skips a backend.
set -euo pipefail
cd "$(dirname "$0")/.."
export WHODIS_NEED_POSTGRES=1
source scripts/setup.sh

# PostgreSQL: start the local cluster if it is installed but stopped.
PG_URL="${WHODIS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export WHODIS_TEST_PG_URL="$PG_URL"
# (the server WHODIS_TEST_PG_URL names; a local cluster that is installed but stopped is started)
if ! pg_isready -q -d "$PG_URL" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "test: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -d "$PG_URL" && break; sleep 1; done
  fi
fi
if ! pg_isready -q -d "$PG_URL"; then
  echo "test: PostgreSQL is not reachable at $PG_URL; the PostgreSQL half cannot run" >&2
  exit 1
fi
if ! psql "$PG_URL" -qAtc 'select 1' >/dev/null 2>&1; then
  # a fresh Debian cluster only lets the postgres OS user in: allow local trust for tests
  echo "test: cannot log in with $PG_URL; set WHODIS_TEST_PG_URL to an admin URL" >&2
  exit 1
fi

# The WhoDis server's own stack (SQLAlchemy, psycopg2, cryptography) for the interop tests.
if ! python3 -c 'import cryptography, sqlalchemy, psycopg2' 2>/dev/null; then
  python3 -m pip install --quiet -r tests/server/requirements.txt 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages -r tests/server/requirements.txt
fi

# The UI: type-check, lint, unit tests, then the build the app embeds (ui/dist).
npm --prefix ui run typecheck
npm --prefix ui run lint
npm --prefix ui test
npm --prefix ui run build

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

log="$(mktemp)"
status=0
# The whole suite runs inside a private D-Bus session with an unlocked gnome-keyring, so the
# keyring tests use a real Secret Service.
dbus-run-session -- sh scripts/with-keyring.sh cargo test --workspace --no-fail-fast 2>&1 | tee "$log" \
  || status=$?
# The keyring locked mid-session: alone in a D-Bus session of its own, since the lock is global
# to the session and must not reach the tests above.
dbus-run-session -- sh scripts/with-keyring.sh \
  cargo test -p whodis-admin --test fault_keyring_locked -- --ignored 2>&1 | tee -a "$log" \
  || status=1

# End to end: the real window, UI embedded, driven through tauri-driver under Xvfb, on a fresh
# demo database of each backend (screenshots in tests/artifacts/e2e/).
if ! command -v tauri-driver >/dev/null 2>&1; then
  cargo install tauri-driver --locked --version 2.1.0
fi
cargo build -p whodis-admin --features custom-protocol
# cargo test rebuilds the binary without the embedded UI; the e2e run keeps its own copy
mkdir -p "$CARGO_TARGET_DIR/e2e"
cp "$CARGO_TARGET_DIR/debug/whodis-admin" "$CARGO_TARGET_DIR/e2e/whodis-admin"
for backend in sqlite postgres; do
  dbus-run-session -- sh scripts/with-keyring.sh \
    xvfb-run -a -s "-screen 0 1280x800x24" \
    node e2e/run.mjs --app "$CARGO_TARGET_DIR/e2e/whodis-admin" --backend "$backend" \
      --pg-url "$PG_URL" --out "$PWD/tests/artifacts/e2e" 2>&1 | tee -a "$log" \
    || status=1
done

# The packages as a user gets them: the release build bundled into .deb and .rpm, then the .deb
# installed with apt and its app launched on a fresh HOME (needs root; says so and skips otherwise).
if bash scripts/package.sh && bash scripts/test-package.sh; then
  echo "test: the package passed" | tee -a "$log"
else
  echo "test: the package FAILED" | tee -a "$log"
  status=1
fi

sqlite=$(grep -cE '::sqlite \.\.\. ok$' "$log" || true)
postgres=$(grep -cE '::postgres \.\.\. ok$' "$log" || true)
passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
echo
echo "backends: ${sqlite} tests passed on SQLite, ${postgres} on PostgreSQL"
echo "${passed} passed, ${failed} failed"
# the same tests must have passed on both backends: compare their names, not just how many
passed_on() { sed -nE "s/^test (.*)::$1 \.\.\. ok$/\1/p" "$log" | sort; }
only_one="$(comm -3 <(passed_on sqlite) <(passed_on postgres))"
if [ "$sqlite" -eq 0 ] || [ "$postgres" -eq 0 ] || [ -n "$only_one" ]; then
  echo "test: every store test must pass on both backends; passed on one only:" >&2
  echo "$only_one" >&2
  status=1
fi
rm -f "$log"
exit "$status"
