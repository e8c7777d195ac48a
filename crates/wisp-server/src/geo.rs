//! A visitor's country from a MaxMind DB file (the format of GeoLite2-Country, GeoIP2-Country
//! and DB-IP's country databases), for servers without a proxy that sets `CF-IPCountry`. Used
//! by view logs and by Seecret.it's `country_block[]`.
//!
//! A small reader of the published format (binary search tree, then a data section of typed
//! values), enough to find `country.iso_code`: the file is read once at start; every read is
//! bounds-checked, so a damaged file answers "unknown", never a panic.

use std::net::IpAddr;
use std::path::Path;

/// Marks the start of the metadata section, near the end of the file.
const METADATA_MARKER: &[u8] = b"\xAB\xCD\xEFMaxMind.com";
/// Deepest nesting decoded (the format allows more; country records need three levels).
const MAX_DEPTH: u32 = 16;
/// Most values decoded per lookup, so that a crafted file (maps of pointers to maps) cannot
/// make one lookup take exponential time.
const MAX_VALUES: u32 = 10_000;

/// An opened country database.
pub struct CountryDb {
    bytes: Vec<u8>,
    node_count: u32,
    record_size: u16,
    ip_version: u16,
    tree_size: usize,
}

impl std::fmt::Debug for CountryDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountryDb")
            .field("node_count", &self.node_count)
            .field("ip_version", &self.ip_version)
            .finish_non_exhaustive()
    }
}

/// Longest text a lookup copies out of the database (keys and `iso_code`); longer ones are
/// skipped unread, so a hostile file cannot make a lookup allocate more than a little.
const MAX_TEXT: usize = 64;

/// What a lookup keeps of the value it decodes: only the path to
/// `country`/`registered_country` → `iso_code` is copied, everything else is skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    /// The record's top-level map: keep its `country` and `registered_country`.
    Record,
    /// A country map: keep its `iso_code`.
    Country,
    /// A text wanted as such (an `iso_code`, or a map key to compare).
    Text,
    /// Nothing: walk over it to find where it ends.
    Skip,
}

/// A decoded value of the data section.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Map(Vec<(String, Value)>),
    Text(String),
    Other,
}

impl CountryDb {
    /// Opens and checks a database file.
    pub fn open(path: &Path) -> Result<Self, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::from_bytes(bytes)
    }

    /// Checks a database held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, String> {
        let start = bytes
            .windows(METADATA_MARKER.len())
            .rposition(|w| w == METADATA_MARKER)
            .ok_or("not a MaxMind DB file (no metadata marker)")?
            + METADATA_MARKER.len();
        let number = |name: &str| -> Option<u64> {
            let offset = find_offset(&bytes, start, name)?;
            read_uint(&bytes, start, offset)
        };
        let node_count = number("node_count").ok_or("metadata lacks node_count")?;
        let record_size = number("record_size").ok_or("metadata lacks record_size")?;
        let ip_version = number("ip_version").ok_or("metadata lacks ip_version")?;
        if ![24, 28, 32].contains(&record_size) || ![4, 6].contains(&ip_version) {
            return Err("unsupported record size or IP version".into());
        }
        let node_count = u32::try_from(node_count).map_err(|_| "node_count too large")?;
        let tree_size = (record_size as usize * 2 / 8)
            .checked_mul(node_count as usize)
            .filter(|t| t + 16 <= bytes.len())
            .ok_or("search tree larger than the file")?;
        Ok(CountryDb {
            bytes,
            node_count,
            record_size: record_size as u16,
            ip_version: ip_version as u16,
            tree_size,
        })
    }

    fn record(&self, node: u32, right: bool) -> Option<u32> {
        let size = self.record_size as usize * 2 / 8;
        let base = (node as usize).checked_mul(size)?;
        let b = self.bytes.get(base..base + size)?;
        let be = |s: &[u8]| s.iter().fold(0u32, |acc, &x| (acc << 8) | x as u32);
        Some(match (self.record_size, right) {
            (24, false) => be(&b[0..3]),
            (24, true) => be(&b[3..6]),
            (28, false) => ((b[3] as u32 & 0xF0) << 20) | be(&b[0..3]),
            (28, true) => ((b[3] as u32 & 0x0F) << 24) | be(&b[4..7]),
            (32, false) => be(&b[0..4]),
            (_, _) => be(&b[4..8]),
        })
    }

    /// The ISO 3166 alpha-2 code of `ip`'s country (upper case), if the database knows it.
    pub fn country(&self, ip: IpAddr) -> Option<String> {
        let bits: Vec<bool> = match (ip, self.ip_version) {
            (IpAddr::V4(v4), 4) => to_bits(&v4.octets()),
            (IpAddr::V4(v4), _) => {
                let mut b = vec![false; 96];
                b.extend(to_bits(&v4.octets()));
                b
            }
            (IpAddr::V6(v6), 6) => to_bits(&v6.octets()),
            (IpAddr::V6(v6), _) => to_bits(&v6.to_ipv4_mapped()?.octets()),
        };
        let mut node = 0u32;
        for bit in bits {
            if node >= self.node_count {
                break;
            }
            node = self.record(node, bit)?;
        }
        if node <= self.node_count {
            return None;
        }
        let data_start = self.tree_size + 16;
        let offset = self.tree_size + (node - self.node_count) as usize;
        let mut budget = MAX_VALUES;
        let (value, _) = decode(
            &self.bytes,
            data_start,
            offset,
            0,
            &mut budget,
            Keep::Record,
        )?;
        let code =
            iso_code(&value, "country").or_else(|| iso_code(&value, "registered_country"))?;
        (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| code.to_ascii_uppercase())
    }
}

fn to_bits(bytes: &[u8]) -> Vec<bool> {
    bytes
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect()
}

fn iso_code(value: &Value, key: &str) -> Option<String> {
    let Value::Map(fields) = value else {
        return None;
    };
    let (_, country) = fields.iter().find(|(k, _)| k == key)?;
    let Value::Map(inner) = country else {
        return None;
    };
    match inner.iter().find(|(k, _)| k == "iso_code") {
        Some((_, Value::Text(code))) => Some(code.clone()),
        _ => None,
    }
}

/// Reads a control byte at `offset`: (type, size or pointer value, offset after it).
fn control(bytes: &[u8], section: usize, offset: usize) -> Option<(u8, usize, usize)> {
    let ctrl = *bytes.get(offset)?;
    let mut at = offset + 1;
    let mut kind = ctrl >> 5;
    if kind == 1 {
        // Pointer: its size bits encode the target, relative to the section start.
        let ss = (ctrl >> 3) & 0x3;
        let v = (ctrl & 0x7) as usize;
        let take = |n: usize| -> Option<usize> {
            let s = bytes.get(at..at + n)?;
            Some(s.iter().fold(0usize, |acc, &x| (acc << 8) | x as usize))
        };
        let target = match ss {
            0 => (v << 8) | take(1)?,
            1 => ((v << 16) | take(2)?) + 2048,
            2 => ((v << 24) | take(3)?) + 526_336,
            _ => take(4)?,
        };
        at += ss as usize + 1;
        return Some((1, section.checked_add(target)?, at));
    }
    if kind == 0 {
        kind = 7u8.checked_add(*bytes.get(at)?)?;
        at += 1;
    }
    let mut size = (ctrl & 0x1f) as usize;
    if size >= 29 {
        let extra = size - 28;
        let s = bytes.get(at..at + extra)?;
        let n = s.iter().fold(0usize, |acc, &x| (acc << 8) | x as usize);
        size = match extra {
            1 => 29 + n,
            2 => 285 + n,
            _ => 65_821 + n,
        };
        at += extra;
    }
    Some((kind, size, at))
}

/// Decodes the value at `offset`, copying out only what `keep` asks for (see [`Keep`]);
/// returns it and the offset after it (after the pointer itself, for a pointer).
fn decode(
    bytes: &[u8],
    section: usize,
    offset: usize,
    depth: u32,
    budget: &mut u32,
    keep: Keep,
) -> Option<(Value, usize)> {
    if depth > MAX_DEPTH || *budget == 0 {
        return None;
    }
    *budget -= 1;
    let (kind, size, at) = control(bytes, section, offset)?;
    match kind {
        1 => {
            let (value, _) = decode(bytes, section, size, depth + 1, budget, keep)?;
            Some((value, at))
        }
        2 => {
            let end = at.checked_add(size)?;
            let raw = bytes.get(at..end)?;
            let value = if keep == Keep::Text && size <= MAX_TEXT {
                Value::Text(std::str::from_utf8(raw).ok()?.to_owned())
            } else {
                Value::Other
            };
            Some((value, end))
        }
        7 => {
            let mut fields = Vec::new();
            let mut next = at;
            for _ in 0..size {
                let key_keep = if keep == Keep::Skip || keep == Keep::Text {
                    Keep::Skip
                } else {
                    Keep::Text
                };
                let (key, after_key) = decode(bytes, section, next, depth + 1, budget, key_keep)?;
                let wanted = match (keep, &key) {
                    (Keep::Record, Value::Text(k))
                        if k == "country" || k == "registered_country" =>
                    {
                        Keep::Country
                    }
                    (Keep::Country, Value::Text(k)) if k == "iso_code" => Keep::Text,
                    _ => Keep::Skip,
                };
                let (value, after_value) =
                    decode(bytes, section, after_key, depth + 1, budget, wanted)?;
                if let (Keep::Country | Keep::Text, Value::Text(k)) = (wanted, key) {
                    fields.push((k, value));
                }
                next = after_value;
            }
            Some((
                if keep == Keep::Skip || keep == Keep::Text {
                    Value::Other
                } else {
                    Value::Map(fields)
                },
                next,
            ))
        }
        11 => {
            let mut next = at;
            for _ in 0..size {
                let (_, after) = decode(bytes, section, next, depth + 1, budget, Keep::Skip)?;
                next = after;
            }
            Some((Value::Other, next))
        }
        // Fixed-size scalars: skip `size` bytes (booleans carry their value in the size).
        3 | 4 | 5 | 6 | 8 | 9 | 10 | 15 => Some((Value::Other, at.checked_add(size)?)),
        14 => Some((Value::Other, at)),
        _ => None,
    }
}

/// The offset of the value of `key` in the metadata map at `start`.
fn find_offset(bytes: &[u8], start: usize, key: &str) -> Option<usize> {
    let mut budget = MAX_VALUES;
    let budget = &mut budget;
    let (kind, size, mut at) = control(bytes, start, start)?;
    if kind != 7 {
        return None;
    }
    for _ in 0..size {
        let (k, after_key) = decode(bytes, start, at, 1, budget, Keep::Text)?;
        if matches!(&k, Value::Text(t) if t == key) {
            return Some(after_key);
        }
        let (_, after_value) = decode(bytes, start, after_key, 1, budget, Keep::Skip)?;
        at = after_value;
    }
    None
}

/// An unsigned integer (uint16/32/64/128) at `offset`.
fn read_uint(bytes: &[u8], section: usize, offset: usize) -> Option<u64> {
    let (kind, size, at) = control(bytes, section, offset)?;
    if !matches!(kind, 5 | 6 | 9 | 10) || size > 8 {
        return None;
    }
    let s = bytes.get(at..at + size)?;
    Some(s.iter().fold(0u64, |acc, &x| (acc << 8) | x as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lookup copies only `country`/`registered_country` → `iso_code` (at most 64 bytes);
    /// every other value is walked over without being copied.
    #[test]
    fn lookups_copy_only_the_country_code() {
        let mut record = vec![0xE3, 0x45];
        record.extend_from_slice(b"names");
        record.push(0x54);
        record.extend_from_slice(&[b'x'; 20]);
        record.push(0x47);
        record.extend_from_slice(b"country");
        record.extend_from_slice(&[0xE1, 0x48]);
        record.extend_from_slice(b"iso_code");
        record.push(0x42);
        record.extend_from_slice(b"DE");
        record.push(0x52);
        record.extend_from_slice(b"registered_country");
        record.extend_from_slice(&[0xE1, 0x48]);
        record.extend_from_slice(b"iso_code");
        record.extend_from_slice(&[0x5D, 100 - 29]);
        record.extend_from_slice(&[b'Y'; 100]);
        let mut budget = MAX_VALUES;
        let (value, end) = decode(&record, 0, 0, 0, &mut budget, Keep::Record).expect("decodes");
        assert_eq!(end, record.len());
        let country = Value::Map(vec![("iso_code".into(), Value::Text("DE".into()))]);
        let registered = Value::Map(vec![("iso_code".into(), Value::Other)]);
        assert_eq!(
            value,
            Value::Map(vec![
                ("country".into(), country),
                ("registered_country".into(), registered)
            ])
        );
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(CountryDb::from_bytes(b"nothing here".to_vec()).is_err());
        let mut damaged = vec![0u8; 64];
        damaged.extend_from_slice(METADATA_MARKER);
        damaged.extend_from_slice(&[0xE3, 0xFF]);
        assert!(CountryDb::from_bytes(damaged).is_err());
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
            bytes.extend_from_slice(METADATA_MARKER);
            // A plausible metadata map, sometimes truncated or altered.
            let mut meta = vec![0xE3, 0x4A];
            meta.extend_from_slice(b"node_count");
            meta.extend_from_slice(&[0xC4, 0, 0, 0, rng.gen_range(0..40)]);
            meta.push(0x4B);
            meta.extend_from_slice(b"record_size");
            meta.extend_from_slice(&[0xA2, 0, [24, 28, 32][rng.gen_range(0..3)]]);
            meta.push(0x4A);
            meta.extend_from_slice(b"ip_version");
            meta.extend_from_slice(&[0xA2, 0, [4, 6][rng.gen_range(0..2)]]);
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
