#!/usr/bin/env bash
# Crypto core benchmarks, printed as ratios against a baseline measured in the same run:
#  1. streaming encrypt/decrypt throughput vs one-shot AES-256-GCM of the same 16 MiB
#  2. peak RSS while encrypting and decrypting a 1 GiB payload through the streaming API
#  3. Argon2id at the default parameters (criterion)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

say "throughput: streaming vs one-shot AES-256-GCM, interleaved in one process"
cargo bench --locked -q -p wisp-crypto --bench throughput

say "criterion: Argon2id at the default parameters"
cargo bench --locked -q -p wisp-crypto --bench argon2 -- --noplot 2>&1 | grep -E "^argon2id|time:" || true

say "peak RSS, 1 GiB payload"
cargo build --locked -q --release -p wisp-crypto --example payload_rss
bin="$CARGO_TARGET_DIR/release/examples/payload_rss"
file="$(mktemp -p "${TMPDIR:-/tmp}" wisp-bench-XXXXXX)"
trap 'rm -f "$file"' EXIT
"$bin" encrypt "$file" 1024
"$bin" decrypt "$file"
