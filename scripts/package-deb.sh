#!/usr/bin/env bash
# Builds the desktop app's .deb (release build, Tauri's bundler from ui/node_modules, offline)
# and checks what a user installs: the binary, the desktop entry that opens wisp:// links
# (%u, x-scheme-handler/wisp), the icons and the dependencies.
#   scripts/package-deb.sh          → $CARGO_TARGET_DIR/release/bundle/deb/Wisp_<version>_amd64.deb
#   WISP_DEB_PROFILE=debug ...      a debug build (what the test suite checks: same bundle, faster)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[ -n "${WISP_SKIP_SETUP:-}" ] || bash scripts/setup.sh
profile="${WISP_DEB_PROFILE:-release}"
flags=(--bundles deb --ci)
[ "$profile" = release ] || flags+=(--debug)
say "tauri build ${flags[*]}"
(cd ui && TAURI_APP_PATH="$ROOT/src-tauri" TAURI_FRONTEND_PATH="$ROOT/ui" npx tauri build "${flags[@]}") >/dev/null
deb="$(ls -t "$CARGO_TARGET_DIR/$profile"/bundle/deb/Wisp_*_amd64.deb | head -1)"
say "checking $deb"
contents="$(dpkg-deb -c "$deb")"
for path in usr/bin/wisp-desktop usr/share/applications/Wisp.desktop \
  usr/share/icons/hicolor/128x128/apps/wisp-desktop.png; do
  grep -Eq " (\./)?$path\$" <<<"$contents" || { echo "$path missing from the package" >&2; exit 1; }
done
entry="$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards "*usr/share/applications/Wisp.desktop")"
grep -q '^Exec=wisp-desktop %u$' <<<"$entry" || { echo "desktop entry does not pass links: $entry" >&2; exit 1; }
grep -q 'x-scheme-handler/wisp' <<<"$entry" || { echo "desktop entry does not claim wisp://" >&2; exit 1; }
depends="$(dpkg-deb -f "$deb" Depends)"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
  grep -q "$dep" <<<"$depends" || { echo "Depends lacks $dep: $depends" >&2; exit 1; }
done
echo "$deb ($(du -h "$deb" | cut -f1)): binary, desktop entry with wisp:// handler, icons, Depends: $depends"
