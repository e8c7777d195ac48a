//! Share links: `https://HOST[/prefix]/s/SECRET_ID#FRAGMENT`, the key only in the fragment.
//!
//! The fragment is base64url (no padding) of a versioned binary record:
//!
//! ```text
//! whole key:  0x01 ‖ 0x00 ‖ link key (32)                                  → 46 characters
//! split part: 0x01 ‖ 0x01 ‖ K ‖ N ‖ ordinal ‖ split id (4) ‖ share (32 y-bytes ‖ x)  → 56 characters
//! ```
//!
//! The split id is random and shared by the parts of one split, unrelated to the key, so
//! mixing parts of two splits is caught before combining while fewer than K parts still
//! reveal nothing about the key.
//!
//! Browsers never send the fragment to a server, so a link scanner or a proxy log that sees
//! the URL learns the secret id only, which is enough to read the public status and nothing
//! else: revealing needs the proof derived from the key, burning needs the metadata key.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::keys::{LinkKey, LINK_KEY_LEN};
use crate::split;

/// Version byte of the fragment format.
pub const FRAGMENT_VERSION: u8 = 1;
/// Fewest parts a split link may have.
pub const MIN_PARTS: u8 = 2;
/// Most parts a split link may have.
pub const MAX_PARTS: u8 = 10;

const KIND_KEY: u8 = 0;
const KIND_PART: u8 = 1;
const SHARE_LEN: usize = LINK_KEY_LEN + 1;
const KEY_FRAGMENT_LEN: usize = 2 + LINK_KEY_LEN;
const SPLIT_ID_LEN: usize = 4;
const PART_FRAGMENT_LEN: usize = 5 + SPLIT_ID_LEN + SHARE_LEN;

/// One part of a split link key.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct LinkPart {
    needed: u8,
    total: u8,
    ordinal: u8,
    split_id: [u8; SPLIT_ID_LEN],
    share: [u8; SHARE_LEN],
}

impl LinkPart {
    /// Parts needed to open (K).
    pub fn needed(&self) -> u8 {
        self.needed
    }
    /// Parts made (N).
    pub fn total(&self) -> u8 {
        self.total
    }
    /// Which part this is, 1-based, for display ("part 2 of 3").
    pub fn ordinal(&self) -> u8 {
        self.ordinal
    }
    /// The share in `shamir-secret-sharing` layout (`y-bytes ‖ x`).
    pub fn share(&self) -> &[u8] {
        &self.share
    }
    /// Random id shared by all parts of one split.
    pub fn split_id(&self) -> [u8; SPLIT_ID_LEN] {
        self.split_id
    }
    /// Builds a part from a share made elsewhere (e.g. by the npm package).
    pub fn from_share(
        needed: u8,
        total: u8,
        ordinal: u8,
        split_id: [u8; SPLIT_ID_LEN],
        share: &[u8],
    ) -> Result<Self> {
        check_split(needed, total)?;
        if ordinal == 0 || ordinal > total {
            return Err(Error::InvalidPart("part number out of range"));
        }
        let share: [u8; SHARE_LEN] = share
            .try_into()
            .map_err(|_| Error::InvalidPart("share must be 33 bytes"))?;
        if share[LINK_KEY_LEN] == 0 {
            return Err(Error::InvalidPart("share has x-coordinate 0"));
        }
        Ok(LinkPart {
            needed,
            total,
            ordinal,
            split_id,
            share,
        })
    }
}

impl fmt::Debug for LinkPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LinkPart({} of {}, {} needed, <redacted>)",
            self.ordinal, self.total, self.needed
        )
    }
}

fn check_split(needed: u8, total: u8) -> Result<()> {
    if needed < MIN_PARTS || total < needed || total > MAX_PARTS {
        return Err(Error::InvalidSplit {
            k: needed,
            n: total,
        });
    }
    Ok(())
}

/// What a link's fragment carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkSecret {
    /// The whole key.
    Key(LinkKey),
    /// One part of a split key.
    Part(LinkPart),
}

impl LinkSecret {
    /// Encodes the fragment (without `#`).
    pub fn to_fragment(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(PART_FRAGMENT_LEN));
        bytes.push(FRAGMENT_VERSION);
        match self {
            LinkSecret::Key(key) => {
                bytes.push(KIND_KEY);
                bytes.extend_from_slice(key.expose_bytes());
            }
            LinkSecret::Part(part) => {
                bytes.extend_from_slice(&[KIND_PART, part.needed, part.total, part.ordinal]);
                bytes.extend_from_slice(&part.split_id);
                bytes.extend_from_slice(&part.share);
            }
        }
        Zeroizing::new(URL_SAFE_NO_PAD.encode(&bytes))
    }

    /// Decodes a fragment (with or without the leading `#`).
    pub fn from_fragment(fragment: &str) -> Result<Self> {
        let text = fragment.trim().trim_start_matches('#');
        if text.is_empty() {
            return Err(Error::InvalidLink(
                "the link has no key: copy the whole link, including the part after #",
            ));
        }
        if text.len() > 128 {
            return Err(Error::InvalidLink("the part after # is too long"));
        }
        let bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(text)
                .map_err(|_| Error::InvalidLink("the part after # is damaged (not base64url)"))?,
        );
        match bytes.first() {
            None => return Err(Error::InvalidLink("the link has no key")),
            Some(&FRAGMENT_VERSION) => {}
            Some(&v) => return Err(Error::UnsupportedVersion(v)),
        }
        match (bytes.get(1), bytes.len()) {
            (Some(&KIND_KEY), KEY_FRAGMENT_LEN) => {
                let mut key = [0u8; LINK_KEY_LEN];
                key.copy_from_slice(&bytes[2..]);
                let secret = LinkSecret::Key(LinkKey::from_bytes(key));
                key.zeroize();
                Ok(secret)
            }
            (Some(&KIND_PART), PART_FRAGMENT_LEN) => {
                let mut split_id = [0u8; SPLIT_ID_LEN];
                split_id.copy_from_slice(&bytes[5..5 + SPLIT_ID_LEN]);
                let part = LinkPart::from_share(
                    bytes[2],
                    bytes[3],
                    bytes[4],
                    split_id,
                    &bytes[5 + SPLIT_ID_LEN..],
                )?;
                Ok(LinkSecret::Part(part))
            }
            (Some(&KIND_KEY) | Some(&KIND_PART), _) => Err(Error::InvalidLink(
                "the part after # has the wrong length: was the link cut?",
            )),
            _ => Err(Error::InvalidLink("unknown link kind")),
        }
    }
}

/// A secret id: 16 to 64 base64url characters (servers issue ≥128 random bits).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SecretId(String);

impl SecretId {
    /// Validates a secret id.
    pub fn parse(text: &str) -> Result<Self> {
        let ok_len = (16..=64).contains(&text.len());
        let ok_chars = text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok_len || !ok_chars {
            return Err(Error::InvalidLink("the secret id in the link is malformed"));
        }
        Ok(SecretId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids are bearer-ish (they let anyone read the status): show a prefix only.
        write!(f, "SecretId({}…)", &self.0[..6])
    }
}

/// A parsed share link.
#[derive(Clone, PartialEq, Eq)]
pub struct Link {
    base: String,
    secret_id: SecretId,
    secret: LinkSecret,
}

impl Link {
    /// Builds a link from a server base URL (`https://host[/prefix]`), a secret id and a key or part.
    pub fn new(base: &str, secret_id: SecretId, secret: LinkSecret) -> Result<Self> {
        let base = base.trim_end_matches('/');
        check_base(base)?;
        Ok(Link {
            base: base.to_owned(),
            secret_id,
            secret,
        })
    }

    /// Parses `https://HOST[/prefix]/s/SECRET_ID#FRAGMENT` (also `http://` for loopback and tests).
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        let (location, fragment) = url.split_once('#').ok_or(Error::InvalidLink(
            "the link has no key: copy the whole link, including the part after #",
        ))?;
        let location = location.split_once('?').map_or(location, |(path, _)| path);
        let location = location.trim_end_matches('/');
        let (base, id) = location
            .rsplit_once("/s/")
            .ok_or(Error::InvalidLink("this is not a Wisp link (no /s/ in it)"))?;
        check_base(base)?;
        Ok(Link {
            base: base.to_owned(),
            secret_id: SecretId::parse(id)?,
            secret: LinkSecret::from_fragment(fragment)?,
        })
    }

    /// Server base URL, e.g. `https://wisp.example`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The secret id.
    pub fn secret_id(&self) -> &SecretId {
        &self.secret_id
    }

    /// The key or part carried in the fragment.
    pub fn secret(&self) -> &LinkSecret {
        &self.secret
    }

    /// The URL without the fragment: all a server ever sees.
    pub fn public_url(&self) -> String {
        format!("{}/s/{}", self.base, self.secret_id.0)
    }

    /// The complete link, key included. Show it to the user; never log it.
    pub fn expose_url(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{}#{}",
            self.public_url(),
            self.secret.to_fragment().as_str()
        ))
    }
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("base", &self.base)
            .field("secret_id", &self.secret_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

fn check_base(base: &str) -> Result<()> {
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .ok_or(Error::InvalidLink("a Wisp link starts with https://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains(['@', ' ', '\\']) {
        return Err(Error::InvalidLink("the link has no valid host"));
    }
    Ok(())
}

/// Splits a link key into `total` parts, `needed` of which open it (2 ≤ K ≤ N ≤ 10).
pub fn split_key(key: &LinkKey, needed: u8, total: u8) -> Result<Vec<LinkPart>> {
    split_key_with_rng(key, needed, total, &mut rand::rngs::OsRng)
}

pub(crate) fn split_key_with_rng<G: rand::RngCore + rand::CryptoRng>(
    key: &LinkKey,
    needed: u8,
    total: u8,
    rng: &mut G,
) -> Result<Vec<LinkPart>> {
    check_split(needed, total)?;
    let shares = split::split(key.expose_bytes(), needed, total, rng)?;
    let mut split_id = [0u8; SPLIT_ID_LEN];
    rng.fill_bytes(&mut split_id);
    shares
        .iter()
        .enumerate()
        .map(|(i, share)| LinkPart::from_share(needed, total, i as u8 + 1, split_id, share))
        .collect()
}

/// Recombines parts into the link key. Needs at least K distinct parts of the same split.
pub fn combine_parts(parts: &[&LinkPart]) -> Result<LinkKey> {
    let first = parts.first().ok_or(Error::NotEnoughParts {
        needed: MIN_PARTS,
        have: 0,
    })?;
    let (needed, total) = (first.needed, first.total);
    let mut distinct: Vec<&LinkPart> = Vec::with_capacity(parts.len());
    for part in parts {
        if part.needed != needed || part.total != total || part.split_id != first.split_id {
            return Err(Error::PartsMismatch);
        }
        if let Some(seen) = distinct.iter().find(|p| {
            p.share[LINK_KEY_LEN] == part.share[LINK_KEY_LEN] || p.ordinal == part.ordinal
        }) {
            // The same part pasted twice is a harmless slip; a different part with the same
            // number or x-coordinate means parts of different splits were mixed.
            if seen.share != part.share {
                return Err(Error::PartsMismatch);
            }
            return Err(Error::DuplicatePart(part.ordinal));
        }
        distinct.push(part);
    }
    if distinct.len() < needed as usize {
        return Err(Error::NotEnoughParts {
            needed,
            have: distinct.len() as u8,
        });
    }
    let shares: Vec<&[u8]> = distinct.iter().map(|p| &p.share[..]).collect();
    let secret = split::combine(&shares)?;
    let bytes: [u8; LINK_KEY_LEN] = secret
        .as_slice()
        .try_into()
        .map_err(|_| Error::PartsMismatch)?;
    Ok(LinkKey::from_bytes(bytes))
}

/// Recombines the key from several part links; they must point at the same secret.
pub fn combine_links(links: &[Link]) -> Result<LinkKey> {
    let first = links.first().ok_or(Error::NotEnoughParts {
        needed: MIN_PARTS,
        have: 0,
    })?;
    let mut parts = Vec::with_capacity(links.len());
    for link in links {
        if link.secret_id != first.secret_id || link.base != first.base {
            return Err(Error::PartsMismatch);
        }
        match &link.secret {
            LinkSecret::Part(part) => parts.push(part),
            LinkSecret::Key(key) => return Ok(key.clone()),
        }
    }
    combine_parts(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AbCdEfGhIjKlMnOpQrStUv";

    #[test]
    fn key_link_round_trip() {
        let key = LinkKey::generate();
        let link = Link::new(
            "https://wisp.example/",
            SecretId::parse(ID).expect("id"),
            LinkSecret::Key(key.clone()),
        )
        .expect("link");
        let url = link.expose_url();
        assert!(url.starts_with("https://wisp.example/s/AbCdEfGhIjKlMnOpQrStUv#"));
        assert_eq!(url.split('#').nth(1).map(str::len), Some(46));
        let back = Link::parse(&url).expect("parse");
        assert_eq!(back.secret(), &LinkSecret::Key(key));
        assert_eq!(
            back.public_url(),
            "https://wisp.example/s/AbCdEfGhIjKlMnOpQrStUv"
        );
        assert!(!format!("{back:?}").contains(url.split('#').nth(1).unwrap_or("x")));
    }

    #[test]
    fn split_links_combine_and_fail_clearly() {
        let key = LinkKey::generate();
        let parts = split_key(&key, 2, 3).expect("split");
        let links: Vec<Link> = parts
            .iter()
            .map(|p| {
                Link::new(
                    "https://h.example/prefix",
                    SecretId::parse(ID).expect("id"),
                    LinkSecret::Part(p.clone()),
                )
                .expect("link")
            })
            .collect();
        let reparsed: Vec<Link> = links
            .iter()
            .map(|l| Link::parse(&l.expose_url()).expect("parse"))
            .collect();
        assert_eq!(reparsed[1].base(), "https://h.example/prefix");
        assert_eq!(combine_links(&reparsed[1..]).expect("combine"), key);
        assert!(matches!(
            combine_links(&reparsed[..1]),
            Err(Error::NotEnoughParts { needed: 2, have: 1 })
        ));
        assert!(matches!(
            combine_links(&[reparsed[0].clone(), reparsed[0].clone()]),
            Err(Error::DuplicatePart(1))
        ));
        let other = Link::new(
            "https://h.example/prefix",
            SecretId::parse("ZZZZZZZZZZZZZZZZZZZZZZ").expect("id"),
            reparsed[1].secret().clone(),
        )
        .expect("link");
        assert!(matches!(
            combine_links(&[reparsed[0].clone(), other]),
            Err(Error::PartsMismatch)
        ));
        let foreign = split_key(&LinkKey::generate(), 2, 3).expect("split");
        assert!(matches!(
            combine_parts(&[&parts[0], &foreign[0]]),
            Err(Error::PartsMismatch)
        ));
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        for (url, needle) in [
            ("https://h.example/s/AbCdEfGhIjKlMnOpQrStUv", "no key"),
            ("https://h.example/s/AbCdEfGhIjKlMnOpQrStUv#", "no key"),
            ("https://h.example/s/AbCdEfGhIjKlMnOpQrStUv#!!!", "damaged"),
            ("https://h.example/s/AbCdEfGhIjKlMnOpQrStUv#AQAA", "cut"),
            (
                "https://h.example/x/AbCdEfGhIjKlMnOpQrStUv#AQAA",
                "not a Wisp link",
            ),
            ("ftp://h.example/s/AbCdEfGhIjKlMnOpQrStUv#AQAA", "https"),
            ("https://h.example/s/short#AQAA", "secret id"),
        ] {
            let err = Link::parse(url).expect_err(url).to_string();
            assert!(err.contains(needle), "{url}: {err}");
        }
        assert!(matches!(
            LinkSecret::from_fragment("AgA"),
            Err(Error::UnsupportedVersion(2))
        ));
        assert!(matches!(
            split_key(&LinkKey::generate(), 2, 11),
            Err(Error::InvalidSplit { .. })
        ));
    }
}
