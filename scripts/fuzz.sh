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
# What libFuzzer finds goes outside the clone (kept between runs); the committed seeds in
# fuzz/corpus/<target>/ (fuzz/make_corpus.py) are only read.
found="${WISP_FUZZ_CORPUS:-$CARGO_TARGET_DIR/../fuzz-corpus}"
# A separate target dir: sanitizer builds would otherwise invalidate the normal ones.
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/../fuzz-target"
log="$(mktemp)"
for target in $(cargo fuzz list --fuzz-dir fuzz); do
  mkdir -p "$found/$target"
  echo "fuzz $target (${seconds}s)"
  if ! cargo fuzz run --fuzz-dir fuzz "$target" "$found/$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target found a failure (see fuzz/artifacts/$target)" >&2
    exit 1
  fi
  # libFuzzer's last status line (executions, coverage, corpus) and its run count.
  grep -E "^#[0-9]+[[:space:]]+DONE|^Done" "$log" | tail -n 2
done
rm -f "$log"
