#!/usr/bin/env bash
# Wisp's whole test suite: the README's test command and what CI runs.
#   scripts/test.sh            everything
#   WISP_FUZZ_SECONDS=0 ...    skip the bounded fuzzing pass
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh

say "reveal page: lint, type-check and unit tests (incl. every crypto test vector)"
(cd crates/wisp-server/reveal && npm run --silent lint && npx tsc --noEmit && npm test --silent)

say "desktop UI: lint, type-check and component tests"
(cd ui && npm run --silent lint && npm run --silent typecheck && npm test --silent)

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

say "cargo test (in a private D-Bus session with a real Secret Service for the keyring tests)"
bash scripts/with-session.sh cargo test --workspace --all-features --locked

say "UI bindings are what the Rust types generate (ts-rs)"
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --porcelain -- ui/src/bindings
  git --no-pager diff -- ui/src/bindings
  echo "ui/src/bindings drifted from the Rust view types: run cargo test -p wisp-desk --features ts and commit" >&2
  exit 1
fi

say "desktop app end to end: the real app under Xvfb over WebDriver, a real server and keyring"
WISP_SKIP_SETUP=1 bash scripts/desktop-e2e.sh

say "the desktop app's .deb bundle: binary, wisp:// desktop entry, icons, dependencies"
WISP_SKIP_SETUP=1 WISP_DEB_PROFILE=debug bash scripts/package-deb.sh

say "schemathesis: the live server against its OpenAPI document"
bash scripts/schemathesis.sh "$CARGO_TARGET_DIR/debug/wisp-server"

say "benchmarks compile (the desktop shell has none)"
cargo bench --workspace --exclude wisp-desktop --no-run --locked

if [ "${WISP_FUZZ_SECONDS:-20}" != "0" ]; then
  say "fuzzing each parser for ${WISP_FUZZ_SECONDS:-20}s"
  bash scripts/fuzz.sh "${WISP_FUZZ_SECONDS:-20}"
fi

say "all tests passed"
