#!/usr/bin/env python3
"""Hostile load for scripts/bench-hostile.sh: slow connections and a push-subscription flood
against a Wisp server on loopback, from addresses other than the normal traffic's 127.0.0.1.

    attack.py HOST PORT METADATA_KEY SLOW SUBSCRIBERS SECONDS

- SLOW connections (spread over 127.0.0.2-11) send a request head one byte every 2 s and
  reconnect whenever the server cuts them, so SLOW stay open all the time;
- SUBSCRIBERS push subscriptions (spread over 127.0.0.12-31) to a real receipt, each kept
  open and re-tried every second when refused (429/503).
Prints how often the server cut slow connections and refused subscriptions.
"""

import asyncio
import json
import sys


async def slow(host, port, source, stop, stats):
    head = b"GET /healthz HTTP/1.1\r\nHost: wisp\r\nX-Slow: " + b"a" * 10_000
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
        except OSError:
            stats["connect_failed"] += 1
            await asyncio.sleep(0.5)
            continue
        try:
            for b in head:
                if stop.is_set():
                    break
                writer.write(bytes([b]))
                await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(1), timeout=2.0)
                except asyncio.TimeoutError:
                    continue
                if not data:  # closed by the server
                    stats["slow_cut"] += 1
                    break
        except (ConnectionError, OSError):
            stats["slow_cut"] += 1
        finally:
            writer.close()


async def subscribe(host, port, source, key, stop, stats):
    body = json.dumps({"keys": [key]}).encode()
    request = (
        b"POST /api/v1/receipts/events HTTP/1.1\r\nHost: wisp\r\nContent-Type: application/json\r\n"
        + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
            writer.write(request)
            await writer.drain()
            status = await asyncio.wait_for(reader.readline(), timeout=10)
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(1)
            continue
        if b" 200 " in status:
            stats["subscribed"] += 1
            try:
                while not stop.is_set():
                    chunk = await asyncio.wait_for(reader.read(4096), timeout=1)
                    if not chunk:
                        break
            except asyncio.TimeoutError:
                pass
            except OSError:
                pass
            finally:
                stats["subscribed"] -= 1
        else:
            stats["refused"] += 1
            await asyncio.sleep(1)
        writer.close()


async def main():
    host, port, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n_slow, n_sub, seconds = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    stop = asyncio.Event()
    stats = {"slow_cut": 0, "connect_failed": 0, "subscribed": 0, "refused": 0}
    tasks = [
        asyncio.create_task(slow(host, port, f"127.0.0.{2 + i % 10}", stop, stats))
        for i in range(n_slow)
    ] + [
        asyncio.create_task(subscribe(host, port, f"127.0.0.{12 + i % 20}", key, stop, stats))
        for i in range(n_sub)
    ]
    await asyncio.sleep(seconds)
    peak_subscribed = stats["subscribed"]
    stop.set()
    await asyncio.wait(tasks, timeout=5)
    print(
        f"attack: {n_slow} slow connections (cut {stats['slow_cut']} times), "
        f"{n_sub} subscribers ({peak_subscribed} live at the end, refused {stats['refused']} times)"
    )


asyncio.run(main())
