#!/usr/bin/env bash
# Installs everything Wisp's build, run and tests need on a fresh Debian 12 machine.
# Idempotent and quick when everything is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# System packages: compilers and pkg-config for -sys crates, Python for the Tink interop
# check, Node for the npm interop check and the web UI.
apt_install build-essential pkg-config libssl-dev python3 python3-venv ca-certificates curl
command -v node >/dev/null 2>&1 || apt_install nodejs npm
# Debian's Chromium for the reveal page's browser test (never a downloaded browser).
apt_install chromium
# The desktop app: WebKitGTK and tray/icon libraries to build it; Xvfb, D-Bus, a Secret
# Service (gnome-keyring), a notification daemon (dunst) and WebKitWebDriver to test it headless.
apt_install libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev librsvg2-bin libdbus-1-dev \
  xvfb webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools xdotool imagemagick keyutils dunst
# The background features' tests: xclip reads the clipboard, minisign signs test updates,
# python3-dbus/gi drive the tray over D-Bus, trayer shows it for screenshots.
apt_install xclip minisign python3-dbus python3-gi trayer
# libmaxminddb's mmdblookup reads the server's country database fixtures too (tests/geo.rs).
apt_install mmdb-bin
command -v cargo >/dev/null 2>&1 || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }
# tauri-driver bridges WebDriver clients to WebKitWebDriver for the desktop end-to-end test.
# 2.x: the 3.0 alphas break W3C WebDriver clients ("Failed to match capabilities").
if ! command -v tauri-driver >/dev/null 2>&1; then
  say "cargo install tauri-driver (2.x)"
  cargo install tauri-driver --version '^2.0' --locked -q
fi

# Python: Google's Tink (the independent implementation our streaming format is checked
# against), aiosmtpd (a real SMTP server for the e-mail tests), schemathesis (API fuzzing),
# mmdb-writer (writes the country database fixtures).
if [ ! -x .venv/bin/python ] || [ tests/interop/requirements.txt -nt .venv/.installed ]; then
  say "python venv (tests/interop/requirements.txt)"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r tests/interop/requirements.txt
  touch .venv/.installed
fi

# Node: the audited shamir-secret-sharing package our split links are checked against.
if [ ! -d tests/interop/node_modules/shamir-secret-sharing ]; then
  say "npm install (tests/interop)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

# The recipient's reveal page, embedded into wisp-server at compile time.
reveal=crates/wisp-server/reveal
if [ ! -d "$reveal/node_modules" ] || [ "$reveal/package-lock.json" -nt "$reveal/node_modules/.package-lock.json" ]; then
  say "npm ci (reveal page)"
  (cd "$reveal" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$reveal/dist/.built" ] || [ -n "$(find "$reveal/src" "$reveal/index.html" "$reveal/package-lock.json" "$reveal/vite.config.ts" -newer "$reveal/dist/.built" 2>/dev/null | head -n 1)" ]; then
  say "build the reveal page"
  (cd "$reveal" && npm run --silent build && touch dist/.built)
fi

# The desktop app's web UI, embedded into the app at compile time (so it must exist before
# any cargo build of src-tauri).
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "npm ci (desktop UI)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f ui/dist/.built ] || [ -n "$(find ui/src ui/index.html ui/package-lock.json ui/vite.config.ts -newer ui/dist/.built 2>/dev/null | head -n 1)" ]; then
  say "build the desktop UI"
  (cd ui && npm run --silent build && touch dist/.built)
fi

