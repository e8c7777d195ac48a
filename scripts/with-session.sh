#!/usr/bin/env bash
# Runs a command inside a private desktop-like session, as the tests need it:
#   a D-Bus session bus, gnome-keyring's Secret Service (unlocked, files in a temp dir),
#   and, with WISP_SESSION_DISPLAY=1, a virtual X display (Xvfb) for the desktop app.
# Nothing touches the real user's keyring or display.
#   scripts/with-session.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${WISP_SESSION_DIR:-}" ]; then
  session="$(mktemp -d /tmp/wisp-session.XXXXXX)"
  export WISP_SESSION_DIR="$session"
  export XDG_DATA_HOME="$session/data" XDG_CONFIG_HOME="$session/config" XDG_CACHE_HOME="$session/cache"
  mkdir -p "$XDG_DATA_HOME/dbus-1/services" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
  # The bus starts the Secret Service on demand from this file, which shadows the system's
  # (the session's data dir comes first): every start, the first or a restart after the
  # daemon went away, unlocks the session's "login" keyring, so no start ever waits on a
  # password prompt nobody can answer (CI once failed that way: the system's service file
  # starts a locked daemon).
  cat >"$session/keyring" <<KEYRING
#!/bin/sh
echo "\$(date +%T) Secret Service started (pid \$\$)" >>"$session/keyring.log"
printf wisp-test | exec gnome-keyring-daemon --unlock --foreground --components=secrets >/dev/null
KEYRING
  chmod +x "$session/keyring"
  printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$session/keyring" \
    >"$XDG_DATA_HOME/dbus-1/services/org.freedesktop.secrets.service"
  status=0
  dbus-run-session -- bash "$0" "$@" || status=$?
  if [ "$(wc -l <"$session/keyring.log" 2>/dev/null || echo 0)" -gt 1 ]; then
    echo "with-session: the Secret Service was started more than once:" >&2
    cat "$session/keyring.log" >&2
  fi
  rm -rf "$session"
  exit "$status"
fi
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
export WISP_TEST_KEYRING=1
pids=()
if [ "${WISP_SESSION_DISPLAY:-0}" = 1 ] && [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 130); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  export DISPLAY=":$n"
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  # Services the bus starts on demand (dunst, the notification daemon) need the display.
  dbus-update-activation-environment DISPLAY
  mkdir -p "$XDG_CONFIG_HOME/dunst"
  cp "$(dirname "$0")/../tests/desktop/dunstrc" "$XDG_CONFIG_HOME/dunst/dunstrc"
fi
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
"$@"
