#!/usr/bin/env bash
# Receipts watcher benchmark (release build, loopback, this machine's 2 shared cores):
# 10,000 open secrets over 3 accounts on one real wisp-server, each account behind its own
# counting proxy process. Then, once with push and once with polling: batch requests and
# push subscriptions per account per interval, the watcher's CPU and RSS in a steady
# window, and notice latency (reveal returned → Notifier::notify) p50/p95.
#   SECRETS=10000 INTERVAL_MS=5000 STEADY_SECS=30 SAMPLES=40 bash scripts/bench-watcher.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
SECRETS="${SECRETS:-10000}"
INTERVAL_MS="${INTERVAL_MS:-5000}"
STEADY_SECS="${STEADY_SECS:-30}"
SAMPLES="${SAMPLES:-40}"
say "build (release)"
flock /tmp/wisp-build.lock cargo build --release --locked -q -p wisp-server --bin wisp-server
flock /tmp/wisp-build.lock cargo build --release --locked -q -p wisp-desk --example bench_watcher
bin="$CARGO_TARGET_DIR/release"
bench="$bin/examples/bench_watcher"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
cat >"$work/server.toml" <<TOML
[limits]
anonymous_requests_per_minute = 100000000
TOML
WISP_LISTEN=127.0.0.1:0 WISP_DATA_DIR="$work/server" RUST_LOG=warn "$bin/wisp-server" --config "$work/server.toml" serve --announce >"$work/announce" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/announce" ] && break; sleep 0.05; done
base="$(sed -n 's/^listening on //p' "$work/announce")"
port="${base##*:}"
urls=()
counts=()
for i in 1 2 3; do
  "$bench" proxy "$port" "$work/count$i" >"$work/proxy$i" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/proxy$i" ] && break; sleep 0.05; done
  urls+=("$(sed -n 's/^listening on //p' "$work/proxy$i")")
  counts+=("$work/count$i")
done
say "setup: $SECRETS secrets over 3 accounts"
"$bench" setup "$work/desk" "$SECRETS" "${urls[@]}"
say "push (poll interval $INTERVAL_MS ms unused while push works)"
"$bench" watch "$work/desk" push "$INTERVAL_MS" "$STEADY_SECS" "$SAMPLES" 0 "${counts[@]}"
say "polling every $INTERVAL_MS ms"
"$bench" watch "$work/desk" poll "$INTERVAL_MS" "$STEADY_SECS" "$SAMPLES" "$SAMPLES" "${counts[@]}"
