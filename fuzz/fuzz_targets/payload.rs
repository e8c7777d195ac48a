//! Fuzzes opening a whole payload with a fixed key: header, segment framing, metadata, padding.
#![no_main]
use std::io::Read;

use libfuzzer_sys::fuzz_target;
use wisp_crypto::{open, LinkKey};

fuzz_target!(|data: &[u8]| {
    let key = LinkKey::from_bytes([7; 32]);
    if let Ok(mut reader) = open(&key, None, data) {
        let _ = reader.read_to_end(&mut Vec::new());
    }
});
