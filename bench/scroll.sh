#!/usr/bin/env bash
# Frame times while scrolling a 100k-row audit log in the real window (Xvfb, software rendering:
# a floor, not what a desktop with a GPU sees). Prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm --prefix ui run build >/dev/null
cargo build -p whodis-admin --features custom-protocol
mkdir -p "$CARGO_TARGET_DIR/e2e"
cp "$CARGO_TARGET_DIR/debug/whodis-admin" "$CARGO_TARGET_DIR/e2e/whodis-admin"
dbus-run-session -- sh scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  node bench/scroll.mjs --app "$CARGO_TARGET_DIR/e2e/whodis-admin" "$@"
