//! Fuzzes the public payload header parser (the server runs it on untrusted uploads), for
//! versions 1, 2 and every other byte: the input is parsed as it is, and again after "WISP"
//! so the fuzzer spends its time past the magic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wisp_crypto::{Error, FormatVersion, LinkKey, Opener, PayloadHeader};

fn check(bytes: &[u8]) {
    let parsed = PayloadHeader::parse(bytes);
    if let Ok((header, used)) = &parsed {
        assert!(*used <= bytes.len());
        assert!(matches!(
            header.version,
            FormatVersion::V1 | FormatVersion::V2
        ));
        assert_eq!(bytes[4], header.version.byte());
        assert_eq!(*used, header.encoded_len());
        // What parses must serialise back to the same bytes, and survive the status API's form.
        assert_eq!(header.to_bytes(), &bytes[..*used]);
        assert_eq!(
            PayloadHeader::from_base64url(&header.to_base64url()).expect("base64url"),
            *header
        );
        // The key schedule of the header's version runs (no Argon2: no passphrase is given),
        // and refuses a key whose check does not match.
        match Opener::new(&LinkKey::from_bytes([7; 32]), None, header) {
            Err(Error::PassphraseRequired) => assert!(header.needs_passphrase()),
            Err(Error::WrongKey) => assert!(!header.needs_passphrase()),
            Ok(opener) => assert_eq!(opener.header(), header),
            Err(other) => panic!("unexpected {other:?}"),
        }
    } else if let Err(Error::UnsupportedVersion(v)) = &parsed {
        assert!(!matches!(v, 1 | 2));
    }
    // Reading from a stream takes exactly the header's bytes and agrees with parsing.
    let mut reader = bytes;
    let read = PayloadHeader::read_from(&mut reader);
    match (&parsed, &read) {
        (Ok((header, used)), Ok(again)) => {
            assert_eq!(header, again);
            assert_eq!(reader.len(), bytes.len() - used);
        }
        (Err(_), Err(_)) => {}
        _ => panic!("parse and read_from disagree: {parsed:?} vs {read:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mut with_magic = b"WISP".to_vec();
    with_magic.extend_from_slice(data);
    check(&with_magic);
});
