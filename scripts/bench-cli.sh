#!/usr/bin/env bash
# CLI benchmark (release build, loopback): `wisp send --file` + `wisp get --yes -o` of a 1 GiB
# file (encryption and decryption included) against curl uploading and downloading the
# same number of payload bytes through the same endpoints, run side by side. Prints the
# time ratio and each command's peak RSS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
apt_install curl time
say "build (release)"
cargo build --release --locked -q -p wisp-server -p wisp-cli -p wisp-client --bin wisp-server --bin wisp --example bench_transfer
bin="$CARGO_TARGET_DIR/release"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/server.toml" <<TOML
[limits]
anonymous_requests_per_minute = 100000000
anonymous_max_payload_bytes = 2147483648
[quota]
anonymous_bytes_per_hour = 100000000000
anonymous_bytes_per_day = 100000000000
TOML
WISP_LISTEN=127.0.0.1:0 WISP_DATA_DIR="$work/data" RUST_LOG=warn "$bin/wisp-server" --config "$work/server.toml" serve --announce >"$work/announce" &
server=$!
for _ in $(seq 100); do [ -s "$work/announce" ] && break; sleep 0.05; done
base="$(sed -n 's/^listening on //p' "$work/announce")"
mib="${WISP_BENCH_MIB:-1024}"
head -c "$((mib << 20))" /dev/urandom >"$work/big.bin"

timed() { # OUT_FILE COMMAND... → the command's stdout into OUT_FILE; prints "seconds peak_kib"
  local out="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$out" && cat "$work/time"
}
rounds="${WISP_BENCH_ROUNDS:-2}"
say "$mib MiB, $rounds rounds, wisp and curl interleaved"
for r in $(seq "$rounds"); do
  read -r ws wsr < <(timed "$work/sent.json" env WISP_SERVER="$base" "$bin/wisp" send --json --file "$work/big.bin")
  link=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["links"][0])' "$work/sent.json")
  read -r wg wgr < <(timed /dev/null env WISP_SERVER="$base" "$bin/wisp" get --yes -o "$work/out.bin" "$link")
  cmp -s "$work/big.bin" "$work/out.bin" || { echo "round trip differs" >&2; exit 1; }
  rm -f "$work/out.bin"
  read -r v p < <("$bin/examples/bench_transfer" seal "$mib" "$work/big.wisp")
  t0=$(date +%s.%N)
  read -r cs csr < <(timed /dev/null curl -sS -o "$work/created.json" -F "options={\"verifier\":\"$v\",\"ttl\":3600};type=application/json" -F "payload=@$work/big.wisp;type=application/octet-stream" "$base/api/v1/secrets")
  cid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/created.json")
  read -r cg cgr < <(timed /dev/null curl -sS -o "$work/curl.bin" -X POST -H "Wisp-Reveal-Proof: $p" "$base/api/v1/secrets/$cid/reveal")
  rm -f "$work/big.wisp" "$work/curl.bin"
  python3 - "$r" "$ws" "$wg" "$cs" "$cg" "$wsr" "$wgr" "$csr" "$cgr" <<'PY'
import sys
r = sys.argv[1]
ws, wg, cs, cg, wsr, wgr, csr, cgr = map(float, sys.argv[2:])
print(f"round {r}: wisp send {ws:5.2f} s get {wg:5.2f} s | curl up {cs:5.2f} s down {cg:5.2f} s"
      f" | ratio {(ws+wg)/(cs+cg):.2f} | peak RSS wisp send {wsr/1024:.1f} MiB, get {wgr/1024:.1f} MiB,"
      f" curl up {csr/1024:.1f} MiB, down {cgr/1024:.1f} MiB")
PY
done
