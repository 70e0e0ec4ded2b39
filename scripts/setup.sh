#!/usr/bin/env bash
# Installs what whodis-admin needs to build, run and test, when it is missing. Sourced by
# run-app.sh and test.sh; safe to run repeatedly (it only installs what is absent).
set -euo pipefail

APT_PACKAGES=(
  # Tauri v2 on Linux
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
  # headless window, WebDriver, the Secret Service keyring, and xdotool (native dialogs) for tests
  xvfb xauth webkit2gtk-driver gnome-keyring dbus xdotool
  # Python for the Fernet interop test
  python3 python3-pip
  # the database tools the audit chain test tampers with, as someone with database access would
  sqlite3 postgresql-client
  # the IANA time zones exports write times in (read from the system, not built into the app)
  tzdata
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${WHODIS_NEED_POSTGRES:-0}" = 1 ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# Node.js for the UI (Vite 7 needs Node 20.19 or newer).
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing nodejs and npm" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "setup: Node.js is missing; install Node.js 20 or newer with npm" >&2
    exit 1
  fi
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) is too old for the UI build; install Node.js 20 or newer" >&2
  exit 1
fi

# Rust: the toolchain rust-toolchain.toml pins, through rustup (non-interactive, minimal profile)
# when there is no cargo at all.
if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
if ! command -v cargo >/dev/null 2>&1; then
  toolchain="$(sed -nE 's/^channel *= *"(.*)"/\1/p' rust-toolchain.toml)"
  echo "setup: installing Rust $toolchain with rustup (about 1 minute)" >&2
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
    | sh -s -- -y --no-modify-path --profile minimal --default-toolchain "$toolchain" \
        --component rustfmt --component clippy
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# Builds are shared between clones (CI reuses them); override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/whodis-admin/target}"
mkdir -p "$CARGO_TARGET_DIR"

# The UI's packages, exactly as locked; reinstalled only when the lock file changed.
if [ ! -f ui/node_modules/.package-lock.json ] || ! cmp -s ui/package-lock.json ui/node_modules/.lock-installed 2>/dev/null; then
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
  cp ui/package-lock.json ui/node_modules/.lock-installed
fi
