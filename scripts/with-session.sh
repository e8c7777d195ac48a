#!/usr/bin/env bash
# Runs a command inside a private desktop-like session, as the tests need it:
#   a D-Bus session bus, gnome-keyring's Secret Service (unlocked, files in a temp dir),
#   and, with WISP_SESSION_DISPLAY=1, a virtual X display (Xvfb) for the desktop app.
# Nothing touches the real user's keyring or display.
#   scripts/with-session.sh CMD [ARGS...]
set -euo pipefail
if [ -z "${WISP_SESSION_INNER:-}" ]; then
  exec env WISP_SESSION_INNER=1 dbus-run-session -- bash "$0" "$@"
fi
session="$(mktemp -d /tmp/wisp-session.XXXXXX)"
export XDG_DATA_HOME="$session/data" XDG_CONFIG_HOME="$session/config" XDG_CACHE_HOME="$session/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
eval "$(printf 'wisp-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export WISP_TEST_KEYRING=1
pids=()
if [ "${WISP_SESSION_DISPLAY:-0}" = 1 ] && [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 130); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  export DISPLAY=":$n"
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  # Services the bus starts on demand (dunst, the notification daemon) need the display.
  dbus-update-activation-environment DISPLAY XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
  mkdir -p "$XDG_CONFIG_HOME/dunst"
  cp "$(dirname "$0")/../tests/desktop/dunstrc" "$XDG_CONFIG_HOME/dunst/dunstrc"
fi
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$session"
}
trap cleanup EXIT
"$@"
