#!/usr/bin/env bash
# Normal traffic under attack (docs/benchmarks.md, "The server under attack"): wrk at 16
# connections mixing create (1 KiB payload), status and reveal, on a quiet server and while
# 300 slow connections and a flood of push subscriptions run (scripts/bench/attack.py, from
# other loopback addresses), in interleaved rounds. Prints the p99 of each round, the ratio of
# the medians, and the server's peak RSS quiet and under attack. Release build, loopback; the
# machine's cores are shared by server, wrk and attacker, so read ratios, not absolute times.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
apt_install wrk curl python3
ROUNDS="${ROUNDS:-3}"
SLOW="${SLOW:-300}"
SUBSCRIBERS="${SUBSCRIBERS:-400}"
say "build (release)"
cargo build --release --locked -q -p wisp-server -p wisp-client --bin wisp-server --example bench_transfer
bin="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'kill $server $sampler 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/server.toml" <<TOML
[limits]
anonymous_requests_per_minute = 100000000
[quota]
anonymous_bytes_per_hour = 100000000000
anonymous_bytes_per_day = 100000000000
TOML
WISP_LISTEN=127.0.0.1:0 WISP_DATA_DIR="$work/data" RUST_LOG=error "$bin/wisp-server" --config "$work/server.toml" serve --announce >"$work/announce" &
server=$!
for _ in $(seq 100); do [ -s "$work/announce" ] && break; sleep 0.05; done
base="$(sed -n 's/^listening on //p' "$work/announce")"
port="${base##*:}"
read -r id proof verifier < <("$bin/examples/bench_transfer" fixtures "$base" "$work")
# A receipt for the subscribers to watch.
metadata_key=$(curl -sS -F "options={\"verifier\":\"$verifier\",\"ttl\":3600};type=application/json" \
  -F "payload=@$work/payload-1k.bin;type=application/octet-stream" "$base/api/v1/secrets" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata_key"])')

cat >"$work/mixed.lua" <<LUA
local f = io.open("$work/payload-1k.bin", "rb"); local payload = f:read("*a"); f:close()
local b = "wispbenchboundary"
local create = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n"
  .. '{"verifier":"$verifier","ttl":3600}' .. "\r\n--" .. b
  .. "\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
  .. payload .. "\r\n--" .. b .. "--\r\n"
local n = 0
request = function()
  n = n + 1
  if n % 3 == 0 then
    return wrk.format("POST", "/api/v1/secrets", {["Content-Type"] = "multipart/form-data; boundary=" .. b}, create)
  elseif n % 3 == 1 then
    return wrk.format("GET", "/api/v1/secrets/$id")
  else
    return wrk.format("POST", "/api/v1/secrets/$id/reveal", {["Wisp-Reveal-Proof"] = "$proof"})
  end
end
LUA

# The server's resident memory every 200 ms, tagged with the phase.
echo quiet >"$work/phase"
(while kill -0 $server 2>/dev/null; do
  printf '%s %s\n' "$(cat "$work/phase")" "$(awk '/VmRSS/ {print $2}' /proc/$server/status 2>/dev/null)"
  sleep 0.2
done) >"$work/rss" &
sampler=$!

to_ms() { # wrk latency like 1.23ms / 456.00us / 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else { sub(/s$/, "", v); print v * 1000 } }'
}
run_wrk() { # phase
  local out p99 rps errors
  out=$(wrk -t2 -c16 -d10s --latency -s "$work/mixed.lua" "$base")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  printf '%-7s p99 %8s   %9s req/s   non-2xx %s\n' "$1" "$p99" "$rps" "${errors:-0}" >&2
  echo "$1 $(to_ms "$p99")" >>"$work/p99"
}

say "wrk -t2 -c16 -d10s create+status+reveal: $ROUNDS rounds quiet / under attack ($SLOW slow connections, $SUBSCRIBERS subscribers)"
for round in $(seq "$ROUNDS"); do
  echo quiet >"$work/phase"
  run_wrk quiet
  python3 scripts/bench/attack.py 127.0.0.1 "$port" "$metadata_key" "$SLOW" "$SUBSCRIBERS" 22 &
  attacker=$!
  sleep 8 # let the attack reach its full size
  echo attack >"$work/phase"
  run_wrk attack
  echo between >"$work/phase"
  wait $attacker
done

python3 - "$work/p99" "$work/rss" <<'PY'
import statistics, sys
p99 = {"quiet": [], "attack": []}
for line in open(sys.argv[1]):
    phase, ms = line.split()
    p99[phase].append(float(ms))
rss = {}
for line in open(sys.argv[2]):
    parts = line.split()
    if len(parts) == 2:
        rss[parts[0]] = max(rss.get(parts[0], 0), int(parts[1]))
quiet, attack = statistics.median(p99["quiet"]), statistics.median(p99["attack"])
print(f"p99 median: quiet {quiet:.2f} ms, under attack {attack:.2f} ms, ratio {attack / quiet:.2f} (target <= 2)")
print(f"server peak RSS: quiet {rss.get('quiet', 0) / 1024:.1f} MiB, under attack {max(rss.get('attack', 0), rss.get('between', 0)) / 1024:.1f} MiB")
PY
