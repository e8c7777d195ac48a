"""End-to-end test of the app living in the background, over WebDriver and the session bus:
the tray menu (driven through a stand-in StatusNotifierWatcher, as a panel would), quick
share from the global shortcut and from the tray, `wisp://` and https links handed over by a
second launch, "burn all pending", signed updates from a local update server (a correctly
signed one is offered and verified; a tampered or wrongly signed one is refused), start at
login, and view notifications (captured on the bus with dbus-monitor, clicked with dunst).

    scripts/desktop-e2e.sh            (runs tests/desktop/e2e.py, then this)
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import STEPS, App, Server, app_pids, cli, cli_json, step, temp_root

SYSTEM_PYTHON = "/usr/bin/python3"  # has python3-dbus and python3-gi for the tray driver
TRAY_BUS = str(Path(__file__).with_name("tray_bus.py"))


class Notifications:
    """Every Notify call on the session bus, as dbus-monitor prints it."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            ["dbus-monitor", "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
            stdout=log.open("w"), stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def all(self) -> list[tuple[str, str]]:
        """(summary, body) of every notification so far."""
        found, lines = [], self.log.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if "member=Notify" in line:
                strings = [m.group(1) for m in (re.match(r'\s*string "(.*)"$', l) for l in lines[i + 1:i + 8]) if m]
                if len(strings) >= 4:  # app name, icon, summary, body
                    found.append((strings[2], strings[3]))
        return found

    def wait_for(self, summary: str, count: int = 1, timeout: float = 15) -> list[tuple[str, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matching = [n for n in self.all() if n[0] == summary]
            if len(matching) >= count:
                return matching
            time.sleep(0.2)
        raise AssertionError(f"no {count}× notification {summary!r}; saw {self.all()}")

    def stop(self) -> None:
        self.proc.terminate()


class Tray:
    """The app's tray item, as a panel sees it."""

    def __init__(self, root: Path) -> None:
        self.registered = root / "tray-item.txt"
        self.proc = subprocess.Popen([SYSTEM_PYTHON, TRAY_BUS, "watch", str(self.registered)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout and self.proc.stdout.readline().strip() == "ready"

    def labels(self, timeout: float = 20) -> dict[str, int]:
        deadline = time.monotonic() + timeout
        while not self.registered.exists():
            if time.monotonic() > deadline:
                raise AssertionError("the app's tray item never registered")
            time.sleep(0.2)
        out = subprocess.run([SYSTEM_PYTHON, TRAY_BUS, "labels", str(self.registered)],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    def click(self, label: str) -> None:
        subprocess.run([SYSTEM_PYTHON, TRAY_BUS, "click", str(self.registered), label], check=True)

    def toggled(self, label: str) -> bool:
        out = subprocess.run([SYSTEM_PYTHON, TRAY_BUS, "toggled", str(self.registered), label],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    def rows(self) -> list[str]:
        """The "Recent secrets" rows, in menu order (labels may repeat)."""
        out = subprocess.run([SYSTEM_PYTHON, TRAY_BUS, "rows", str(self.registered)],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    def stop(self) -> None:
        self.proc.terminate()


def clipboard() -> str:
    return subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True,
                          text=True).stdout


def set_clipboard(app: App, text: str) -> None:
    result = app.invoke("copy_text", {"text": text, "sensitive": False})
    assert result == {"ok": None}, result


def send(app: App, text: str, note: str, max_views: int = 1) -> tuple[str, str]:
    """Sends a text secret from the app: (history id, link)."""
    sent = app.invoke("send_text", {"text": text, "request": {
        "account_id": None, "ttl_secs": 3600, "max_views": max_views, "passphrase": None, "split": None,
        "note": note, "recipient_email": None, "keep_link": False}})
    assert isinstance(sent, dict) and "ok" in sent, sent
    return sent["ok"]["history_id"], sent["ok"]["links"][0]["url"]


def history(app: App) -> list[dict]:
    result = app.invoke("list_history", {"filter": {"account_id": None, "state": None}})
    assert isinstance(result, dict) and "ok" in result, result
    return result["ok"]


class UpdateServer:
    """A static update feed on loopback: latest.json and the package it points at."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "updates"
        self.dir.mkdir()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(self.dir))
        handler.log_message = lambda *a: None  # type: ignore[method-assign]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.keys = {}

    def key(self, name: str) -> tuple[Path, str]:
        """A minisign key pair; returns the secret key file and the public key as Tauri wants
        it (base64 of the whole .pub file)."""
        if name not in self.keys:
            sk, pk = self.dir.parent / f"{name}.key", self.dir.parent / f"{name}.pub"
            subprocess.run(["minisign", "-G", "-W", "-p", str(pk), "-s", str(sk)], check=True,
                           capture_output=True)
            self.keys[name] = (sk, base64.b64encode(pk.read_bytes()).decode())
        return self.keys[name]

    def publish(self, version: str, signed_by: str, tamper: bool = False) -> None:
        package = self.dir / f"Wisp_{version}_amd64.deb"
        package.write_bytes(b"!<arch>\n" + secrets.token_bytes(4096))
        sk, _ = self.key(signed_by)
        signature = package.with_suffix(".deb.minisig")
        signature.unlink(missing_ok=True)
        subprocess.run(["minisign", "-S", "-s", str(sk), "-m", str(package), "-x", str(signature)],
                       check=True, capture_output=True)
        if tamper:  # the package changes after signing, as on a compromised mirror
            with package.open("ab") as f:
                f.write(b"\0")
        entry = {"signature": base64.b64encode(signature.read_bytes()).decode(),
                 "url": f"{self.url}/{package.name}"}
        (self.dir / "latest.json").write_text(json.dumps({
            "version": version, "notes": "Faster uploads.\nA new tray menu.",
            "pub_date": "2026-12-01T12:00:00Z",
            "platforms": {"linux-x86_64": entry, "linux-x86_64-deb": entry}}))

    def stop(self) -> None:
        self.httpd.shutdown()


def refused(app: App) -> None:
    """The update dialog says the signature did not match (read once the message has faded
    in: WebDriver reads no text from an element still at opacity 0)."""
    app.wait_for("update-error", timeout=30)
    app.wait_until("the refusal's message", lambda: (
        "signature does not match" in app.find("update-error").text))


def main() -> None:
    server_bin, cli_bin, app_bin = (Path(a).resolve() for a in sys.argv[1:4])
    shots = Path(os.environ.get("WISP_E2E_SHOTS") or temp_root("wisp-e2e-shots-"))
    shots.mkdir(parents=True, exist_ok=True)
    root = temp_root("wisp-e2e-bg-")
    home = root / "home"
    (home / ".config").mkdir(parents=True)
    updates = UpdateServer(root)
    _, test_pubkey = updates.key("release")
    server = Server(server_bin, root).start()
    notes = Notifications(root / "notify.log")
    tray = Tray(root)
    app = App(app_bin, root, extra_env={"HOME": str(home), "WISP_E2E_UPDATER_PUBKEY": test_pubkey})
    try:
        run(server, app, tray, notes, updates, cli_bin, root, home, shots)
    except BaseException:
        if app.driver:
            app.screenshot(shots / "failure-background.png")
            print(f"screenshot of the failure: {shots / 'failure-background.png'}", file=sys.stderr)
        print(f"notifications seen: {notes.all()}", file=sys.stderr)
        raise
    finally:
        app.stop()
        tray.stop()
        notes.stop()
        updates.stop()
        server.stop()
    print(f"desktop background e2e: {len(STEPS)} steps passed; screenshots in {shots}")


def run(server: Server, app: App, tray: Tray, notes: Notifications, updates: UpdateServer,
        cli_bin: Path, root: Path, home: Path, shots: Path) -> None:
    token = server.token("e2e-background")
    added = cli(cli_bin, app, "account", "add", "Team", "--server", server.url, "--token-stdin",
                stdin=token)
    assert added.returncode == 0, added.stderr
    # No update check against the real feed while testing; clipboard cleared after 5 s.
    settings_file = app.config_dir / "settings.toml"
    settings_file.write_text("check_updates = false\nclipboard_clear_secs = 5\n")
    app.start()

    step("the tray item registers, with the whole menu")
    labels = tray.labels()
    for label in ["Share clipboard", "Recent secrets", "No secrets yet", "Burn all pending",
                  "Open Wisp", "Pause notifications", "Check for updates…", "Quit Wisp"]:
        assert label in labels, f"{label!r} not in the tray menu: {sorted(labels)}"

    step("quick share from the global shortcut: the clipboard's text becomes a link")
    first = f"wifi password {secrets.token_hex(6)}"
    set_clipboard(app, first)
    subprocess.run(["xdotool", "key", "ctrl+alt+s"], check=True)
    notes.wait_for("Link copied")
    link = app.wait_until("the link in the clipboard", lambda: clipboard().startswith(server.url) and clipboard())
    assert "#" in link and first not in link, link
    got = cli(cli_bin, app, "get", "--yes", link.strip())
    assert got.returncode == 0 and got.stdout.strip() == first, (got.returncode, got.stderr)
    assert len(history(app)) == 1

    step("the link is cleared from the clipboard after the configured delay")
    app.wait_until("the clipboard cleared", lambda: clipboard().strip() == "", timeout=15)

    step("quick share from the tray menu; recent secrets list both")
    second = f"api key {secrets.token_hex(6)}"
    set_clipboard(app, second)
    tray.click("Share clipboard")
    notes.wait_for("Link copied", count=2)
    link2 = app.wait_until("the second link", lambda: clipboard().startswith(server.url) and clipboard())
    assert link2 != link
    # The panel sees the new menu once GTK has run its loop: wait for it, as a user would.
    rows = app.wait_until("both secrets in the tray's recent list", lambda: (
        r if len(r := tray.rows()) == 2 else None))
    # Newest first; the watcher has already seen the first link viewed.
    assert re.fullmatch(r"Text secret · \d\d:\d\d · not viewed yet", rows[0]), rows
    assert re.fullmatch(r"Text secret · \d\d:\d\d · viewed", rows[1]), rows

    step("quick share with an empty clipboard says so instead of sending nothing")
    set_clipboard(app, "   ")
    subprocess.run(["xdotool", "key", "ctrl+alt+s"], check=True)
    notes.wait_for("Clipboard is empty")
    assert len(history(app)) == 2

    step("a view raises one notification within the push latency; a click shows the secret")
    note = f"vpn key {secrets.token_hex(3)}"
    sent_id, sent_link = send(app, "the vpn key", note)
    subprocess.run(["dunstctl", "close-all"], check=False)
    app.click("nav-settings")
    viewed_at = time.monotonic()
    got = cli(cli_bin, app, "get", "--yes", sent_link)
    assert got.returncode == 0 and got.stdout.strip() == "the vpn key", got.stderr
    mine = lambda: [n for n in notes.all() if note in n[1]]  # noqa: E731
    app.wait_until("the view's notification", mine, timeout=10)
    latency = time.monotonic() - viewed_at
    assert mine() == [("Secret viewed", f"“{note}” was opened (Team).")], mine()
    print(f"     notification {latency * 1000:.0f} ms after the view (push)")
    # The CLI's own start and reveal are inside this figure; polling would take 30 s.
    assert latency < 3, f"{latency:.1f} s: not the push channel's latency"
    app.screenshot(shots / "bg-notification.png")
    subprocess.run(["dunstctl", "action", "0"], check=True)
    focused = app.wait_until("the secret shown in History", lambda: next(iter(
        app.driver.find_elements("css selector", "tr.history-row-focus")), None))  # type: ignore[union-attr]
    assert focused.get_attribute("data-id") == sent_id
    assert focused.get_attribute("data-state") == "viewed"
    time.sleep(3)
    assert len(mine()) == 1, f"notified more than once: {mine()}"

    step("pause from the tray: Settings follows at once, and a view is not announced")
    app.click("nav-settings")
    pause = app.wait_for("settings-pause-notifications")
    assert not pause.is_selected()
    assert not tray.toggled("Pause notifications")
    tray.click("Pause notifications")
    app.wait_until("the pause switch on", lambda: app.find("settings-pause-notifications").is_selected())
    _, quiet_link = send(app, "quiet", "while paused")
    assert cli(cli_bin, app, "get", "--yes", quiet_link).returncode == 0
    app.wait_until("the view in history", lambda: any(
        h["note"] == "while paused" and h["state"] == "viewed" for h in history(app)))
    app.find("settings-pause-notifications").click()
    app.wait_until("the tray's check mark cleared", lambda: not tray.toggled("Pause notifications"))
    # Resumed: the first view of a two-view secret is announced with its count; the view
    # made while paused never is (it would have come first).
    _, loud_link = send(app, "loud", "after resuming", max_views=2)
    assert cli(cli_bin, app, "get", "--yes", loud_link).returncode == 0
    app.wait_until("the resumed notification", lambda: [n for n in notes.all() if "after resuming" in n[1]])
    assert [n[0] for n in notes.all() if "after resuming" in n[1]] == ["Secret viewed · 1/2"]
    assert not [n for n in notes.all() if "while paused" in n[1]], notes.all()

    step("a wisp:// link from another app opens in the running app, status first")
    sent = cli_json(cli_bin, app, "send", "deep link secret")
    https_link = sent["links"][0] if "links" in sent else sent["link"]  # type: ignore[index]
    deep = "wisp://" + https_link.split("://", 1)[1]
    second_launch = subprocess.run([str(app.binary), deep], env=app.env(), timeout=20)
    assert second_launch.returncode == 0, "the second launch hands over and exits"
    app.wait_for("screen-open")
    app.wait_for("open-status")
    assert app.find("open-input").get_attribute("value") == https_link
    app.screenshot(shots / "bg-01-deep-link.png")
    assert cli(cli_bin, app, "get", https_link).returncode == 0, "status only: no view was spent"

    step("an https Wisp link on the command line opens the same way")
    app.click("nav-send")
    subprocess.run([str(app.binary), https_link], env=app.env(), timeout=20, check=True)
    app.wait_for("open-status")

    step("burn all pending from the tray")
    pending = [h for h in history(app) if h["state"] == "pending"]
    assert pending, "a quick-shared secret is pending"
    tray.click("Burn all pending")
    notes.wait_for("Pending secrets burned")
    app.wait_until("every secret burned or viewed",
                   lambda: all(h["state"] != "pending" for h in history(app)))
    assert cli(cli_bin, app, "get", "--yes", link2.strip()).returncode != 0, "burned on the server"

    step("a correctly signed update is offered and verified")
    updates.publish("9.9.9", signed_by="release")
    app.click("nav-settings")
    app.fill("settings-update-endpoint", f"{updates.url}/latest.json\n")
    app.click("settings-check-now")
    app.wait_for("update-dialog")
    # Read once the dialog has faded in (WebDriver reads no text at opacity 0).
    app.wait_until("the offer's version and notes", lambda: "9.9.9" in app.find("update-dialog").text
                   and "Faster uploads." in app.find("update-notes").text)
    app.screenshot(shots / "bg-02-update-offer.png")
    app.click("update-install")
    app.wait_for("update-verified", timeout=30)
    app.click("update-close")

    step("a tampered update is refused with a clear message")
    updates.publish("9.9.10", signed_by="release", tamper=True)
    app.click("settings-check-now")
    app.wait_for("update-dialog")
    app.click("update-install")
    refused(app)
    app.screenshot(shots / "bg-03-update-refused.png")
    app.click("update-close")

    step("an update signed with another key is refused too")
    updates.publish("9.9.11", signed_by="intruder")
    app.click("settings-check-now")
    app.wait_for("update-dialog")
    app.click("update-install")
    refused(app)
    app.click("update-close")

    step("start at login: off by default, on writes the autostart entry, off removes it")
    entry = home / ".config" / "autostart" / "Wisp.desktop"
    switch = app.wait_for("settings-autostart")
    assert not switch.is_selected() and not entry.exists()
    switch.click()
    app.wait_until("the autostart entry", entry.exists)
    assert re.search(r"^Exec=.*--hidden$", entry.read_text(), re.M), entry.read_text()
    app.find("settings-autostart").click()
    app.wait_until("the autostart entry removed", lambda: not entry.exists())

    step("quit from the tray ends the app (closing the window only hid it)")
    while_away = [send(app, f"away {i}", f"away {i}")[1] for i in range(4)]
    tray.click("Quit Wisp")
    app.wait_until("the app to exit", lambda: not app_pids(app.binary), timeout=15)

    step("after a restart: four views made while Wisp was off make one summary, nothing twice")
    told = len(notes.all())
    for link in while_away:
        assert cli(cli_bin, app, "get", "--yes", link).returncode == 0
    kept = [line for line in settings_file.read_text().splitlines() if not line.startswith("close_to_tray")]
    settings_file.write_text("\n".join(kept + ["close_to_tray = false", ""]))
    app.start()
    app.click("nav-history")
    app.wait_until("the history", lambda: len(app.find_all("history-row")) >= 3)
    notes.wait_for("4 secrets changed")
    time.sleep(3)
    assert notes.all()[told:] == [
        ("4 secrets changed", "Viewed: 4 · burned: 0 · expired: 0. History shows which.")
    ], f"after a restart: {notes.all()[told:]}"


if __name__ == "__main__":
    main()
