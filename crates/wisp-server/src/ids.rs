//! Random identifiers and the hashes the server keeps instead of secrets.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 128 random bits as 22 base64url characters (secret ids, metadata keys, download tokens).
pub fn random_id() -> String {
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// An API token: `wisp_` + 256 random bits.
pub fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    format!("wisp_{}", URL_SAFE_NO_PAD.encode(raw))
}

/// SHA-256, for metadata keys, tokens and download tokens (all high-entropy, so no slow hash).
pub fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Whether `text` looks like one of our 128-bit ids (cheap rejection before any lookup).
pub fn is_id(text: &str) -> bool {
    text.len() == 22
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `text` can be a metadata key: Wisp's own (22 characters) or a compatibility
/// layer's (Onetime Secret: 31, Burn the Secret: 24), all high-entropy, so the receipt and
/// push routes serve secrets created through any layer.
pub fn is_metadata_key(text: &str) -> bool {
    (16..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The viewer hint kept in view logs: a keyed hash of the IP, truncated to 32 bits, so a sender
/// can tell two viewers apart without the server keeping anyone's address.
pub fn client_hint(key: &[u8], ip: std::net::IpAddr) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(ip.to_string().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..4])
}

/// The network a rate limit or a "distinct reporter" count is kept for: an IPv4 address
/// itself, an IPv6 address's /64 (one subscriber usually holds a whole /64, so counting
/// single IPv6 addresses would give one caller billions of buckets).
pub fn network(ip: std::net::IpAddr) -> std::net::IpAddr {
    use std::net::{IpAddr, Ipv6Addr};
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Shortened id for logs: enough to correlate, useless to open a secret.
pub fn log_id(id: &str) -> &str {
    &id[..id.len().min(6)]
}
