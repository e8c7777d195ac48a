#!/usr/bin/env bash
# Runs Wisp: a local server on loopback with embedded storage (data in ~/.local/share/wisp-dev)
# and the desktop app with an account on it. Nothing to type: on a machine without a desktop
# session it brings its own (Xvfb display, D-Bus session, unlocked keyring) and says so.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# Without a session bus there is no keyring: re-run inside one with gnome-keyring unlocked
# (a development keyring under the data dir, never the user's real one).
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${WISP_RUN_INNER:-}" ]; then
  bash scripts/setup.sh
  exec env WISP_RUN_INNER=1 WISP_OWN_KEYRING=1 dbus-run-session -- bash "$0" "$@"
fi
[ -n "${WISP_RUN_INNER:-}" ] || bash scripts/setup.sh

data="${WISP_DATA_DIR:-$HOME/.local/share/wisp-dev}"
mkdir -p "$data"
if [ -n "${WISP_OWN_KEYRING:-}" ]; then
  export XDG_DATA_HOME="$data/session"   # gnome-keyring keeps its files here
  mkdir -p "$XDG_DATA_HOME"
  eval "$(printf 'wisp-dev' | gnome-keyring-daemon --unlock --components=secrets)"
  say "started a D-Bus session with a development keyring (no desktop session was found)"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY=:77
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  say "no display: the app runs on a virtual one ($DISPLAY); screenshot: DISPLAY=$DISPLAY import -window root wisp.png"
fi

say "build the server, the CLI and the desktop app (release)"
cargo build --release --locked -q -p wisp-server -p wisp-cli -p wisp-desktop

port="${WISP_PORT:-8787}"
url="http://127.0.0.1:$port"
say "wisp-server on $url (data in $data)"
WISP_LISTEN="127.0.0.1:$port" WISP_DATA_DIR="$data/server" "$CARGO_TARGET_DIR/release/wisp-server" serve &
server=$!
trap 'kill $server ${xvfb:-} 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# An account on the local server, once: a fresh API token straight into the OS keyring.
wisp="$CARGO_TARGET_DIR/release/wisp"
if ! "$wisp" account list --json 2>/dev/null | grep -q "\"url\":\"$url\""; then
  token="$(WISP_DATA_DIR="$data/server" "$CARGO_TARGET_DIR/release/wisp-server" token create --name "desktop-$(date +%s)" 2>/dev/null)"
  printf %s "$token" | "$wisp" account add "This computer" --server "$url" --token-stdin
  "$wisp" account default "This computer"
fi

say "Wisp desktop app (quit it from its tray menu, or press Ctrl+C here, to stop everything)"
"$CARGO_TARGET_DIR/release/wisp-desktop"
