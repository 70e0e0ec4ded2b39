#!/usr/bin/env bash
# Runs the desktop app on the embedded SQLite database; the first run creates it, migrates it
# and fills it with demo data. Extra arguments go to whodis-admin (e.g. --database URL).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm --prefix ui run build
cargo build -p whodis-admin --features custom-protocol
exec "$CARGO_TARGET_DIR/debug/whodis-admin" "$@"
