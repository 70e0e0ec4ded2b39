#!/usr/bin/env bash
# Tests the .deb that scripts/package.sh built, as a user gets it: installs it with apt (which
# also installs what it declares), checks that every library the installed binary links comes
# from a declared dependency, then launches the installed app under Xvfb on a fresh HOME
# (e2e/launch.mjs: dashboard on the embedded demo database, `stats` and `--version` from the
# package, launch time and memory) and removes the package again. Needs root, for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(id -u)" != 0 ]; then
  echo "test-package: skipped: installing a package needs root (run as root, or sudo)" >&2
  exit 0
fi
deb="$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)"
if [ -z "$deb" ]; then
  echo "test-package: no .deb in $CARGO_TARGET_DIR/release/bundle/deb: run scripts/package.sh first" >&2
  exit 1
fi
echo "test-package: installing $deb" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq whodis-admin >/dev/null || true' EXIT

bin=/usr/bin/whodis-admin
test -x "$bin" || { echo "test-package: the package installed no $bin" >&2; exit 1; }
test -f /usr/share/applications/whodis-admin.desktop \
  || { echo "test-package: the package installed no desktop entry" >&2; exit 1; }

# Every library the binary needs directly is present, and its package is a declared dependency
# or one of theirs (a dependency that only this build machine happens to have would break
# installs elsewhere).
depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\(.*\)//; s/\|.*//; s/ //g' | grep -v '^$')"
closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances $depends 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u)"
missing=0
for soname in $(objdump -p "$bin" | awk '/NEEDED/ {print $2}'); do
  path="$(ldd "$bin" | awk -v s="$soname" '$1 == s {print $3}')"
  if [ -z "$path" ] || [ "$path" = "not" ]; then
    echo "test-package: $soname is not found on this machine" >&2
    missing=1
    continue
  fi
  # (dpkg knows a merged-/usr library under one of its two paths)
  owner="$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 \
    || dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)"
  if [ -z "$owner" ] || ! grep -qx "$owner" <<<"$closure"; then
    echo "test-package: $soname comes from '${owner:-no package}', which the .deb does not depend on" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1
echo "test-package: declared dependencies: $(echo $depends)" >&2

"$bin" --version
dbus-run-session -- sh scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  node e2e/launch.mjs --app "$bin" --runs "${WHODIS_LAUNCH_RUNS:-4}" --out "$PWD/tests/artifacts/package"
echo "test-package: the installed package works"
