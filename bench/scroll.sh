#!/usr/bin/env bash
# Frame times while scrolling a 100k-row audit log in the real window (Xvfb, no GPU). Prints
# numbers. `--release` measures an optimized build (as shipped) instead of the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
profile=debug
args=()
for a in "$@"; do
  if [ "$a" = --release ]; then profile=release; else args+=("$a"); fi
done
npm --prefix ui run build >/dev/null
if [ "$profile" = release ]; then
  cargo build --release -p whodis-admin --features custom-protocol
else
  cargo build -p whodis-admin --features custom-protocol
fi
mkdir -p "$CARGO_TARGET_DIR/bench"
cp "$CARGO_TARGET_DIR/$profile/whodis-admin" "$CARGO_TARGET_DIR/bench/whodis-admin"
dbus-run-session -- sh scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  node bench/scroll.mjs --app "$CARGO_TARGET_DIR/bench/whodis-admin" ${args[@]+"${args[@]}"}
