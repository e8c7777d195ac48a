"""End-to-end test of the real desktop app over WebDriver (tauri-driver + WebKitWebDriver),
against a real Wisp server, with the real OS keyring (gnome-keyring's Secret Service).

    scripts/desktop-e2e.sh            (builds what it needs, then runs this in a session)

The story a user would follow: first run, add an account (token into the keyring), send a
text secret, drop a file and send it, find both in history, open the text through "Open
link" and the file with the CLI, watch history turn them to "viewed", burn a third one.
Along the way: the account is shared with the CLI, and no plaintext, link key or token is
left in any file the app, the CLI or the server wrote. Screenshots of every screen go to
$WISP_E2E_SHOTS (default: target dir) to be looked at.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from harness import STEPS, App, Server, cli, cli_json, step, temp_root


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def assert_nowhere(needles: dict[str, str], *roots: Path) -> None:
    """None of the secret strings appears in any file under the roots (raw bytes)."""
    for path in files_under(*roots):
        data = path.read_bytes()
        for what, needle in needles.items():
            assert needle.encode() not in data, f"{what} found on disk in {path}"


def main() -> None:
    server_bin, cli_bin, app_bin = (Path(a).resolve() for a in sys.argv[1:4])
    shots = Path(os.environ.get("WISP_E2E_SHOTS") or temp_root("wisp-e2e-shots-"))
    shots.mkdir(parents=True, exist_ok=True)
    root = temp_root("wisp-e2e-")
    server = Server(server_bin, root).start()
    app = App(app_bin, root)
    try:
        run(server, app, cli_bin, root, shots)
    except BaseException:
        if app.driver:
            app.screenshot(shots / "failure.png")
            print(f"screenshot of the failure: {shots / 'failure.png'}", file=sys.stderr)
        raise
    finally:
        app.stop()
        server.stop()
    print(f"desktop e2e: {len(STEPS)} steps passed; screenshots in {shots}")


def run(server: Server, app: App, cli_bin: Path, root: Path, shots: Path) -> None:
    token = server.token("e2e-desktop")
    # This story restarts the app by ending its WebDriver session: with "keep in the tray"
    # the first instance would live on and the second launch hand over to it and exit.
    app.config_dir.mkdir(parents=True, exist_ok=True)
    (app.config_dir / "settings.toml").write_text("close_to_tray = false\ncheck_updates = false\n")
    app.start()

    step("first run shows the welcome card")
    app.wait_for("welcome-card")
    app.screenshot(shots / "01-welcome.png")

    step("add an account; test connection says reachable and authenticated")
    app.click("welcome-add-account")
    app.wait_for("account-dialog")
    app.fill("account-name", "Team server")
    app.select("account-kind", "wisp")
    app.fill("account-url", server.url)
    app.fill("account-token", "not-a-real-token")
    app.click("account-test")
    result = app.wait_for("account-test-result")
    app.wait_until("a failed authentication", lambda: result.find_elements(
        "css selector", '[data-authenticated="false"]'))
    app.fill("account-token", token)
    app.click("account-test")
    app.wait_until("a passed authentication", lambda: app.find("account-test-result").find_elements(
        "css selector", '[data-authenticated="true"]'))
    app.screenshot(shots / "02-account-dialog.png")
    app.click("account-save")
    row = app.wait_for("account-row")
    account_id = row.get_attribute("data-id")
    assert row.get_attribute("data-default") == "true", "the first account is the default"
    assert app.find("account-token-state").get_attribute("data-has-token") == "true"
    app.screenshot(shots / "03-accounts.png")

    step("the token is in the OS keyring, not in the config file; the CLI sees the account")
    stored = subprocess.run(["secret-tool", "lookup", "service", "wisp", "username",
                             f"account:{account_id}"], capture_output=True, text=True)
    assert stored.stdout.strip() == token, "token not found in the Secret Service"
    accounts = cli_json(cli_bin, app, "account", "list")
    assert [a["url"] for a in accounts["accounts"]] == [server.url], accounts  # type: ignore[index]
    assert_nowhere({"token": token}, app.config_dir, app.data_dir)

    step("send a text secret with a note")
    text_secret = f"correct horse battery staple {secrets.token_hex(8)}"
    app.click("nav-send")
    app.fill("send-text", text_secret)
    app.fill("send-note", "db password for Ana")
    app.click("send-ttl-1d")
    app.click("send-submit")
    app.wait_for("send-result")
    assert app.find("result-warning").is_displayed()
    text_link = app.find("result-link-url").get_attribute("value") or ""
    assert text_link.startswith(server.url) and "#" in text_link, text_link
    app.screenshot(shots / "04-send-result.png")
    app.click("send-another")

    step("drop a file on the window and send it, with progress to the end")
    file_path = root / "quarterly-report.pdf"
    file_bytes = secrets.token_bytes(3 * 1024 * 1024 + 123)
    file_path.write_bytes(file_bytes)
    dropped = app.invoke("e2e_drop", {"paths": [str(file_path)]})
    assert dropped == {"ok": None}, dropped
    item = app.wait_for("send-file")
    assert item.get_attribute("data-name") == "quarterly-report.pdf"
    assert item.get_attribute("data-status") == "ready"
    assert app.find("send-text").get_attribute("value") == "", "the sent text left the form"
    app.screenshot(shots / "05-send-file.png")
    app.click("send-submit")
    app.wait_for("send-result", timeout=60)
    kinds = [i.get_attribute("data-kind") for i in app.find_all("result-item")]
    assert kinds == ["file"], kinds
    file_link = app.find("result-link-url").get_attribute("value") or ""
    app.click("send-another")

    step("a third secret, to burn later")
    burn_secret = f"burn me {secrets.token_hex(8)}"
    app.fill("send-text", burn_secret)
    app.fill("send-note", "to be burned")
    app.click("send-submit")
    app.wait_for("send-result")
    burn_link = app.find("result-link-url").get_attribute("value") or ""

    step("history lists the three secrets as pending")
    app.click("nav-history")
    app.wait_until("three history rows", lambda: len(app.find_all("history-row")) == 3)
    states = [r.get_attribute("data-state") for r in app.find_all("history-row")]
    assert states == ["pending"] * 3, states
    app.screenshot(shots / "06-history-pending.png")

    step("open the text link in the app: status first, then reveal")
    app.click("nav-open")
    app.fill("open-input", text_link)
    app.click("open-check")
    app.wait_for("open-status")
    app.wait_until("the secret's kind shown", lambda: app.find("open-kind").text.strip() != "")
    app.screenshot(shots / "07-open-status.png")
    app.click("open-reveal")
    app.wait_for("open-revealed-text")
    # Compared once shown (WebDriver reads no text from an element still fading in).
    app.wait_until("the revealed text", lambda: app.find("open-revealed-text").text == text_secret)
    app.screenshot(shots / "08-open-revealed.png")
    app.click("open-hide")
    app.wait_for("open-hidden")

    step("a passphrase secret from someone else: one wrong passphrase leaves 9 attempts, the right one reveals")
    # Sent with the CLI, as a colleague would (it stays out of this app's history). The
    # server counts wrong passphrases and burns the secret at its default limit of 10
    # (docs/crypto.md, "Keys (format v2)"), so one wrong try leaves 9.
    pass_secret = f"vault key {secrets.token_hex(8)}"
    passphrase = f"orange-{secrets.token_hex(4)}-kettle"
    pass_file = root / "passphrase.txt"
    pass_file.write_text(passphrase + "\n")
    sent = cli_json(cli_bin, app, "send", "--passphrase-file", str(pass_file), pass_secret)
    pass_file.unlink()
    pass_link = sent["links"][0]  # type: ignore[index]
    app.click("open-another")
    app.fill("open-input", pass_link)
    app.click("open-check")
    app.wait_for("open-status")
    app.wait_until("a passphrase asked for", lambda: app.find("open-needs-passphrase").text.strip() == "Needed")
    app.fill("open-passphrase", f"not-{passphrase}")
    app.click("open-reveal")
    said = app.wait_for("open-passphrase-error", timeout=60)
    app.wait_until("the attempts-left sentence", lambda: app.find("open-passphrase-error").text
                   == "Wrong passphrase. 9 attempts left before the secret is destroyed.")
    assert app.find("open-passphrase").get_attribute("value") == "", "the field is emptied for another try"
    assert not app.find_all("open-revealed-text") and not app.find_all("open-error"), said.text
    status_text = app.find("open-status").text
    assert "wrong_passphrase" not in status_text and "error." not in status_text, status_text
    app.screenshot(shots / "08b-open-wrong-passphrase.png")
    app.fill("open-passphrase", passphrase)
    app.click("open-reveal")
    app.wait_for("open-revealed-text", timeout=60)
    app.wait_until("the revealed passphrase secret", lambda: app.find("open-revealed-text").text == pass_secret)
    app.click("open-hide")
    app.wait_for("open-hidden")

    step("the file through the CLI (the recipient's side): same bytes")
    out = root / "received.pdf"
    got = cli(cli_bin, app, "get", "--yes", "-o", str(out), file_link)
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == file_bytes, "the received file differs"

    step("history refresh turns both to viewed; the third stays pending")
    app.click("nav-history")
    app.click("history-refresh")
    app.wait_until("two viewed rows", lambda: sorted(
        r.get_attribute("data-state") or "" for r in app.find_all("history-row"))
        == ["pending", "viewed", "viewed"])
    app.screenshot(shots / "09-history-viewed.png")

    step("burn the pending one from history; the server agrees it is gone")
    pending = [r for r in app.find_all("history-row") if r.get_attribute("data-state") == "pending"]
    app.find_all("history-burn", within=pending[0])[0].click()
    app.click("confirm-ok")
    app.wait_until("a burned row", lambda: "burned" in [
        r.get_attribute("data-state") for r in app.find_all("history-row")])
    status = cli(cli_bin, app, "get", burn_link)  # status first: spends nothing
    assert status.returncode == 3, f"burned secret: exit {status.returncode}, {status.stderr}"  # unavailable

    step("filters: state=burned shows exactly one row")
    app.select("history-filter-state", "burned")
    app.wait_until("one filtered row", lambda: len(app.find_all("history-row")) == 1)
    app.select("history-filter-state", "")

    step("settings: dark theme applies at once")
    app.click("nav-settings")
    app.click("settings-theme-dark")
    app.wait_until("dark theme", lambda: app.driver.execute_script(  # type: ignore[union-attr]
        "return document.documentElement.dataset.theme") == "dark")
    app.screenshot(shots / "10-settings-dark.png")
    app.click("nav-history")
    app.screenshot(shots / "11-history-dark.png")
    app.click("nav-settings")
    app.click("settings-theme-light")

    step("nothing secret on disk: texts, link keys and the token appear in no file")
    app.stop()
    needles = {
        "text secret": text_secret,
        "burned secret": burn_secret,
        "passphrase secret": pass_secret,
        "passphrase": passphrase,
        "token": token,
        **{f"link key {i}": link.split("#", 1)[1] for i, link in
           enumerate([text_link, file_link, burn_link, pass_link])},
    }
    assert_nowhere(needles, app.config_dir, app.data_dir, server.data_dir,
                   Path(os.environ.get("XDG_CONFIG_HOME", "/nonexistent")),
                   Path(os.environ.get("XDG_CACHE_HOME", "/nonexistent")))
    stored_files = [p for p in files_under(server.data_dir) if file_bytes[:4096] in p.read_bytes()]
    assert not stored_files, f"file plaintext stored by the server: {stored_files}"

    step("restart: history and account survive (history decrypts with the keyring key)")
    time.sleep(0.5)
    app.start()
    app.click("nav-history")
    app.wait_until("three rows after restart", lambda: len(app.find_all("history-row")) == 3)


if __name__ == "__main__":
    main()
