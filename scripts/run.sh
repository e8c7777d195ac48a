#!/usr/bin/env bash
# Runs Wisp. Until the desktop app and server land, this demonstrates the crypto core.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
cargo run --release --locked -q -p wisp-crypto --example demo
