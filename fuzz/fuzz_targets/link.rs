//! Fuzzes link and fragment parsing (users paste anything).
#![no_main]
use libfuzzer_sys::fuzz_target;
use wisp_crypto::{Link, LinkSecret};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(link) = Link::parse(text) {
            // A parsed link prints back to a link that parses to the same thing.
            let again = Link::parse(&link.expose_url()).expect("round trip");
            assert_eq!(again, link);
        }
        let _ = LinkSecret::from_fragment(text);
    }
});
