//! A visitor's country from a MaxMind DB file (the format of GeoLite2-Country, GeoIP2-Country
//! and DB-IP's country databases), for servers without a proxy that sets `CF-IPCountry`. Used
//! by view logs and by Seecret.it's `country_block[]`.
//!
//! The file is read by the `maxminddb` crate (MaxMind's format, as libmaxminddb reads it:
//! IPv4-only and IPv6 trees with IPv4 under `::/96`, 24/28/32-bit records), from memory: it
//! is read once at start, at most [`MAX_FILE_BYTES`]. A lookup walks at most 128 tree nodes
//! and decodes only `country` → `iso_code`, as a `&str` borrowed from the file (everything
//! else is skipped unread, within the crate's depth and value limits), so a damaged or
//! hostile file answers "unknown", never a panic, a hang or an allocation it chose the size
//! of. Only a two-letter upper-case ASCII code is answered, since it goes into view logs and
//! receipts.

use std::io::Read as _;
use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

/// The largest database file accepted (GeoLite2-Country is about 10 MB, GeoLite2-City about
/// 60 MB): the whole file is held in memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// An opened country database.
pub struct CountryDb {
    reader: maxminddb::Reader<Vec<u8>>,
}

impl std::fmt::Debug for CountryDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let meta = self.reader.metadata();
        f.debug_struct("CountryDb")
            .field("database_type", &meta.database_type)
            .field("ip_version", &meta.ip_version)
            .field("node_count", &meta.node_count)
            .field("record_size", &meta.record_size)
            .finish_non_exhaustive()
    }
}

/// What a lookup decodes of a record: `country.iso_code`, borrowed from the file. Every other
/// field (names in every language, `registered_country`, `continent`…) is skipped.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    country: Option<Country<'a>>,
}

#[derive(Deserialize)]
struct Country<'a> {
    #[serde(borrow)]
    iso_code: Option<&'a str>,
}

fn too_large(what: &str, len: u64) -> String {
    format!(
        "{what} is {len} bytes: a country database may be at most {} MiB",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

impl CountryDb {
    /// Opens and checks a database file, reading at most [`MAX_FILE_BYTES`] of it.
    pub fn open(path: &Path) -> Result<Self, String> {
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let file = std::fs::File::open(path).map_err(cannot)?;
        let len = file.metadata().map_err(cannot)?.len();
        if len > MAX_FILE_BYTES {
            return Err(too_large(&path.display().to_string(), len));
        }
        // The length can change under us (or lie, for a pipe): read one byte past the limit.
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        Self::from_bytes(bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Checks a database held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, String> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large("the file", bytes.len() as u64));
        }
        let reader = maxminddb::Reader::from_source(bytes)
            .map_err(|e| format!("not a usable MaxMind DB file: {e}"))?;
        Ok(CountryDb { reader })
    }

    /// The ISO 3166 alpha-2 code of `ip`'s country (two upper-case ASCII letters), if the
    /// database knows it. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is looked up as
    /// IPv4; an IPv6 address in an IPv4-only database is unknown.
    pub fn country(&self, ip: IpAddr) -> Option<String> {
        let ip = ip.to_canonical();
        if ip.is_ipv6() && self.reader.metadata().ip_version == 4 {
            return None;
        }
        let record: Record<'_> = self.reader.lookup(ip).ok()?.decode().ok()??;
        let code = record.country?.iso_code?;
        (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then(|| code.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A small encoder of the format, to build files a writer would never produce.

    fn header(kind: u8, size: usize) -> Vec<u8> {
        let (bits, extra): (u8, Vec<u8>) = match size {
            0..=28 => (size as u8, vec![]),
            29..=284 => (29, vec![(size - 29) as u8]),
            285..=65_820 => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
            _ => (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec()),
        };
        let mut out = if kind <= 7 {
            vec![kind << 5 | bits]
        } else {
            vec![bits, kind - 7]
        };
        out.extend(extra);
        out
    }

    fn text(s: &str) -> Vec<u8> {
        let mut out = header(2, s.len());
        out.extend_from_slice(s.as_bytes());
        out
    }

    fn uint(kind: u8, v: u64) -> Vec<u8> {
        let bytes: Vec<u8> = v
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        let mut out = header(kind, bytes.len());
        out.extend(bytes);
        out
    }

    fn map(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = header(7, entries.len());
        for (k, v) in entries {
            out.extend(text(k));
            out.extend_from_slice(v);
        }
        out
    }

    /// A pointer to `offset` in the data section (the 2-byte form, offsets below 2048).
    fn pointer(offset: usize) -> Vec<u8> {
        vec![0x20 | (offset >> 8) as u8, offset as u8]
    }

    fn metadata(node_count: u64, record_size: u64, ip_version: u64, major: u64) -> Vec<u8> {
        map(&[
            ("binary_format_major_version", uint(5, major)),
            ("binary_format_minor_version", uint(5, 0)),
            ("build_epoch", uint(9, 1_700_000_000)),
            ("database_type", text("Hostile-Country")),
            ("description", map(&[])),
            ("ip_version", uint(5, ip_version)),
            ("languages", header(11, 0)),
            ("node_count", uint(6, node_count)),
            ("record_size", uint(5, record_size)),
        ])
    }

    fn record(code: &str) -> Vec<u8> {
        map(&[("country", map(&[("iso_code", text(code))]))])
    }

    /// One 24-bit node: addresses whose first bit is 0 have the record at data offset
    /// `left`, the others nothing. Empty `meta`: the metadata that describes this file.
    fn file(ip_version: u64, left: usize, data: &[u8], meta: &[u8]) -> Vec<u8> {
        let node_count = 1;
        let mut out = ((node_count + 16 + left) as u32).to_be_bytes()[1..].to_vec();
        out.extend_from_slice(&(node_count as u32).to_be_bytes()[1..]);
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(data);
        out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
        if meta.is_empty() {
            out.extend(metadata(node_count as u64, 24, ip_version, 2));
        } else {
            out.extend_from_slice(meta);
        }
        out
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn lookup(bytes: Vec<u8>, addr: &str) -> Option<String> {
        CountryDb::from_bytes(bytes)
            .expect("opens")
            .country(ip(addr))
    }

    /// The hand-made file the hostile ones below are variations of is read as such.
    #[test]
    fn a_hand_made_file_is_read() {
        for v in [4, 6] {
            let db = CountryDb::from_bytes(file(v, 0, &record("GB"), &[])).expect("opens");
            assert_eq!(db.country(ip("81.2.69.1")).as_deref(), Some("GB"), "v{v}");
            assert_eq!(db.country(ip("::ffff:81.2.69.1")).as_deref(), Some("GB"));
        }
        // IPv6-shaped: all of IPv4 (::/96) and 2001:db8:: start with a 0 bit.
        let v6 = CountryDb::from_bytes(file(6, 0, &record("GB"), &[])).expect("opens");
        assert_eq!(v6.country(ip("200.0.0.1")).as_deref(), Some("GB"));
        assert_eq!(v6.country(ip("2001:db8::1")).as_deref(), Some("GB"));
        assert_eq!(v6.country(ip("8000::1")), None);
        let v4 = CountryDb::from_bytes(file(4, 0, &record("GB"), &[])).expect("opens");
        assert_eq!(v4.country(ip("200.0.0.1")), None);
        assert_eq!(v4.country(ip("2001:db8::1")), None);
    }

    /// Only two upper-case ASCII letters are answered: they go into logs and receipts.
    #[test]
    fn only_two_upper_case_letters_are_answered() {
        for bad in [
            "gb",
            "Gb",
            "GBR",
            "G",
            "",
            "G1",
            "É",
            "G\n",
            "\u{1F1EC}\u{1F1E7}",
        ] {
            assert_eq!(
                lookup(file(4, 0, &record(bad), &[]), "1.2.3.4"),
                None,
                "{bad:?}"
            );
        }
        // iso_code of another type, a country that is not a map, no country at all.
        let number = map(&[("country", map(&[("iso_code", uint(5, 826))]))]);
        assert_eq!(lookup(file(4, 0, &number, &[]), "1.2.3.4"), None);
        let flat = map(&[("country", text("GB"))]);
        assert_eq!(lookup(file(4, 0, &flat, &[]), "1.2.3.4"), None);
        let registered = map(&[("registered_country", map(&[("iso_code", text("GB"))]))]);
        assert_eq!(lookup(file(4, 0, &registered, &[]), "1.2.3.4"), None);
        assert_eq!(lookup(file(4, 0, &text("GB"), &[]), "1.2.3.4"), None);
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(CountryDb::from_bytes(b"nothing here".to_vec()).is_err());
        assert!(CountryDb::from_bytes(Vec::new()).is_err());
        let mut damaged = vec![0u8; 64];
        damaged.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
        damaged.extend_from_slice(&[0xE3, 0xFF]);
        assert!(CountryDb::from_bytes(damaged).is_err());
    }

    /// Headers that describe a file other than the one given are refused when it is opened.
    #[test]
    fn impossible_headers_are_refused_at_open() {
        let data = record("GB");
        for (nodes, size, version, major) in [
            (u32::MAX as u64, 32, 6, 2), // a tree of 32 GiB
            (1 << 28, 28, 6, 2),
            (1 << 24, 24, 4, 2),
            (0, 24, 4, 2),
            (1, 31, 4, 2),
            (1, 0, 4, 2),
            (1, 64, 6, 2),
            (1, 24, 5, 2),
            (1, 24, 4, 3),
            (1 << 40, 24, 4, 2), // node_count is a uint32
        ] {
            let meta = metadata(nodes, size, version, major);
            let bytes = file(4, 0, &data, &meta);
            let err = CountryDb::from_bytes(bytes).expect_err("refused");
            assert!(err.starts_with("not a usable MaxMind DB file"), "{err}");
        }
    }

    /// A file larger than [`MAX_FILE_BYTES`] is refused before it is read (a sparse file:
    /// nothing is written to disk).
    #[test]
    fn oversized_files_are_refused_unread() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("huge.mmdb");
        let f = std::fs::File::create(&path).expect("create");
        f.set_len(MAX_FILE_BYTES + 1).expect("set_len");
        let err = CountryDb::open(&path).expect_err("refused");
        assert!(err.contains("at most 256 MiB"), "{err}");
        assert!(CountryDb::open(&dir.path().join("missing.mmdb"))
            .expect_err("missing")
            .starts_with("cannot read"));
    }

    /// Records that loop, nest deeply, claim sizes the file does not have or point outside
    /// it: every lookup answers None, quickly.
    #[test]
    fn hostile_records_answer_none() {
        let started = std::time::Instant::now();
        let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
        // A pointer to itself, and a chain of pointers to pointers.
        cases.push(("self pointer", pointer(0)));
        let chain = |len: usize| {
            let mut out: Vec<u8> = (1..=len).flat_map(|i| pointer(i * 2)).collect();
            out.extend(record("GB"));
            out
        };
        let one = lookup(file(4, 0, &chain(1), &[]), "1.2.3.4");
        assert_eq!(
            one.as_deref(),
            Some("GB"),
            "one pointer to the record is fine"
        );
        cases.push(("pointer chain", chain(1000)));
        // country → a pointer back to the record that contains it.
        let mut looped = header(7, 1);
        looped.extend(text("country"));
        looped.extend(pointer(0));
        cases.push(("record points to itself", looped));
        // Maps and arrays nested 100,000 deep under a skipped key before `country` (nested
        // 20 deep, the same record is read), and maps under `country`.
        let nested = |depth: usize, array: bool| {
            let mut out = header(7, 2);
            out.extend(text("names"));
            for _ in 0..depth {
                if array {
                    out.extend(header(11, 1));
                } else {
                    out.extend(header(7, 1));
                    out.extend(text("names"));
                }
            }
            out.extend(text("x"));
            out.extend(text("country"));
            out.extend(map(&[("iso_code", text("GB"))]));
            out
        };
        for array in [false, true] {
            let shallow = lookup(file(4, 0, &nested(20, array), &[]), "1.2.3.4");
            assert_eq!(shallow.as_deref(), Some("GB"), "array: {array}");
            cases.push(("deep maps or arrays", nested(100_000, array)));
        }
        let mut deep = Vec::new();
        for _ in 0..100_000 {
            deep.extend(header(7, 1));
            deep.extend(text("country"));
        }
        deep.extend(text("GB"));
        cases.push(("deep countries", deep));
        // Sizes far beyond the file: a map of 16 million entries, a 16 MiB string.
        let mut wide = header(7, 16_843_035);
        wide.extend(text("country"));
        cases.push(("wide map", wide));
        let mut long = header(7, 1);
        long.extend(text("country"));
        long.extend(header(7, 1));
        long.extend(text("iso_code"));
        long.extend(header(2, 16_843_035));
        long.extend_from_slice(b"GB");
        cases.push(("long string", long));
        // A 1 MiB iso_code that is there: not copied, not answered.
        cases.push(("1 MiB iso_code", record(&"G".repeat(1 << 20))));
        // Every type number, truncated scalars, an extended type past the last one.
        for kind in 0..=255u8 {
            cases.push(("odd type", vec![0x00, kind, 0xFF]));
        }
        cases.push(("truncated", record("GB")[..10].to_vec()));
        for (what, data) in cases {
            assert_eq!(lookup(file(4, 0, &data, &[]), "1.2.3.4"), None, "{what}");
            assert_eq!(lookup(file(6, 0, &data, &[]), "1.2.3.4"), None, "{what}");
        }
        // A tree record pointing past the data section.
        assert_eq!(lookup(file(4, 5000, &record("GB"), &[]), "1.2.3.4"), None);
        // A tree whose nodes point to themselves: 32 or 128 steps, then nothing.
        for v in [4u64, 6] {
            let mut looping = vec![0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
            looping.extend_from_slice(&[0; 16]);
            looping.extend(record("GB"));
            looping.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
            looping.extend(metadata(2, 24, v, 2));
            let db = CountryDb::from_bytes(looping).expect("opens");
            assert_eq!(db.country(ip("0.0.0.0")), None);
            assert_eq!(db.country(ip("::")), None);
            assert_eq!(db.country(ip("1.2.3.4")), None);
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }

    /// Random trees, data and metadata behind a valid-looking marker: answers or errors,
    /// never a panic or a hang.
    #[test]
    fn random_files_never_panic() {
        use rand::{Rng as _, RngCore as _};
        let mut rng = rand::thread_rng();
        for _ in 0..2000 {
            let mut bytes = vec![0u8; rng.gen_range(0..512)];
            rng.fill_bytes(&mut bytes);
            bytes.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
            // A plausible metadata map, sometimes altered.
            let mut meta = metadata(
                rng.gen_range(0..40),
                [24, 28, 32][rng.gen_range(0..3)],
                [4, 6][rng.gen_range(0..2)],
                2,
            );
            if rng.gen_bool(0.3) {
                let i = rng.gen_range(0..meta.len());
                meta[i] = rng.gen();
            }
            bytes.extend_from_slice(&meta);
            if let Ok(db) = CountryDb::from_bytes(bytes) {
                for _ in 0..8 {
                    let v4 = std::net::Ipv4Addr::from(rng.gen::<u32>());
                    let _ = db.country(IpAddr::V4(v4));
                    let v6 = std::net::Ipv6Addr::from(rng.gen::<u128>());
                    let _ = db.country(IpAddr::V6(v6));
                }
            }
        }
    }
}
