//! SecLink's JSON API: the client encrypts. Content is sealed here with AES-256-GCM under a
//! fresh 256-bit key and a fresh 96-bit IV; the server gets `encryptedBlob` and `iv`
//! (standard base64), and the key travels only in the link's fragment
//! (`shareUrl#KEY`, base64url). A passphrase becomes the documented `passcodeHash`
//! (SHA-256, hex), which the server checks before handing the blob out; it is also mixed
//! into the key (`SHA-256(key ‖ passphrase)`), so the server's copy of the hash alone opens
//! nothing. SecLink has no sender-side status, burn or listing: the provider says so.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use wisp_accounts::ServerKind;
use zeroize::Zeroizing;

use crate::http;
use crate::{
    Checked, Created, KindFeatures, LinkInfo, Listed, Provider, ProviderError, Receipt, Result,
    Revealed, TextOptions,
};

const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

pub(crate) fn features() -> KindFeatures {
    KindFeatures {
        passphrase: true,
        max_views: false,
        max_views_limit: 1,
        unlimited_views: true,
        split: false,
        files: false,
        recipient_email: false,
        note: false,
        list: false,
        receipts: false,
        push: false,
        burn: false,
        link_status: false,
        server_reads_content: false,
        min_ttl_secs: HOUR,
        max_ttl_secs: 7 * DAY,
        ttl_choices: vec![HOUR, DAY, 7 * DAY],
    }
}

/// A SecLink server.
pub(crate) struct Seclink {
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
}

impl std::fmt::Debug for Seclink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seclink")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedReply {
    link_id: String,
    share_url: String,
    expires_at: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Retrieved {
    encrypted_blob: Zeroizing<String>,
    iv: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: String,
}

/// The documented `passcodeHash`: SHA-256 of the passphrase, hex.
fn passcode_hash(passphrase: &SecretString) -> String {
    hex::encode(Sha256::digest(passphrase.expose_secret().as_bytes()))
}

/// The AES key: the link's key, with the passphrase mixed in when there is one.
fn content_key(key: &[u8], passphrase: Option<&SecretString>) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    match passphrase {
        None => out.copy_from_slice(key),
        Some(p) => {
            let mut h = Sha256::new();
            h.update(b"wisp/seclink/passphrase/v1");
            h.update(key);
            h.update(p.expose_secret().as_bytes());
            out.copy_from_slice(&h.finalize());
        }
    }
    out
}

impl Seclink {
    pub(crate) fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        Ok(Seclink {
            http: http::client()?,
            base: base.to_owned(),
            token,
        })
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => request.bearer_auth(t.expose_secret()),
            None => request,
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        request: reqwest::RequestBuilder,
        reading: bool,
    ) -> Result<T> {
        let response = request.send().await?;
        let status = response.status();
        let retry = http::retry_after(response.headers());
        let bytes = Zeroizing::new(response.bytes().await?.to_vec());
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Protocol(http::shape("SecLink", &e)));
        }
        let message = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.error)
            .unwrap_or_else(|_| format!("HTTP {status}"));
        Err(match status.as_u16() {
            401 if reading => ProviderError::WrongPassphrase,
            401 => ProviderError::Unauthorized(message),
            404 => ProviderError::NotFound(message),
            410 => ProviderError::Gone(message),
            429 => ProviderError::RateLimited { retry_after: retry },
            s if s >= 500 => ProviderError::Server(message),
            _ => ProviderError::Invalid(message),
        })
    }

    fn expiry_type(options: &TextOptions) -> (&'static str, u64) {
        let ttl = crate::clamp_ttl(options.ttl_secs.unwrap_or(DAY), &features());
        if options.max_views.is_none() || options.max_views == Some(Some(1)) {
            // One view, kept at most seven days (the service's rule).
            return ("view_once", 7 * DAY);
        }
        match ttl {
            HOUR => ("1hour", HOUR),
            DAY => ("24hours", DAY),
            _ => ("7days", 7 * DAY),
        }
    }
}

/// `(origin, link id, key)` of a SecLink link `https://HOST/ID#KEY`.
fn parse_link(url: &str) -> Result<(String, String, Zeroizing<Vec<u8>>)> {
    let invalid = || ProviderError::Invalid("not a SecLink link (https://HOST/ID#KEY)".into());
    let (location, fragment) = url.trim().split_once('#').ok_or_else(invalid)?;
    let key = Zeroizing::new(URL_SAFE_NO_PAD.decode(fragment).map_err(|_| invalid())?);
    if key.len() != 32 {
        return Err(invalid());
    }
    let id = location
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(invalid)?;
    let origin = http::origin(location).ok_or_else(invalid)?;
    // The layer may live under a prefix (Wisp mounts it at /compat/seclink as well).
    let prefix = location[origin.len()..]
        .trim_end_matches('/')
        .strip_suffix(id)
        .unwrap_or("/")
        .trim_end_matches('/');
    Ok((format!("{origin}{prefix}"), id.to_owned(), key))
}

#[async_trait::async_trait]
impl Provider for Seclink {
    fn kind(&self) -> ServerKind {
        ServerKind::Seclink
    }

    async fn check(&self) -> Result<Checked> {
        // No account endpoint. The server checks the key before it reads the body, so an
        // empty create is refused with 401 for a bad key and 400 for a good one.
        match Self::send::<serde_json::Value>(
            self.authed(self.http.post(format!("{}/api/v1/secrets", self.base)))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body("{}"),
            false,
        )
        .await
        {
            Ok(_) | Err(ProviderError::Invalid(_)) => Ok(Checked {
                authenticated: self.token.is_some(),
                account_name: None,
                max_payload_bytes: None,
            }),
            Err(e) => Err(e),
        }
    }

    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created> {
        crate::refuse_unsupported(ServerKind::Seclink, options)?;
        let mut key = Zeroizing::new([0u8; 32]);
        let mut iv = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        rand::rngs::OsRng.fill_bytes(&mut iv);
        let aes_key = content_key(key.as_ref(), options.passphrase.as_ref());
        let cipher = Aes256Gcm::new_from_slice(aes_key.as_ref())
            .map_err(|e| ProviderError::Crypto(e.to_string()))?;
        let blob = cipher
            .encrypt(Nonce::from_slice(&iv), text.as_bytes())
            .map_err(|e| ProviderError::Crypto(e.to_string()))?;
        let (expiry_type, lifetime) = Self::expiry_type(options);
        let mut body = serde_json::json!({
            "encryptedBlob": STANDARD.encode(&blob),
            "iv": STANDARD.encode(iv),
            "expiryType": expiry_type,
        });
        if let Some(p) = &options.passphrase {
            body["passcodeHash"] = passcode_hash(p).into();
        }
        let created: CreatedReply = Self::send(
            self.authed(self.http.post(format!("{}/api/v1/secrets", self.base)))
                .json(&body),
            false,
        )
        .await?;
        let expires_at = OffsetDateTime::from_unix_timestamp(created.expires_at / 1000)
            .unwrap_or_else(|_| {
                OffsetDateTime::now_utc() + time::Duration::seconds(lifetime as i64)
            });
        let link = Zeroizing::new(format!(
            "{}#{}",
            created.share_url,
            URL_SAFE_NO_PAD.encode(key.as_ref())
        ));
        Ok(Created {
            links: vec![link],
            id: created.link_id.clone(),
            key: created.link_id,
            expires_at,
            max_views: (expiry_type == "view_once").then_some(1),
        })
    }

    async fn receipts(&self, _keys: &[String]) -> Result<Vec<Receipt>> {
        Err(ProviderError::unsupported(
            ServerKind::Seclink,
            "following a secret's state",
        ))
    }

    async fn burn(&self, _key: &str) -> Result<()> {
        Err(ProviderError::unsupported(
            ServerKind::Seclink,
            "burning a secret",
        ))
    }

    async fn list(&self) -> Result<Vec<Listed>> {
        Err(ProviderError::unsupported(
            ServerKind::Seclink,
            "listing secrets",
        ))
    }

    async fn link_status(&self, _url: &str) -> Result<LinkInfo> {
        // The only read is the retrieval, which deletes a view-once secret.
        Err(ProviderError::unsupported(
            ServerKind::Seclink,
            "reading a link's status without opening it",
        ))
    }

    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed> {
        let [url] = urls else {
            return Err(ProviderError::Invalid("a SecLink link comes whole".into()));
        };
        let (base, id, key) = parse_link(url)?;
        let mut request = self.http.get(format!("{base}/api/v1/secrets/{id}"));
        if let Some(p) = passphrase {
            request = request.header("X-Passcode-Hash", passcode_hash(p));
        }
        let retrieved: Retrieved = Self::send(request, true).await?;
        let iv = STANDARD
            .decode(&retrieved.iv)
            .map_err(|_| ProviderError::Crypto("the IV is not base64".into()))?;
        let blob = STANDARD
            .decode(retrieved.encrypted_blob.as_bytes())
            .map_err(|_| ProviderError::Crypto("the blob is not base64".into()))?;
        if iv.len() != 12 {
            return Err(ProviderError::Crypto("the IV is not 96 bits".into()));
        }
        let aes_key = content_key(&key, passphrase);
        let cipher = Aes256Gcm::new_from_slice(aes_key.as_ref())
            .map_err(|e| ProviderError::Crypto(e.to_string()))?;
        let content = cipher
            .decrypt(Nonce::from_slice(&iv), blob.as_slice())
            .map_err(|_| {
                if passphrase.is_some() {
                    ProviderError::WrongPassphrase
                } else {
                    ProviderError::Crypto("the link's key does not open this secret".into())
                }
            })?;
        Ok(Revealed {
            content: Zeroizing::new(content),
            file_name: None,
            views_left: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_parse_with_and_without_prefix() {
        let key = URL_SAFE_NO_PAD.encode([7u8; 32]);
        let (base, id, k) =
            parse_link(&format!("https://h.example/A1b2C3d4E5f6#{key}")).expect("valid");
        assert_eq!(
            (base.as_str(), id.as_str()),
            ("https://h.example", "A1b2C3d4E5f6")
        );
        assert_eq!(k.as_slice(), &[7u8; 32]);
        let (base, _, _) =
            parse_link(&format!("http://h:1/compat/seclink/A1b2C3d4E5f6#{key}")).expect("valid");
        assert_eq!(base, "http://h:1/compat/seclink");
        assert!(parse_link("https://h.example/A1b2C3d4E5f6#short").is_err());
    }
}
