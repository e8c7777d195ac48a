#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: scripts/fuzz.sh [SECONDS_PER_TARGET]
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain use them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
seconds="${1:-60}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  say "cargo install cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
# A separate target dir: sanitizer builds would otherwise invalidate the normal ones.
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/../fuzz-target"
log="$(mktemp)"
for target in $(cargo fuzz list --fuzz-dir fuzz); do
  mkdir -p "fuzz/corpus/$target"
  echo "fuzz $target (${seconds}s)"
  if ! cargo fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target found a failure (see fuzz/artifacts/$target)" >&2
    exit 1
  fi
  grep -E "^Done" "$log" | tail -n 1
done
rm -f "$log"
