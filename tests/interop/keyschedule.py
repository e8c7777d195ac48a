"""Driven by crates/wisp-crypto/tests/interop.rs: re-derives format v2's key schedule
(docs/crypto.md, "Keys (format v2)") for every whole-key vector of
tests/vectors/payload_v2.json with implementations Wisp did not write, and checks each
value against the vector:

- HKDF-SHA256 (extract, expand) and SHA-256 from `cryptography`;
- Argon2id (version 0x13) from `argon2-cffi` (the reference C implementation);
- the stream from Google's Tink (AES256_GCM_HKDF streaming), keyed with the payload key
  derived *here*, the payload header as associated data.

The payload header and the plaintext layout are parsed here from the bytes, following the
spec, not Wisp's code. Exits non-zero on the first mismatch; prints a JSON summary.

    python keyschedule.py tests/vectors/payload_v2.json
"""

import base64
import hashlib
import io
import json
import os
import struct
import sys
from urllib.parse import urlsplit

import argon2.low_level
import tink
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from tink import streaming_aead

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tink_stream import primitive  # noqa: E402  (Tink keyset for a raw key; no Wisp crypto)

# The whole-key, passphrase-free and passphrase vectors this script must have checked.
MIN_CHECKED = 7
MIN_CHECKED_WITH_PASSPHRASE = 1

# Labels, as docs/crypto.md spells them.
V2_SALT = b"wisp/v2"
V2_PASSPHRASE_SALT = b"wisp/v2/passphrase"
V2_LINK_PROOF = b"wisp/v2/link-proof"
V2_KEY_CHECK = b"wisp/v2/key-check"
V2_PAYLOAD_KEY = b"wisp/v2/payload-key"
V2_PASSPHRASE_PROOF = b"wisp/v2/passphrase-proof"

# Format v1, only to show the downgraded vector's v1 key check fails.
V1_SALT = b"wisp/v1"
V1_KEY_CHECK = b"wisp/v1/key-check"


class Mismatch(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Mismatch(what)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    check(all(c.isalnum() or c in "-_" for c in text), f"not base64url without padding: {text!r}")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- HKDF-SHA256 (RFC 5869) from `cryptography` --------------------------------------------


def hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    return HKDF.extract(hashes.SHA256(), salt, ikm)


def hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    return HKDFExpand(algorithm=hashes.SHA256(), length=length, info=info).derive(prk)


def sha256(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    return digest.finalize()


def argon2id(passphrase: str, salt: bytes, m_kib: int, t: int, p: int) -> bytes:
    return argon2.low_level.hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=t,
        memory_cost=m_kib,
        parallelism=p,
        hash_len=32,
        type=argon2.low_level.Type.ID,
        version=19,
    )


def self_test() -> None:
    """The primitives against published vectors, so a wrong binding cannot pass silently."""
    # RFC 5869, test case 1.
    ikm = bytes.fromhex("0b" * 22)
    salt = bytes.fromhex("000102030405060708090a0b0c")
    info = bytes.fromhex("f0f1f2f3f4f5f6f7f8f9")
    prk = hkdf_extract(salt, ikm)
    check(prk.hex() == "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", "RFC 5869 PRK")
    okm = hkdf_expand(prk, info, 42)
    check(
        okm.hex() == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        "RFC 5869 OKM",
    )
    check(HKDF(hashes.SHA256(), 42, salt, info).derive(ikm) == okm, "HKDF one-shot")
    check(sha256(b"abc") == hashlib.sha256(b"abc").digest(), "SHA-256")
    # RFC 9106 §5.3's Argon2id vector uses a secret and associated data, which argon2-cffi's
    # low-level API does not take; this is the reference implementation's own test vector
    # (phc-winner-argon2 src/test.c: Argon2id v0x13, m=64 MiB, t=2, p=1, "password"/"somesalt").
    out = argon2.low_level.hash_secret_raw(
        b"password", b"somesalt", time_cost=2, memory_cost=65536, parallelism=1, hash_len=32,
        type=argon2.low_level.Type.ID, version=19,
    )
    check(out.hex() == "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7", "Argon2id reference vector")


# --- Parsing, from docs/crypto.md ------------------------------------------------------------


def link_key_from(url: str):
    """The 32-byte key of a whole-key link; None for a split part."""
    fragment = urlsplit(url).fragment
    raw = b64url_decode(fragment)
    check(raw[0] == 0x01, f"link version {raw[0]}")
    if raw[1] == 0x01:
        return None
    check(raw[1] == 0x00 and len(raw) == 34, f"whole-key fragment is 0x01 0x00 + 32 bytes: {fragment}")
    return raw[2:]


def parse_header(payload: bytes) -> dict:
    check(payload[:4] == b"WISP", "magic")
    version, flags, log2 = payload[4], payload[5], payload[6]
    check(flags & ~0x01 == 0, f"unknown flags {flags:#x}")
    check(12 <= log2 <= 24, f"segment size 2^{log2}")
    at = 7
    header = {"version": version, "segment_size": 1 << log2, "argon2": None}
    if flags & 0x01:
        m, t, p = struct.unpack(">III", payload[at : at + 12])
        header["argon2"] = {"m": m, "t": t, "p": p, "salt": payload[at + 12 : at + 28]}
        at += 28
    header["key_check"] = payload[at : at + 16]
    at += 16
    check(len(payload) >= at, "payload shorter than its header")
    header["bytes"] = payload[:at]
    header["len"] = at
    return header


def padded_len(n: int) -> int:
    """docs/crypto.md: 1 KiB steps up to 64 KiB (at least 1 KiB), then 64 KiB steps."""
    if n <= 64 * 1024:
        return max(1, -(-n // 1024)) * 1024
    return -(-n // (64 * 1024)) * 64 * 1024


# --- The v2 key schedule ---------------------------------------------------------------------


def derive_v2(link_key: bytes, passphrase, argon) -> dict:
    prk_link = hkdf_extract(V2_SALT, link_key)
    out = {
        "link_proof": hkdf_expand(prk_link, V2_LINK_PROOF, 32),
        "key_check": hkdf_expand(prk_link, V2_KEY_CHECK, 16),
    }
    out["link_verifier"] = sha256(out["link_proof"])
    if passphrase is None:
        out["payload_key"] = hkdf_expand(prk_link, V2_PAYLOAD_KEY, 32)
        return out
    stretched = argon2id(passphrase, argon["salt"], argon["m"], argon["t"], argon["p"])
    prk_pass = hkdf_extract(V2_PASSPHRASE_SALT, link_key + stretched)
    out["argon2id"] = stretched
    out["passphrase_proof"] = hkdf_expand(prk_pass, V2_PASSPHRASE_PROOF, 32)
    out["passphrase_verifier"] = sha256(out["passphrase_proof"])
    out["payload_key"] = hkdf_expand(prk_pass, V2_PAYLOAD_KEY, 32)
    return out


def key_check_v1(link_key: bytes, passphrase, argon) -> bytes:
    ikm = link_key
    if passphrase is not None:
        ikm += argon2id(passphrase, argon["salt"], argon["m"], argon["t"], argon["p"])
    return hkdf_expand(hkdf_extract(V1_SALT, ikm), V1_KEY_CHECK, 16)


def header_v2(link_key: bytes, passphrase, argon, log2: int) -> bytes:
    """A v2 header as a sender would write it, everything derived with the passphrase given."""
    derived = derive_v2(link_key, passphrase, argon)
    out = b"WISP" + bytes([2, 0x01 if argon else 0x00, log2])
    if argon:
        out += struct.pack(">III", argon["m"], argon["t"], argon["p"]) + argon["salt"]
    return out + derived["key_check"]


def encode(name: str, value: bytes) -> str:
    return value.hex() if name in ("argon2id", "key_check", "payload_key") else b64url(value)


# --- Tink --------------------------------------------------------------------------------------


def tink_decrypt(payload_key: bytes, header: dict, payload: bytes) -> bytes:
    sa = primitive(payload_key, header["segment_size"])
    stream = io.BytesIO(payload[header["len"] :])
    with sa.new_decrypting_stream(stream, header["bytes"]) as ds:
        return ds.read()


def check_plaintext(name: str, plaintext: bytes, expect: dict) -> None:
    check(len(plaintext) >= 4, f"{name}: plaintext shorter than its length prefix")
    (meta_len,) = struct.unpack(">I", plaintext[:4])
    check(meta_len <= 16 * 1024, f"{name}: metadata length {meta_len}")
    meta = json.loads(plaintext[4 : 4 + meta_len].decode("utf-8"))
    check(meta == expect["metadata"], f"{name}: metadata {meta} != {expect['metadata']}")
    start = 4 + meta_len
    content_len = expect["content_len"]
    content = plaintext[start : start + content_len]
    check(len(content) == content_len, f"{name}: content shorter than {content_len}")
    check(sha256(content).hex() == expect["content_sha256"], f"{name}: content SHA-256")
    if "content_utf8" in expect:
        check(content.decode("utf-8") == expect["content_utf8"], f"{name}: content text")
    rest = plaintext[start + content_len :]
    check(rest == bytes(len(rest)), f"{name}: padding is not all zeros")
    if "size" in meta:
        check(meta["size"] == content_len, f"{name}: size {meta['size']} != {content_len}")
        check(len(plaintext) == padded_len(start + content_len), f"{name}: padded to {len(plaintext)}")
    else:
        check(not rest, f"{name}: padding without a declared size")


# --- Vectors -----------------------------------------------------------------------------------


def check_ok_vector(v: dict) -> bool:
    name = v["name"]
    payload = base64.b64decode(v["payload"], validate=True)
    header = parse_header(payload)
    check(header["version"] == 2, f"{name}: version {header['version']}")
    check(header["len"] == v["derived"]["header_len"], f"{name}: header length")
    passphrase = v["passphrase"]
    check((passphrase is None) == (header["argon2"] is None), f"{name}: passphrase flag")
    link_key = link_key_from(v["links"][0])
    derived = derive_v2(link_key, passphrase, header["argon2"])
    expected = {k: x for k, x in v["derived"].items() if k != "header_len"}
    check(set(expected) == set(derived), f"{name}: derived values {sorted(expected)} vs {sorted(derived)}")
    for key, value in derived.items():
        got = encode(key, value)
        check(got == expected[key], f"{name}: {key} {got} != {expected[key]}")
    check(derived["key_check"] == header["key_check"], f"{name}: key check != header's bytes")
    check_plaintext(name, tink_decrypt(derived["payload_key"], header, payload), v["expect"])
    return passphrase is not None


def tink_fails(payload_key: bytes, header: dict, payload: bytes) -> bool:
    try:
        tink_decrypt(payload_key, header, payload)
    except tink.TinkError:
        return True
    return False


def check_fail_vector(v: dict, ok: dict) -> None:
    """The vectors that fail on the key schedule (not on parsing or the stream)."""
    name = v["name"]
    if v["error"] not in ("wrong_key", "wrong_passphrase"):
        return
    payload = base64.b64decode(v["payload"], validate=True)
    header = parse_header(payload)
    link_key = link_key_from(v["links"][0])
    passphrase, argon = v["passphrase"], header["argon2"]
    if name == "fail_wrong_link_right_passphrase":
        # The right passphrase (the ok vector's), another link: the key check (link key only)
        # tells at once, whatever the passphrase.
        check(v["error"] == "wrong_key", f"{name}: error {v['error']}")
        check(passphrase == ok["passphrase"], f"{name}: not the right passphrase")
        check(link_key != link_key_from(ok["links"][0]), f"{name}: not another link")
        derived = derive_v2(link_key, passphrase, argon)
        check(derived["key_check"] != header["key_check"], f"{name}: key check matches")
        check(derive_v2(link_key, None, None)["key_check"] == derived["key_check"], f"{name}: key check uses the passphrase")
    elif name == "fail_wrong_passphrase":
        # The right link, a wrong passphrase: the key check matches (nothing public tests a
        # passphrase); the proof differs from the right one and the stream does not open.
        check(v["error"] == "wrong_passphrase", f"{name}: error {v['error']}")
        check(passphrase != ok["passphrase"], f"{name}: the right passphrase")
        check(link_key == link_key_from(ok["links"][0]), f"{name}: not the right link")
        derived = derive_v2(link_key, passphrase, argon)
        check(derived["key_check"] == header["key_check"], f"{name}: key check mismatches")
        check(b64url(derived["link_proof"]) == ok["derived"]["link_proof"], f"{name}: link proof differs")
        check(b64url(derived["passphrase_proof"]) != ok["derived"]["passphrase_proof"], f"{name}: passphrase proof")
        check(tink_fails(derived["payload_key"], header, payload), f"{name}: Tink opened it")
    elif v["error"] == "wrong_key" and header["version"] == 2:
        derived = derive_v2(link_key, None, None)
        check(derived["key_check"] != header["key_check"], f"{name}: key check matches")
    elif v["error"] == "wrong_passphrase" and header["version"] == 1:
        check(key_check_v1(link_key, passphrase, argon) != header["key_check"], f"{name}: v1 key check matches")
        check(derive_v2(link_key, None, None)["key_check"] == header["key_check"], f"{name}: not a v2 key check")
    else:
        return
    CHECKED_FAILS.append(name)


def check_header_ignores_passphrase(ok: dict) -> None:
    """The v2 header is the same for every passphrase; the payload key is not."""
    payload = base64.b64decode(ok["payload"], validate=True)
    header = parse_header(payload)
    link_key = link_key_from(ok["links"][0])
    log2 = header["segment_size"].bit_length() - 1
    right = header_v2(link_key, ok["passphrase"], header["argon2"], log2)
    other = header_v2(link_key, "a different passphrase", header["argon2"], log2)
    check(right == header["bytes"], "header rebuilt from the spec != the vector's header")
    check(right == other, "the v2 header depends on the passphrase")
    a = derive_v2(link_key, ok["passphrase"], header["argon2"])
    b = derive_v2(link_key, "a different passphrase", header["argon2"])
    check(a["payload_key"] != b["payload_key"], "the payload key ignores the passphrase")
    check(a["passphrase_proof"] != b["passphrase_proof"], "the passphrase proof ignores the passphrase")
    # v1's key check did depend on it (the offline oracle v2 removed): the test is not vacuous.
    check(
        key_check_v1(link_key, ok["passphrase"], header["argon2"])
        != key_check_v1(link_key, "a different passphrase", header["argon2"]),
        "v1 key check ignores the passphrase",
    )


CHECKED_FAILS: list = []


def main() -> int:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    streaming_aead.register()
    self_test()
    checked, with_passphrase, skipped = [], 0, []
    ok_passphrase = None
    for v in doc["vectors"]:
        if "error" in v:
            continue
        if len(v["links"]) != 1 or link_key_from(v["links"][0]) is None:
            skipped.append(v["name"])
            continue
        if check_ok_vector(v):
            with_passphrase += 1
            ok_passphrase = ok_passphrase or v
        checked.append(v["name"])
    check(len(checked) >= MIN_CHECKED, f"only {len(checked)} vectors checked: {checked}")
    check(with_passphrase >= MIN_CHECKED_WITH_PASSPHRASE, "no passphrase vector checked")
    for v in doc["vectors"]:
        if "error" in v and all(link_key_from(link) is not None for link in v["links"]):
            check_fail_vector(v, ok_passphrase)
    for required in ("fail_wrong_link_right_passphrase", "fail_wrong_passphrase"):
        check(required in CHECKED_FAILS, f"{required} not checked")
    check_header_ignores_passphrase(ok_passphrase)
    print(json.dumps({"checked": checked, "with_passphrase": with_passphrase, "skipped": skipped, "fail_vectors": CHECKED_FAILS}))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Mismatch as e:
        print(f"mismatch: {e}", file=sys.stderr)
        sys.exit(1)
