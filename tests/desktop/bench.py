"""Desktop app benchmark: cold start to first paint, idle memory of the whole process tree
(the app plus its WebKit processes), and memory while sending a 1 GiB file.

    scripts/bench-desktop.sh

First paint is measured from outside, as a person sees it: the clock starts before the
process is spawned and stops when the app's window on the X display shows more than a
blank background (many distinct colours = text and controls are drawn).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from harness import App, Server, find_app_pid, memory_kib, process_tree, temp_root


def window_id(name: str) -> str | None:
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"],
                         capture_output=True, text=True)
    ids = out.stdout.split()
    return ids[0] if ids else None


def colours(wid: str) -> int:
    out = subprocess.run(["import", "-window", wid, "-format", "%k", "info:"],
                         capture_output=True, text=True)
    try:
        return int(out.stdout.strip() or 0)
    except ValueError:
        return 0


def first_paint(binary: Path, env: dict) -> tuple[float, subprocess.Popen]:
    t0 = time.monotonic()
    proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = t0 + 60
    while time.monotonic() < deadline:
        wid = window_id("Wisp")
        if wid and colours(wid) > 64:
            return time.monotonic() - t0, proc
        time.sleep(0.01)
    proc.kill()
    raise TimeoutError("the window never painted")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def main() -> None:
    server_bin, cli_bin, release_app, e2e_app = (Path(a).resolve() for a in sys.argv[1:5])
    rounds = int(os.environ.get("WISP_BENCH_ROUNDS", "5"))
    size_mib = int(os.environ.get("WISP_BENCH_MIB", "1024"))
    root = temp_root("wisp-bench-desktop-")
    server = Server(server_bin, root).start()
    app = App(release_app, root)
    env = app.env()
    token = server.token("bench")
    subprocess.run([str(cli_bin), "account", "add", "Bench", "--server", server.url,
                    "--token-stdin"], input=token, env=env, check=True, capture_output=True,
                   text=True)
    try:
        if rounds > 0:
            cold_start(release_app, env, rounds)
        if size_mib > 0:
            send_big(e2e_app, cli_bin, env, root, size_mib)
    finally:
        server.stop()


def cold_start(release_app: Path, env: dict, rounds: int) -> None:
    print(f"cold start to first paint (release build, {rounds} launches, page cache warm):")
    times, idle = [], []
    for r in range(rounds):
        t, proc = first_paint(release_app, env)
        times.append(t)
        time.sleep(10)  # settle: background limit refresh done, WebKit idle
        tree = process_tree(proc.pid)
        idle.append(memory_kib(tree))
        procs = len(tree)
        print(f"  launch {r + 1}: first paint {t * 1000:.0f} ms; idle after 10 s: "
              f"RSS {mib(idle[-1][0])}, PSS {mib(idle[-1][1])} over {procs} processes")
        stop(proc)
        time.sleep(1)
    print(f"  median first paint {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    print(f"  median idle RSS {mib(statistics.median(i[0] for i in idle))}, "
          f"PSS {mib(statistics.median(i[1] for i in idle))}")



def cli_send(cli_bin: Path, env: dict, path: Path) -> float:
    """Seconds for `wisp send --file` of the same file to the same account: the baseline
    the app's throughput is quoted against (same crypto, same server, no UI)."""
    t0 = time.monotonic()
    subprocess.run([str(cli_bin), "send", "--file", str(path), "--json"], env=env, check=True,
                   capture_output=True)
    return time.monotonic() - t0


def send_big(e2e_app: Path, cli_bin: Path, env: dict, root: Path, size_mib: int) -> None:
    print(f"sending a {size_mib} MiB file (app with the e2e feature, dropped over WebDriver; "
          "baseline: `wisp send --file` before and after):")
    big = root / "big.bin"
    with big.open("wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(size_mib):
            f.write(chunk)
    baseline = [cli_send(cli_bin, env, big)]
    sender = App(e2e_app, root).start()
    try:
        pid = find_app_pid(e2e_app)
        before = memory_kib(process_tree(pid))
        peak = [before[0], before[1]]
        done = threading.Event()

        per_process: dict[str, int] = {}

        def sample() -> None:
            while not done.is_set():
                rss = pss = 0
                for p in process_tree(pid):
                    p_rss, p_pss = memory_kib([p])
                    rss, pss = rss + p_rss, pss + p_pss
                    with contextlib.suppress(OSError):
                        name = Path(f"/proc/{p}/comm").read_text().strip()
                        per_process[name] = max(per_process.get(name, 0), p_rss)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        sender.invoke("e2e_drop", {"paths": [str(big)]})
        sender.wait_for("send-file")
        t0 = time.monotonic()
        sender.click("send-submit")
        sender.wait_for("send-result", timeout=1200)
        elapsed = time.monotonic() - t0
        done.set()
        sampler.join()
        print(f"  before: RSS {mib(before[0])}, PSS {mib(before[1])}; peak while sending: "
              f"RSS {mib(peak[0])}, PSS {mib(peak[1])} "
              f"(+{mib(peak[0] - before[0])} RSS); {size_mib / elapsed:.0f} MiB/s")
        print("  peak RSS per process: " + ", ".join(
            f"{name} {mib(kib)}" for name, kib in sorted(per_process.items())))
    finally:
        sender.stop()
    baseline.append(cli_send(cli_bin, env, big))
    cli_time = statistics.median(baseline)
    print(f"  app {elapsed:.1f} s vs wisp send {' / '.join(f'{b:.1f}' for b in baseline)} s: "
          f"ratio {elapsed / cli_time:.2f} (CLI {size_mib / cli_time:.0f} MiB/s)")


if __name__ == "__main__":
    main()
