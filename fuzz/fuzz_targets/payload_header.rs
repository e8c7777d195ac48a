//! Fuzzes the public payload header parser (the server runs it on untrusted uploads).
#![no_main]
use libfuzzer_sys::fuzz_target;
use wisp_crypto::PayloadHeader;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, used)) = PayloadHeader::parse(data) {
        assert!(used <= data.len());
        // What parses must serialise back to the same bytes.
        assert_eq!(header.to_bytes(), &data[..used]);
    }
    let mut reader = data;
    let _ = PayloadHeader::read_from(&mut reader);
});
