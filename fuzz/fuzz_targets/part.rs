//! Fuzzes split-part decoding and combining arbitrary parts with a valid one.
#![no_main]
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use wisp_crypto::{combine_parts, split_key, LinkKey, LinkSecret};

fuzz_target!(|data: &[u8]| {
    let mut bytes = vec![1u8, 1];
    bytes.extend_from_slice(data);
    if let Ok(LinkSecret::Part(part)) = LinkSecret::from_fragment(&URL_SAFE_NO_PAD.encode(&bytes)) {
        let real = split_key(&LinkKey::from_bytes([3; 32]), 2, 3).expect("split");
        let _ = combine_parts(&[&part, &real[0]]);
        let _ = combine_parts(&[&part, &part]);
    }
});
