//! The country database reader (`geo::CountryDb`) against files Wisp did not write: the
//! fixtures in `tests/fixtures/geo/` are written by the PyPI package `mmdb-writer`
//! (`tests/interop/mmdb_fixtures.py`, which `scripts/setup.sh` installs into `.venv`),
//! IPv6-shaped like GeoLite2-Country (IPv4 under `::/96`) and IPv4-only, with 24-, 28- and
//! 32-bit records. The same lookups go through libmaxminddb's `mmdblookup` (Debian's
//! `mmdb-bin`, also installed by `scripts/setup.sh`).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use wisp_server::geo::CountryDb;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo")
}

const FILES: [&str; 6] = [
    "country-v6-24.mmdb",
    "country-v6-28.mmdb",
    "country-v6-32.mmdb",
    "country-v4-24.mmdb",
    "country-v4-28.mmdb",
    "country-v4-32.mmdb",
];

/// Addresses, what the IPv6-shaped databases hold at `country` → `iso_code` (as
/// `mmdblookup` prints it), and what Wisp answers. The networks are those of
/// `tests/interop/mmdb_fixtures.py`; the IPv4-only databases hold the IPv4 ones only.
const CASES: &[(&str, Option<&str>, Option<&str>)] = &[
    // 81.2.69.0/24 → GB (a GeoLite2-style record: names in five languages, continent…)
    ("81.2.69.142", Some("\"GB\""), Some("GB")),
    ("81.2.69.0", Some("\"GB\""), Some("GB")),
    ("81.2.69.255", Some("\"GB\""), Some("GB")),
    ("81.2.68.255", None, None),
    ("81.2.70.0", None, None),
    ("203.0.113.9", Some("\"FR\""), Some("FR")),
    ("198.51.100.1", Some("\"DE\""), Some("DE")),
    // 10.0.0.0/8 → NL, with 10.1.0.0/16 → BE inside it.
    ("10.0.0.1", Some("\"NL\""), Some("NL")),
    ("10.1.2.3", Some("\"BE\""), Some("BE")),
    ("10.2.0.1", Some("\"NL\""), Some("NL")),
    ("10.255.255.255", Some("\"NL\""), Some("NL")),
    // Only registered_country: where the network is registered is not where the visitor is.
    ("192.0.2.1", None, None),
    // Codes that are not two upper-case ASCII letters are not answered.
    ("192.0.2.129", Some("\"de\""), None),
    ("192.0.2.193", Some("\"GBR\""), None),
    ("192.0.2.225", Some("826"), None),
    ("192.0.2.250", None, None),
    ("8.8.8.8", None, None),
    ("0.0.0.0", None, None),
    ("255.255.255.255", None, None),
    // 2001:db8::/32 → DE, with 2001:db8:1::/48 → CH inside it; 3fff::/20 → JP.
    ("2001:db8::1", Some("\"DE\""), Some("DE")),
    ("2001:db8:1::1", Some("\"CH\""), Some("CH")),
    ("2001:db8:2::1", Some("\"DE\""), Some("DE")),
    (
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        Some("\"DE\""),
        Some("DE"),
    ),
    ("3fff::1", Some("\"JP\""), Some("JP")),
    ("3fff:fff::1", Some("\"JP\""), Some("JP")),
    ("3fff:1000::1", None, None),
    ("2001:db9::1", None, None),
    ("::1", None, None),
    ("::", None, None),
];

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

/// The expectation for `addr` in `file`: the IPv4-only databases know no IPv6 network.
fn expected<'a>(file: &str, addr: IpAddr, v6_shaped: Option<&'a str>) -> Option<&'a str> {
    if file.starts_with("country-v4") && addr.is_ipv6() {
        None
    } else {
        v6_shaped
    }
}

#[test]
fn lookups_in_databases_wisp_did_not_write() {
    for file in FILES {
        let db = CountryDb::open(&fixtures().join(file)).expect(file);
        for &(addr, _, wisp) in CASES {
            let addr = ip(addr);
            let want = expected(file, addr, wisp);
            assert_eq!(db.country(addr).as_deref(), want, "{file}: {addr}");
            // An IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) is
            // the IPv4 address.
            if let IpAddr::V4(v4) = addr {
                let mapped = IpAddr::V6(v4.to_ipv6_mapped());
                assert_eq!(db.country(mapped).as_deref(), want, "{file}: {mapped}");
            }
        }
        let bytes = std::fs::read(fixtures().join(file)).expect("read");
        let same = CountryDb::from_bytes(bytes).expect(file);
        assert_eq!(same.country(ip("81.2.69.1")).as_deref(), Some("GB"));
    }
}

/// libmaxminddb (MaxMind's C reader) finds the same values in the same files, so the
/// fixtures are valid MaxMind DB files and the expectations above are what they hold.
#[test]
fn libmaxminddb_reads_the_same_values() {
    let probe = Command::new("mmdblookup").arg("--version").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "mmdblookup is missing: run scripts/setup.sh (it installs Debian's mmdb-bin)"
    );
    for file in FILES {
        let path = fixtures().join(file);
        for &(addr, stored, _) in CASES {
            let want = expected(file, ip(addr), stored);
            let out = Command::new("mmdblookup")
                .arg("--file")
                .arg(&path)
                .args(["--ip", addr, "country", "iso_code"])
                .output()
                .expect("mmdblookup");
            let text = String::from_utf8_lossy(&out.stdout);
            // Exit 0 prints `  "GB" <utf8_string>`; 5 (no such path) and 6 (no entry) mean
            // nothing there; 4 is an IPv6 address in an IPv4-only database.
            let got = match out.status.code() {
                Some(0) => text.split_whitespace().next(),
                Some(4..=6) => None,
                other => panic!("mmdblookup {file} {addr}: {other:?} {text}"),
            };
            assert_eq!(got, want, "mmdblookup {file} {addr}");
        }
    }
}

/// The committed fixtures are what `tests/interop/mmdb_fixtures.py` writes.
#[test]
fn fixtures_are_what_mmdb_writer_writes() {
    let python = std::env::var_os("WISP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (it installs mmdb-writer into .venv)",
        python.display()
    );
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(&python)
        .arg(repo().join("tests/interop/mmdb_fixtures.py"))
        .arg(dir.path())
        .output()
        .expect("spawn python");
    assert!(
        out.status.success(),
        "mmdb_fixtures.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let mut files = FILES.map(String::from).to_vec();
    files.sort();
    assert_eq!(names(dir.path()), files);
    assert_eq!(names(&fixtures()), files);
    for file in FILES {
        assert!(
            std::fs::read(dir.path().join(file)).expect("new")
                == std::fs::read(fixtures().join(file)).expect("committed"),
            "{file} differs from what tests/interop/mmdb_fixtures.py writes: run \
             .venv/bin/python tests/interop/mmdb_fixtures.py crates/wisp-server/tests/fixtures/geo"
        );
    }
}
