#!/usr/bin/env bash
# Wisp's whole test suite: the README's test command and what CI runs.
#   scripts/test.sh            everything
#   WISP_FUZZ_SECONDS=0 ...    skip the bounded fuzzing pass
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh

say "reveal page: lint, type-check and unit tests (incl. every crypto test vector)"
(cd crates/wisp-server/reveal && npm run --silent lint && npx tsc --noEmit && npm test --silent)

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

say "cargo test"
cargo test --workspace --all-features --locked

say "schemathesis: the live server against its OpenAPI document"
bash scripts/schemathesis.sh "$CARGO_TARGET_DIR/debug/wisp-server"

say "benchmarks compile"
cargo bench --workspace --no-run --locked

if [ "${WISP_FUZZ_SECONDS:-20}" != "0" ]; then
  say "fuzzing each parser for ${WISP_FUZZ_SECONDS:-20}s"
  bash scripts/fuzz.sh "${WISP_FUZZ_SECONDS:-20}"
fi

say "all tests passed"
