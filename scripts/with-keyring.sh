#!/bin/sh
# Runs a command in a private D-Bus session whose Secret Service is a fresh GNOME Keyring,
# unlocked. Usage: sh scripts/with-keyring.sh cargo test --test crypto_secret_service
#
# The daemon is started by D-Bus activation from a service file of our own, which unlocks the
# login keyring with the test password. Debian's own service file starts a daemon that cannot
# unlock anything: were the first daemon to die mid-run, D-Bus would start that one, and every
# later write would fail with "result not returned from SS API" (no default collection). Ours
# starts again over the same keyring files, unlocked; the run says when that happened.
set -eu

if [ -z "${WHODIS_KEYRING_DIR:-}" ]; then
    # Tools that locate themselves through HOME keep their real homes once HOME changes below.
    export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
    if [ -d "$HOME/.pyenv" ]; then export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"; fi
    WHODIS_KEYRING_DIR="$(mktemp -d)"
    export WHODIS_KEYRING_DIR
    dir="$WHODIS_KEYRING_DIR"
    # A throwaway HOME gives a brand-new login keyring, so no state leaks between runs or from
    # the user; the bus, the daemon and the command all see it.
    mkdir "$dir/home" "$dir/services"
    HOME="$dir/home"
    export HOME
    printf '%s' ci-pass >"$dir/password"
    cat >"$dir/start-keyring.sh" <<EOF
#!/bin/sh
# Run by D-Bus when a client wants the Secret Service and no daemon has it: the first time, and
# again if the daemon died. --unlock creates the login keyring, or unlocks the one left behind.
echo "started \$(date -u +%H:%M:%S) pid \$\$" >>"$dir/keyring.log"
exec gnome-keyring-daemon --foreground --unlock --components=secrets \\
    <"$dir/password" >>"$dir/keyring.log" 2>&1
EOF
    cat >"$dir/services/org.freedesktop.secrets.service" <<EOF
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=/bin/sh $dir/start-keyring.sh
EOF
    # A service directory listed before the standard ones takes precedence over them.
    cat >"$dir/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$dir/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
EOF
    exec dbus-run-session --config-file="$dir/session.conf" -- sh "$0" "$@"
fi

status=0
"$@" || status=$?
starts=$(grep -c '^started' "$WHODIS_KEYRING_DIR/keyring.log" 2>/dev/null || true)
if [ "${starts:-0}" -gt 1 ]; then
    echo "with-keyring: the Secret Service daemon stopped during the run and D-Bus started it" \
        "again ($starts starts in all); its log:" >&2
    sed 's/^/  /' "$WHODIS_KEYRING_DIR/keyring.log" >&2
fi
exit "$status"
