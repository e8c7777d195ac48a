#!/usr/bin/env bash
# The desktop app end to end: the real app (debug build with the `e2e` feature, which only
# adds a way to register dropped files) under Xvfb, driven over WebDriver by
# tests/desktop/e2e.py against a real server, with a real Secret Service; then the app in the
# background (tests/desktop/e2e_background.py).
#   scripts/desktop-e2e.sh            screenshots go to $WISP_E2E_SHOTS (default: a temp dir)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -n "${WISP_SKIP_SETUP:-}" ] || bash scripts/setup.sh
cargo build --locked -q -p wisp-server -p wisp-cli -p wisp-desktop --features wisp-desktop/e2e \
  --bin wisp-server --bin wisp --bin wisp-desktop
bin="$CARGO_TARGET_DIR/debug"
WISP_SESSION_DISPLAY=1 bash scripts/with-session.sh \
  .venv/bin/python tests/desktop/e2e.py "$bin/wisp-server" "$bin/wisp" "$bin/wisp-desktop"
# The app in the background: tray, shortcut, links, clipboard, updates, autostart.
WISP_SESSION_DISPLAY=1 bash scripts/with-session.sh \
  .venv/bin/python tests/desktop/e2e_background.py "$bin/wisp-server" "$bin/wisp" "$bin/wisp-desktop"
