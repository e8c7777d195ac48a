#!/usr/bin/env bash
# Desktop benchmark (tests/desktop/bench.py): cold start to first paint and idle memory of
# the release app's whole process tree, and memory while the app sends a 1 GiB file.
#   WISP_BENCH_ROUNDS=5 WISP_BENCH_MIB=1024 scripts/bench-desktop.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
say "build: release app, release app with the e2e feature (for the drop), server and CLI"
# The e2e build is copied aside, then the shipped build is rebuilt (only the shell crate
# differs, so the second build is short): the throughput is a release figure.
cargo build --release --locked -q -p wisp-desktop --features e2e --bin wisp-desktop
cp "$CARGO_TARGET_DIR/release/wisp-desktop" "$CARGO_TARGET_DIR/release/wisp-desktop-e2e"
cargo build --release --locked -q -p wisp-server -p wisp-cli -p wisp-desktop \
  --bin wisp-server --bin wisp --bin wisp-desktop
WISP_SESSION_DISPLAY=1 bash scripts/with-session.sh .venv/bin/python tests/desktop/bench.py \
  "$CARGO_TARGET_DIR/release/wisp-server" "$CARGO_TARGET_DIR/release/wisp" \
  "$CARGO_TARGET_DIR/release/wisp-desktop" "$CARGO_TARGET_DIR/release/wisp-desktop-e2e"
