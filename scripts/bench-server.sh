#!/usr/bin/env bash
# Server benchmarks (release build, loopback, this machine's 2 cores shared by server and load):
#  1. wrk at 64 connections: create (1 KiB payload), status, reveal of an unlimited-views secret
#  2. 1 GiB: wisp-client send + reveal (encrypt/decrypt included) vs curl uploading and
#     downloading the same number of payload bytes through the same endpoints; ratio, peak RSS
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
apt_install wrk curl
say "build (release)"
cargo build --release --locked -q -p wisp-server -p wisp-client --bin wisp-server --example bench_transfer
bin="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/server.toml" <<TOML
[limits]
anonymous_requests_per_minute = 100000000
anonymous_max_payload_bytes = 2147483648
[connections]
per_address = 1000
[quota]
anonymous_bytes_per_hour = 100000000000
anonymous_bytes_per_day = 100000000000
TOML
WISP_LISTEN=127.0.0.1:0 WISP_DATA_DIR="$work/data" RUST_LOG=warn "$bin/wisp-server" --config "$work/server.toml" serve --announce >"$work/announce" &
server=$!
for _ in $(seq 100); do [ -s "$work/announce" ] && break; sleep 0.05; done
base="$(sed -n 's/^listening on //p' "$work/announce")"
read -r id proof verifier < <("$bin/examples/bench_transfer" fixtures "$base" "$work")

cat >"$work/create.lua" <<LUA
local f = io.open("$work/payload-1k.bin", "rb"); local payload = f:read("*a"); f:close()
local b = "wispbenchboundary"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. b
wrk.body = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n"
  .. '{"verifier":"$verifier","ttl":3600}' .. "\r\n--" .. b
  .. "\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
  .. payload .. "\r\n--" .. b .. "--\r\n"
LUA
cat >"$work/reveal.lua" <<LUA
wrk.method = "POST"
wrk.headers["Wisp-Reveal-Proof"] = "$proof"
LUA
run_wrk() { # name, args...
  local name=$1; shift
  local out; out=$(wrk -t2 -c64 -d10s --latency "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  printf '%-8s %10s req/s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p99" "${non2xx:-0}"
}
say "wrk -t2 -c64 -d10s (1 KiB secrets)"
run_wrk create -s "$work/create.lua" "$base/api/v1/secrets"
run_wrk status "$base/api/v1/secrets/$id"
run_wrk reveal -s "$work/reveal.lua" "$base/api/v1/secrets/$id/reveal"

# View-once: each request reveals a different secret of a pool made beforehand (one proof
# opens them all: same key). A request past the pool would be a 404, so non-2xx must be 0.
POOL="${POOL:-40000}"
python3 scripts/bench/pool.py "$base" "$work/payload-1k.bin" "$verifier" "$POOL" "$work/pool.txt"
cat >"$work/once.lua" <<LUA
local n = 0
function setup(thread) n = n + 1; thread:set("index", n) end
function init(args)
  ids = {}
  local i = 0
  for line in io.lines("$work/pool.txt") do
    i = i + 1
    if i % 2 == index - 1 then table.insert(ids, line) end
  end
  next_id = 1
end
function request()
  local id = ids[next_id] or "pool-exhausted"
  next_id = next_id + 1
  return wrk.format("POST", "/api/v1/secrets/" .. id .. "/reveal", {["Wisp-Reveal-Proof"] = "$proof"})
end
LUA
run_wrk reveal-1 -s "$work/once.lua" "$base"

say "1 GiB: wisp-client send + reveal vs curl upload + download of the same payload bytes"
read -r wisp_up wisp_down wisp_rss < <("$bin/examples/bench_transfer" send-get "$base" 1024)
read -r v p < <("$bin/examples/bench_transfer" seal 1024 "$work/big.wisp")
t0=$(date +%s.%N)
created=$(curl -sS -F "options={\"verifier\":\"$v\",\"ttl\":3600};type=application/json" -F "payload=@$work/big.wisp;type=application/octet-stream" "$base/api/v1/secrets")
t1=$(date +%s.%N)
cid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$created")
curl -sS -o /dev/null -X POST -H "Wisp-Reveal-Proof: $p" "$base/api/v1/secrets/$cid/reveal"
t2=$(date +%s.%N)
python3 - "$wisp_up" "$wisp_down" "$wisp_rss" "$t0" "$t1" "$t2" <<'PY'
import sys
wu, wd, rss, t0, t1, t2 = map(float, sys.argv[1:])
cu, cd = t1 - t0, t2 - t1
print(f"wisp-client: send {wu:6.2} s, reveal {wd:6.2} s, total {wu+wd:6.2} s, peak RSS {rss/1024:.1f} MiB")
print(f"curl:        up   {cu:6.2} s, down   {cd:6.2} s, total {cu+cd:6.2} s")
print(f"ratio (wisp total / curl total): {(wu+wd)/(cu+cd):.2f}")
PY
rm -f "$work/big.wisp"
