#!/bin/sh
# Runs a command against a fresh, unlocked GNOME Keyring (Secret Service) in a private D-Bus session.
# Usage: dbus-run-session -- sh with-keyring.sh cargo test --test secret_service
set -eu
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "with-keyring.sh: no D-Bus session; run it as: dbus-run-session -- sh with-keyring.sh CMD..." >&2
    exit 2
fi
# Tools that locate themselves through HOME keep their real homes once HOME changes below.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
if [ -d "$HOME/.pyenv" ]; then export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"; fi
# A throwaway HOME gives a brand-new login keyring, so no state leaks between runs or from the user.
HOME="$(mktemp -d)"
export HOME
# --unlock reads the new keyring's password from stdin and creates it unlocked; without it every
# call fails with NoStorageAccess. The daemon prints env assignments (GNOME_KEYRING_CONTROL, ...).
eval "$(printf '%s' ci-pass | gnome-keyring-daemon --unlock --components=secrets)"
exec "$@"
