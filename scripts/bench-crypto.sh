#!/usr/bin/env bash
# Crypto core benchmarks, printed as ratios against a baseline measured in the same run:
#  1. streaming encrypt/decrypt throughput vs one-shot AES-256-GCM of the same 16 MiB (criterion)
#  2. peak RSS while encrypting and decrypting a 1 GiB payload through the streaming API
#  3. Argon2id at the default parameters
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

say "criterion: payload throughput and Argon2id"
cargo bench --locked -q -p wisp-crypto --bench stream -- --noplot >/dev/null

estimate() { # mean time in ns of a criterion benchmark
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['mean']['point_estimate'])" \
    "$CARGO_TARGET_DIR/criterion/$1/new/estimates.json"
}
base=$(estimate payload_16MiB/baseline_oneshot_aes_gcm)
enc=$(estimate payload_16MiB/stream_encrypt)
dec=$(estimate payload_16MiB/stream_decrypt)
argon=$(estimate argon2id/default_m64MiB_t3_p4)
python3 - "$base" "$enc" "$dec" "$argon" <<'PY'
import sys
base, enc, dec, argon = map(float, sys.argv[1:])
mib = 16
print(f"one-shot AES-256-GCM (baseline): {mib / (base / 1e9):8.0f} MiB/s")
print(f"streaming encrypt:               {mib / (enc / 1e9):8.0f} MiB/s   ratio {base / enc:.2f}")
print(f"streaming decrypt:               {mib / (dec / 1e9):8.0f} MiB/s   ratio {base / dec:.2f}")
print(f"Argon2id m=64MiB t=3 p=4:        {argon / 1e6:8.0f} ms")
PY

say "peak RSS, 1 GiB payload"
cargo build --locked -q --release -p wisp-crypto --example payload_rss
bin="$CARGO_TARGET_DIR/release/examples/payload_rss"
file="$(mktemp -p "${TMPDIR:-/tmp}" wisp-bench-XXXXXX)"
trap 'rm -f "$file"' EXIT
"$bin" encrypt "$file" 1024
"$bin" decrypt "$file"
