"""Writes the seed corpus in fuzz/corpus/<target>/ from the test vectors (tests/vectors/).

    .venv/bin/python fuzz/make_corpus.py

The seeds are committed; rerun this when the vectors or a target's input format change.
scripts/fuzz.sh reads them and writes what libFuzzer finds elsewhere (outside the clone).
The payload target's seeds are plaintexts (see fuzz/fuzz_targets/payload.rs for the input
format), recovered from the v2 vectors with Tink and each vector's payload key.
"""

import base64
import io
import json
import os
import shutil
import struct
import sys
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
from tink_stream import primitive  # noqa: E402

MAX_SEED = 16 * 1024


def vectors(name: str) -> list:
    with open(os.path.join(ROOT, "tests", "vectors", name), encoding="utf-8") as f:
        return json.load(f)["vectors"]


def fragment_bytes(link: str) -> bytes:
    fragment = urlsplit(link).fragment
    try:
        return base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4))
    except ValueError:
        return b""


def write(target: str, name: str, data: bytes, seen: dict) -> None:
    if data in seen.setdefault(target, set()):
        return
    seen[target].add(data)
    with open(os.path.join(ROOT, "fuzz", "corpus", target, name), "wb") as f:
        f.write(data)


def header_len(payload: bytes) -> int:
    if len(payload) >= 7 and payload[5] & 1:
        return 51
    return 23


def plaintext(v: dict) -> bytes:
    payload = base64.b64decode(v["payload"])
    n = v["derived"]["header_len"]
    sa = primitive(bytes.fromhex(v["derived"]["payload_key"]), 1 << payload[6])
    with sa.new_decrypting_stream(io.BytesIO(payload[n:]), payload[:n]) as ds:
        return ds.read()


def payload_seed(mode: int, body: bytes, delta: int = 0, cut: int = 0) -> bytes:
    return bytes([mode, delta & 0xFF]) + struct.pack(">H", cut) + body


def main() -> None:
    seen: dict = {}
    for target in ("payload", "payload_header", "link", "part"):
        shutil.rmtree(os.path.join(ROOT, "fuzz", "corpus", target), ignore_errors=True)
        os.makedirs(os.path.join(ROOT, "fuzz", "corpus", target))

    links = []
    for file in ("payload_v1.json", "payload_v2.json"):
        tag = file.split("_")[1].split(".")[0]
        for v in vectors(file):
            payload = base64.b64decode(v["payload"])
            write("payload_header", f"{tag}-{v['name']}", payload[: header_len(payload) + 8], seen)
            links += v["links"]
    links += [link for v in vectors("link_v1.json") for link in v["links"]]
    for i, link in enumerate(dict.fromkeys(links)):
        write("link", f"link-{i:02}", link.encode(), seen)
        if "#" in link:
            write("link", f"fragment-{i:02}", link.split("#", 1)[1].encode(), seen)
        raw = fragment_bytes(link)
        if raw[:2] == b"\x01\x01":
            write("part", f"part-{i:02}", raw[2:], seen)

    # Payload: mode bits 0-1 schedule, 2 laid out, 3 set size, 4 bad padding, 5 64 KiB
    # segments, 6-7 tweak (0 none, 1 cut, 2 extend, 3 foreign bytes).
    for v in vectors("payload_v2.json"):
        if "error" in v or len(v["links"]) != 1:
            continue
        pt = plaintext(v)
        if len(pt) > MAX_SEED:
            continue
        name = v["name"]
        write("payload", f"raw-v2-{name}", payload_seed(0, pt), seen)
        (meta_len,) = struct.unpack(">I", pt[:4])
        meta = pt[4 : 4 + meta_len]
        content = pt[4 + meta_len : 4 + meta_len + v["expect"]["content_len"]]
        write("payload", f"laid-out-v2-{name}", payload_seed(0b1100, struct.pack(">H", meta_len) + meta + content), seen)
        if name == "text_short":
            for schedule, label in ((1, "v2-passphrase"), (2, "v1"), (3, "v1-passphrase")):
                write("payload", f"raw-{label}-{name}", payload_seed(schedule, pt), seen)
            write("payload", f"raw-v2-64k-{name}", payload_seed(0b10_0000, pt), seen)
            write("payload", f"laid-out-bad-padding-{name}", payload_seed(0b1_1100, struct.pack(">H", meta_len) + meta + content, delta=5), seen)
            write("payload", f"laid-out-short-padding-{name}", payload_seed(0b1100, struct.pack(">H", meta_len) + meta + content, delta=-3), seen)
            write("payload", f"cut-{name}", payload_seed(0b0100_0000, pt, cut=700), seen)
            write("payload", f"extended-{name}", payload_seed(0b1000_0000, pt, delta=1, cut=2), seen)
            write("payload", f"foreign-{name}", payload_seed(0b1100_0000, base64.b64decode(v["payload"])), seen)
    write("payload", "raw-not-json", payload_seed(0, struct.pack(">I", 5) + b"{kind" + bytes(1015)), seen)
    write("payload", "raw-meta-too-long", payload_seed(0, struct.pack(">I", 16 * 1024 + 1) + b"{}"), seen)
    for target, names in sorted(seen.items()):
        print(f"{target}: {len(names)} seeds")


if __name__ == "__main__":
    main()
