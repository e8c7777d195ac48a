"""Starts the real parts the desktop tests drive: a Wisp server on port 0, tauri-driver
(which starts WebKitWebDriver, which starts the app), and a WebDriver session on the app.

Run inside scripts/with-session.sh with WISP_SESSION_DISPLAY=1: that provides the D-Bus
session, the unlocked gnome-keyring (Secret Service) and the Xvfb display.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from selenium import webdriver
from urllib3.exceptions import ProtocolError
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait


# How long a new WebDriver session may take (the app's window has to come up in it).
SESSION_TIMEOUT = 90


STEPS: list[str] = []
_STARTED = time.monotonic()


def step(name: str) -> None:
    """Announces a step of a story, with the seconds since the story started (a slow or
    stuck step shows in the CI log)."""
    STEPS.append(name)
    print(f"[{len(STEPS):2} {time.monotonic() - _STARTED:6.1f}s] {name}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


@dataclass
class Server:
    """A real wisp-server process on an ephemeral loopback port with its own data dir."""

    binary: Path
    root: Path
    url: str = ""
    proc: subprocess.Popen | None = None
    extra_env: dict = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / "server"

    def start(self) -> "Server":
        config = self.root / "server.toml"
        config.write_text(
            "[limits]\nanonymous_requests_per_minute = 100000000\n"
            "anonymous_max_payload_bytes = 2147483648\nmax_payload_bytes = 2147483648\n"
            # The 1 GiB sends of the benchmarks are anonymous: lift the hourly byte quota.
            "[quota]\nanonymous_bytes_per_hour = 100000000000\n"
            "anonymous_bytes_per_day = 100000000000\n"
        )
        env = dict(os.environ, WISP_LISTEN="127.0.0.1:0", WISP_DATA_DIR=str(self.data_dir),
                   RUST_LOG="warn", **self.extra_env)
        self.proc = subprocess.Popen(
            [str(self.binary), "--config", str(config), "serve", "--announce"],
            env=env, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"wisp-server did not start: {line!r}")
        self.url = line.removeprefix("listening on ")
        return self

    def token(self, name: str) -> str:
        out = subprocess.run(
            [str(self.binary), "token", "create", "--name", name],
            env=dict(os.environ, WISP_DATA_DIR=str(self.data_dir)),
            check=True, capture_output=True, text=True)
        return out.stdout.strip().splitlines()[0]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@dataclass
class App:
    """The real desktop app, started by WebKitWebDriver through tauri-driver."""

    binary: Path
    root: Path
    driver: webdriver.Remote | None = None
    tauri_driver: subprocess.Popen | None = None
    extra_env: dict = field(default_factory=dict)

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def env(self) -> dict:
        return dict(os.environ, WISP_CONFIG_DIR=str(self.config_dir),
                    WISP_DATA_HOME=str(self.data_dir), WISP_LOG="warn", **self.extra_env)

    def start(self) -> "App":
        # A live instance would take the launch over (single instance) and the new
        # WebDriver session would wait for a window that never comes.
        end_instances(self.binary, "before a new launch")
        port, native = free_port(), free_port()
        self.tauri_driver = subprocess.Popen(
            ["tauri-driver", "--port", str(port), "--native-port", str(native)],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(port)
        options = webdriver.common.options.ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(self.binary)})
        last: Exception | None = None
        for _ in range(3):  # WebKitWebDriver can lose the very first session on a cold start
            try:
                url = f"http://127.0.0.1:{port}"
                self.driver = webdriver.Remote(url, options=options, client_config=ClientConfig(
                    remote_server_addr=url, timeout=SESSION_TIMEOUT))
                break
            except (WebDriverException, OSError, ProtocolError) as e:
                last = e
                time.sleep(1)
        if self.driver is None:
            raise RuntimeError(f"no WebDriver session on the app: {last}")
        self.wait_for("nav-send")
        self.wait_painted()
        return self

    def wait_painted(self, timeout: float = 10.0) -> None:
        """Under WebDriver, WebKitGTK may leave a fresh window unpainted until the pointer
        moves over it (a plain launch paints at once, see bench.py): move it there and wait
        until the screen shows drawn content, so a first screenshot is not blank."""
        subprocess.run(["xdotool", "mousemove", "640", "400"], check=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shot = subprocess.run(["import", "-window", "root", "-format", "%k", "info:"],
                                  capture_output=True, text=True).stdout.strip()
            if shot.isdigit() and int(shot) > 64:
                return
            time.sleep(0.3)
        print(f"  ! the window still looks blank after {timeout:.0f} s", file=sys.stderr)

    def stop(self) -> None:
        if self.driver:
            with contextlib.suppress(Exception):
                self.driver.quit()
            self.driver = None
        if self.tauri_driver and self.tauri_driver.poll() is None:
            self.tauri_driver.terminate()
            self.tauri_driver.wait(10)
        self.tauri_driver = None
        # With close_to_tray off, the last window closing ends the app.
        end_instances(self.binary, "after its window closed")

    # --- finding things by data-testid -------------------------------------------------

    def find(self, testid: str) -> WebElement:
        assert self.driver
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def find_all(self, testid: str, within: WebElement | None = None) -> list[WebElement]:
        assert self.driver
        return (within or self.driver).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def wait_for(self, testid: str, timeout: float = 20.0) -> WebElement:
        assert self.driver
        WebDriverWait(self.driver, timeout).until(lambda _: self.find_all(testid))
        return self.find(testid)

    def wait_until(self, what: str, check, timeout: float = 20.0):
        assert self.driver
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(lambda _: check())
        except Exception as e:
            raise AssertionError(f"timed out waiting for {what}") from e

    def click(self, testid: str) -> None:
        self.wait_for(testid).click()

    def fill(self, testid: str, text: str) -> None:
        el = self.wait_for(testid)
        el.clear()
        el.send_keys(text)

    def select(self, testid: str, value: str) -> None:
        assert self.driver
        el = self.wait_for(testid)
        el.find_element(By.CSS_SELECTOR, f'option[value="{value}"]').click()

    def invoke(self, command: str, args: dict) -> object:
        """Calls a Tauri command the way the UI does (test builds expose e2e_* commands)."""
        assert self.driver
        return self.driver.execute_async_script(
            "const [cmd, args, done] = arguments;"
            "window.__TAURI_INTERNALS__.invoke(cmd, args).then("
            "  (v) => done({ok: v ?? null}), (e) => done({err: e}));",
            command, args)

    def screenshot(self, path: Path) -> None:
        """The whole X screen, as a person would see it (window decorations included)."""
        time.sleep(0.4)  # let transitions finish
        subprocess.run(["import", "-window", "root", str(path)], check=True)


def process_tree(root_pid: int) -> list[int]:
    """root_pid and all its descendants (the app and its WebKit processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def memory_kib(pids: list[int]) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in KiB over the given processes."""
    rss = pss = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss, pss


def app_pids(binary: Path) -> list[int]:
    """Every running process of this binary (a rebuilt binary reads "… (deleted)")."""
    target = str(binary.resolve())
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.readlink(entry / "exe").removesuffix(" (deleted)") == target:
                    pids.append(int(entry.name))
    return pids


def find_app_pid(binary: Path) -> int:
    pids = app_pids(binary)
    if not pids:
        raise RuntimeError(f"{binary} is not running")
    return pids[0]


def end_instances(binary: Path, when: str, grace: float = 15.0) -> None:
    """Waits for the app's processes to exit; kills the ones still there after `grace`
    seconds and says so on stderr (a hang there would otherwise hang the next launch)."""
    deadline = time.monotonic() + grace
    while (pids := app_pids(binary)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if pids:
        # Tells a window WebDriver left open from an app that kept running without one.
        shown = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Wisp$"],
                               capture_output=True, text=True).stdout.split()
        print(f"  ! {binary.name} still running {when} ({len(shown)} visible window(s))",
              file=sys.stderr)
    for pid in pids:
        print(f"  ! killed pid {pid}", file=sys.stderr)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    while app_pids(binary) and time.monotonic() < deadline + 5:
        time.sleep(0.1)


def temp_root(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def cli(binary: Path, app: App, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The CLI with the app's config dir: accounts are shared between the two."""
    return subprocess.run([str(binary), *args], env=app.env(), input=stdin,
                          capture_output=True, text=True)


def cli_json(binary: Path, app: App, *args: str) -> object:
    out = cli(binary, app, *args, "--json")
    if out.returncode != 0:
        raise AssertionError(f"wisp {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return json.loads(out.stdout)
