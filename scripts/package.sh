#!/usr/bin/env bash
# Builds the release app and its Linux packages: .deb and .rpm (Tauri's own bundlers, nothing
# downloaded). `--appimage` adds the AppImage, whose bundler downloads linuxdeploy from GitHub:
# use it only where that is reachable. Prints each artifact with its size.
#
#   bash scripts/package.sh [--appimage]
set -euo pipefail
cd "$(dirname "$0")/.."
bundles=deb,rpm
if [ "${1:-}" = "--appimage" ]; then
  bundles=deb,rpm,appimage
fi
source scripts/setup.sh
# tauri build runs beforeBuildCommand (the UI build) and builds the app with the UI embedded
(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles "$bundles")

out="$CARGO_TARGET_DIR/release"
echo
echo "package: artifacts (sizes in bytes)"
for f in "$out/whodis-admin" "$out"/bundle/deb/*.deb "$out"/bundle/rpm/*.rpm "$out"/bundle/appimage/*.AppImage; do
  if [ -f "$f" ]; then printf '%12d  %s\n' "$(stat -c %s "$f")" "$f"; fi
done
