//! One trait, [`Provider`], over every kind of server an account can live on: Wisp's own
//! API and the four services whose APIs a Wisp server also speaks (Onetime Secret, Burn the
//! Secret, SecLink, Seecret.it). Each kind has its module, speaking that service's documented
//! API; [`connect`] picks it from an account, [`recognise`] tells which kind a received link
//! belongs to, and [`features`] says what a kind can do (what the send screen offers).
//!
//! Nothing here logs content, passphrases, link keys or tokens: errors carry the service's
//! message (which never echoes content) and HTTP status only.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod burn;
mod error;
mod http;
mod onetime;
mod seclink;
mod seecret;
mod wisp;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zeroize::Zeroizing;

pub use error::{ProviderError, Result};
pub use wisp_accounts::{Account, ServerKind};

/// What a kind of server supports: the send screen offers only these options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindFeatures {
    /// A passphrase can protect a secret.
    pub passphrase: bool,
    /// The view limit can be chosen (else every secret opens once).
    pub max_views: bool,
    /// Largest view limit the API takes.
    pub max_views_limit: u32,
    /// A secret can have unlimited views.
    pub unlimited_views: bool,
    /// A link can be split in parts (k of n).
    pub split: bool,
    /// Files can be sent.
    pub files: bool,
    /// The server can e-mail the link to a recipient.
    pub recipient_email: bool,
    /// A private note can be kept with the secret on the server.
    pub note: bool,
    /// The account's secrets can be listed from the server.
    pub list: bool,
    /// The sender can follow a secret's state (viewed, burned, expired).
    pub receipts: bool,
    /// The server pushes state changes (else they are polled).
    pub push: bool,
    /// The sender can burn a secret.
    pub burn: bool,
    /// A received link's status can be read without spending a view.
    pub link_status: bool,
    /// The server receives the content in the clear (and seals it itself).
    pub server_reads_content: bool,
    /// Shortest lifetime, in seconds.
    pub min_ttl_secs: u64,
    /// Longest lifetime, in seconds.
    pub max_ttl_secs: u64,
    /// When the API takes only some lifetimes: those, in seconds (others round up).
    pub ttl_choices: Vec<u64>,
}

/// What a kind of server supports (without asking it).
pub fn features(kind: ServerKind) -> KindFeatures {
    match kind {
        ServerKind::Wisp => wisp::features(),
        ServerKind::OnetimeSecret => onetime::features(),
        ServerKind::BurnTheSecret => burn::features(),
        ServerKind::Seclink => seclink::features(),
        ServerKind::Seecretit => seecret::features(),
    }
}

/// How a text secret is to be sent.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// Lifetime in seconds (the service's default when `None`).
    pub ttl_secs: Option<u64>,
    /// View limit: `None` = one view; `Some(None)` = unlimited.
    pub max_views: Option<Option<u32>>,
    /// Passphrase the recipient must give.
    pub passphrase: Option<SecretString>,
    /// Split the link: `(needed, total)`.
    pub split: Option<(u8, u8)>,
    /// Have the server e-mail the link to this address.
    pub recipient_email: Option<String>,
    /// A note for the sender, kept with the secret.
    pub note: Option<String>,
    /// Payload options for kinds whose client encrypts in Wisp's format (tests lower the
    /// Argon2 costs); defaults are right for real use.
    pub seal: wisp_crypto::SealOptions,
}

/// A secret that was created.
#[derive(Clone)]
pub struct Created {
    /// The link, or one per part of a split. Each carries what opens the secret.
    pub links: Vec<Zeroizing<String>>,
    /// The server's id of the secret (for people and the history).
    pub id: String,
    /// What the sender follows and burns it by (metadata key, receipt key or id).
    pub key: String,
    /// When it expires.
    pub expires_at: OffsetDateTime,
    /// View limit (`None` = unlimited).
    pub max_views: Option<u32>,
}

impl std::fmt::Debug for Created {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Created")
            .field("links", &format_args!("<{} redacted>", self.links.len()))
            .field("id", &self.id)
            .field("key", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("max_views", &self.max_views)
            .finish()
    }
}

/// Lifecycle of a sent secret, as its sender sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Not viewed yet.
    Pending,
    /// Viewed (at least once).
    Viewed,
    /// Burned.
    Burned,
    /// Expired, or forgotten by the server.
    Expired,
}

/// What the server says about one secret of the sender's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The key it was asked by ([`Created::key`]).
    pub key: String,
    /// Its state.
    pub state: State,
    /// Views used, when the API says.
    pub views: Option<u32>,
    /// Expiry, when the API says.
    pub expires_at: Option<OffsetDateTime>,
    /// Whether the server still knows it (`false`: forgotten, reported as expired).
    pub known: bool,
}

/// One of the account's secrets, listed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Id on the server.
    pub id: String,
    /// Key to follow or burn it by, when the listing gives it.
    pub key: Option<String>,
    /// State.
    pub state: State,
    /// Views used, when known.
    pub views: Option<u32>,
    /// View limit (`None` = unlimited or unknown).
    pub max_views: Option<u32>,
    /// Created, when known.
    pub created_at: Option<OffsetDateTime>,
    /// Expires, when known.
    pub expires_at: Option<OffsetDateTime>,
    /// The sender's note, when the API keeps one.
    pub note: Option<String>,
}

/// A received link's status, read without spending a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    /// Still there.
    pub available: bool,
    /// Needs a passphrase.
    pub needs_passphrase: bool,
    /// Views left (`None` = unlimited or unknown).
    pub views_left: Option<u32>,
    /// Expiry, when known.
    pub expires_at: Option<OffsetDateTime>,
}

/// A revealed secret.
pub struct Revealed {
    /// The content (wiped on drop).
    pub content: Zeroizing<Vec<u8>>,
    /// File name, when the secret is a file.
    pub file_name: Option<String>,
    /// Views left after this one, when known.
    pub views_left: Option<u32>,
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revealed")
            .field("content", &format_args!("<{} bytes>", self.content.len()))
            .field("file_name", &self.file_name)
            .field("views_left", &self.views_left)
            .finish()
    }
}

/// The result of a connection test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The credentials were accepted (`false`: the account works anonymously).
    pub authenticated: bool,
    /// The account's name on the server, when the API tells.
    pub account_name: Option<String>,
    /// Largest upload, when the API tells.
    pub max_payload_bytes: Option<u64>,
}

/// One kind of server, behind one interface.
#[async_trait::async_trait]
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// Which kind this is.
    fn kind(&self) -> ServerKind;
    /// What it supports.
    fn features(&self) -> KindFeatures {
        features(self.kind())
    }
    /// Tests the connection and the credentials: `Err(Unauthorized)` when refused.
    async fn check(&self) -> Result<Checked>;
    /// Creates a text secret.
    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created>;
    /// The state of the sender's secrets, by [`Created::key`]: batched where the API
    /// allows, else one request per key. Keys the server no longer knows come back as
    /// [`State::Expired`] with `known: false`.
    async fn receipts(&self, keys: &[String]) -> Result<Vec<Receipt>>;
    /// Burns a secret by its [`Created::key`]. A secret already gone is
    /// `Err(Gone)`/`Err(NotFound)`.
    async fn burn(&self, key: &str) -> Result<()>;
    /// The account's secrets on the server, newest first.
    async fn list(&self) -> Result<Vec<Listed>>;
    /// A received link's status (spends no view).
    async fn link_status(&self, url: &str) -> Result<LinkInfo>;
    /// Reveals a received link (spends a view). Split links: every part, one per entry.
    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed>;
}

/// The provider for an account's server, with its token (`None`: anonymous).
///
/// Onetime Secret authenticates with a user name and a token: its token is given as
/// `USERNAME:APITOKEN`.
pub fn connect(account: &Account, token: Option<SecretString>) -> Result<Box<dyn Provider>> {
    connect_to(account.kind, &account.url, token)
}

/// The provider for a server of `kind` at `base`.
pub fn connect_to(
    kind: ServerKind,
    base: &str,
    token: Option<SecretString>,
) -> Result<Box<dyn Provider>> {
    let base = base.trim().trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(ProviderError::Invalid(
            "the server address must start with http:// or https://".into(),
        ));
    }
    Ok(match kind {
        ServerKind::Wisp => Box::new(wisp::Wisp::new(base, token)?),
        ServerKind::OnetimeSecret => Box::new(onetime::Onetime::new(base, token)?),
        ServerKind::BurnTheSecret => Box::new(burn::Burn::new(base, token)?),
        ServerKind::Seclink => Box::new(seclink::Seclink::new(base, token)?),
        ServerKind::Seecretit => Box::new(seecret::Seecret::new(base, token)?),
    })
}

/// Which kind of server a received link belongs to, from its shape (and the services'
/// own host names): `/s/ID#KEY` is Wisp, `/_ID#KEY` Seecret.it, `/secret/KEY` Onetime
/// Secret (31 base-36 characters) or Burn the Secret (other keys), `/ID#KEY` with a
/// 12-character id SecLink.
pub fn recognise(url: &str) -> Option<ServerKind> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (location, fragment) = match rest.split_once('#') {
        Some((l, f)) => (l, Some(f)),
        None => (rest, None),
    };
    let (host, path) = location.split_once('/').unwrap_or((location, ""));
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or("");
    let path = path.trim_end_matches('/');
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let by_host = |name: &str| host == name || host.ends_with(&format!(".{name}"));
    if by_host("onetimesecret.com") {
        return Some(ServerKind::OnetimeSecret);
    }
    if by_host("burnthesecret.com") {
        return Some(ServerKind::BurnTheSecret);
    }
    if by_host("seecret.it") {
        return Some(ServerKind::Seecretit);
    }
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        ["s", id] if fragment.is_some() && alnum_or_dash(id) => Some(ServerKind::Wisp),
        ["secret", key] if alnum(key) => {
            if key.len() == 31
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                Some(ServerKind::OnetimeSecret)
            } else {
                Some(ServerKind::BurnTheSecret)
            }
        }
        [single] if single.starts_with('_') && fragment.is_some() => Some(ServerKind::Seecretit),
        [single] if single.len() == 12 && alnum(single) && fragment.is_some() => {
            Some(ServerKind::Seclink)
        }
        _ => None,
    }
}

fn alnum_or_dash(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Rounds a lifetime to what an API takes.
pub(crate) fn clamp_ttl(ttl: u64, f: &KindFeatures) -> u64 {
    let ttl = ttl.clamp(f.min_ttl_secs, f.max_ttl_secs);
    if f.ttl_choices.is_empty() {
        return ttl;
    }
    f.ttl_choices
        .iter()
        .copied()
        .find(|c| *c >= ttl)
        .or_else(|| f.ttl_choices.last().copied())
        .unwrap_or(ttl)
}

/// Refuses options a kind does not support, with a sentence naming them.
pub(crate) fn refuse_unsupported(kind: ServerKind, options: &TextOptions) -> Result<()> {
    let f = features(kind);
    let mut refused = Vec::new();
    if options.passphrase.is_some() && !f.passphrase {
        refused.push("passphrases");
    }
    if options.split.is_some() && !f.split {
        refused.push("split links");
    }
    if options.recipient_email.is_some() && !f.recipient_email {
        refused.push("e-mailing the recipient");
    }
    if options.note.is_some() && !f.note {
        refused.push("notes");
    }
    match options.max_views {
        Some(None) if !f.unlimited_views => refused.push("unlimited views"),
        Some(Some(n)) if n != 1 && !f.max_views => refused.push("view limits other than one"),
        Some(Some(n)) if n > f.max_views_limit => refused.push("this many views"),
        _ => {}
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(ProviderError::Unsupported {
            kind,
            what: refused.join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_recognised_by_shape() {
        assert_eq!(
            recognise("https://w.example/s/abcdefghijklmnopqrstuv#AAAA"),
            Some(ServerKind::Wisp)
        );
        assert_eq!(
            recognise("https://w.example/secret/abcdefghijklmnopqrstuvwxyz01234"),
            Some(ServerKind::OnetimeSecret)
        );
        assert_eq!(
            recognise("https://w.example/secret/AbCdEfGhIjKlMnOpQrStUvWx"),
            Some(ServerKind::BurnTheSecret)
        );
        assert_eq!(
            recognise("http://127.0.0.1:8080/_abcdefghijklmnopqrstuv#KEY"),
            Some(ServerKind::Seecretit)
        );
        assert_eq!(
            recognise("https://w.example/A1b2C3d4E5f6#key"),
            Some(ServerKind::Seclink)
        );
        assert_eq!(
            recognise("https://eu.onetimesecret.com/anything"),
            Some(ServerKind::OnetimeSecret)
        );
        assert_eq!(recognise("https://w.example/about"), None);
        assert_eq!(recognise("ftp://w.example/s/x#y"), None);
    }

    #[test]
    fn ttl_rounds_up_to_a_choice() {
        let f = features(ServerKind::Seclink);
        assert_eq!(clamp_ttl(60, &f), 3600);
        assert_eq!(clamp_ttl(7200, &f), 86_400);
        assert_eq!(clamp_ttl(30 * 86_400, &f), 7 * 86_400);
    }

    #[test]
    fn unsupported_options_are_named() {
        let options = TextOptions {
            split: Some((2, 3)),
            ..Default::default()
        };
        let err = refuse_unsupported(ServerKind::OnetimeSecret, &options).expect_err("must fail");
        assert_eq!(err.code(), "unsupported");
        assert!(err.to_string().contains("split links"), "{err}");
        assert!(refuse_unsupported(ServerKind::Seecretit, &options).is_ok());
    }
}
