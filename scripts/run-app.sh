#!/usr/bin/env bash
# Runs the desktop app on the embedded SQLite database; the first run creates it, migrates it
# and fills it with demo data. Builds the release app (what the packages ship: devtools off);
# `--debug` builds the developer's app instead (devtools on, much faster to rebuild).
# Other arguments go to whodis-admin (e.g. --database URL).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  shift
fi
source scripts/setup.sh
npm --prefix ui run build
if [ "$profile" = release ]; then
  cargo build --release -p whodis-admin --features custom-protocol
else
  cargo build -p whodis-admin --features custom-protocol
fi
exec "$CARGO_TARGET_DIR/$profile/whodis-admin" "$@"
