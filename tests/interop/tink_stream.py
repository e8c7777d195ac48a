"""Driven by crates/wisp-crypto/tests/interop.rs: Google's Tink (PyPI `tink`) encrypts and
decrypts AES256-GCM-HKDF streaming ciphertexts so Wisp's Rust implementation is checked
against an independent, widely used one.

    python tink_stream.py encrypt|decrypt KEY_HEX AAD_HEX SEGMENT_SIZE IN_FILE OUT_FILE
"""

import io
import shutil
import sys

import tink
from tink import secret_key_access, streaming_aead
from tink.proto import aes_gcm_hkdf_streaming_pb2, common_pb2, tink_pb2

TYPE_URL = "type.googleapis.com/google.crypto.tink.AesGcmHkdfStreamingKey"


def primitive(key: bytes, segment_size: int) -> streaming_aead.StreamingAead:
    streaming_aead.register()
    key_proto = aes_gcm_hkdf_streaming_pb2.AesGcmHkdfStreamingKey(
        version=0,
        params=aes_gcm_hkdf_streaming_pb2.AesGcmHkdfStreamingParams(
            ciphertext_segment_size=segment_size,
            derived_key_size=32,
            hkdf_hash_type=common_pb2.SHA256,
        ),
        key_value=key,
    )
    keyset = tink_pb2.Keyset(
        primary_key_id=1,
        key=[
            tink_pb2.Keyset.Key(
                key_data=tink_pb2.KeyData(
                    type_url=TYPE_URL,
                    value=key_proto.SerializeToString(),
                    key_material_type=tink_pb2.KeyData.SYMMETRIC,
                ),
                status=tink_pb2.ENABLED,
                key_id=1,
                output_prefix_type=tink_pb2.RAW,
            )
        ],
    )
    handle = tink.proto_keyset_format.parse(keyset.SerializeToString(), secret_key_access.TOKEN)
    return handle.primitive(streaming_aead.StreamingAead)


class KeepOpen(io.BytesIO):
    """Tink closes the destination when the encrypting stream closes; keep the bytes."""

    def close(self) -> None:  # noqa: D401
        pass


def main() -> int:
    mode, key_hex, aad_hex, segment_size, src, dst = sys.argv[1:7]
    sa = primitive(bytes.fromhex(key_hex), int(segment_size))
    aad = bytes.fromhex(aad_hex)
    with open(src, "rb") as f:
        data = f.read()
    if mode == "encrypt":
        sink = KeepOpen()
        with sa.new_encrypting_stream(sink, aad) as es:
            es.write(data)
        out = sink.getvalue()
    elif mode == "decrypt":
        with sa.new_decrypting_stream(io.BytesIO(data), aad) as ds:
            out = ds.read()
    else:
        print("mode must be encrypt or decrypt", file=sys.stderr)
        return 2
    with open(dst, "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except tink.TinkError as e:
        print(f"tink: {e}", file=sys.stderr)
        sys.exit(1)
