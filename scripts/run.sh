#!/usr/bin/env bash
# Runs Wisp: a local server on loopback with embedded storage (data in ~/.local/share/wisp-dev),
# and a first secret to open in a browser. The desktop app joins this script when it lands.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
say "build wisp-server"
cargo build --release --locked -q -p wisp-server -p wisp-client --bin wisp-server --example wisp-demo-send
data="${WISP_DATA_DIR:-$HOME/.local/share/wisp-dev}"
mkdir -p "$data"
port="${WISP_PORT:-8787}"
say "wisp-server on http://127.0.0.1:$port (data in $data; Ctrl-C stops it)"
WISP_LISTEN="127.0.0.1:$port" WISP_DATA_DIR="$data" "$CARGO_TARGET_DIR/release/wisp-server" serve &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"$CARGO_TARGET_DIR/release/examples/wisp-demo-send" "http://127.0.0.1:$port"
wait $server
