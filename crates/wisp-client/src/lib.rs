//! Client for Wisp's native API (`/api/v1`): seal and upload secrets, read status, reveal
//! and decrypt, follow receipts (batch and server-sent events), burn. The desktop app, the
//! CLI and the server's own tests all use it, so what is tested is what ships.
//!
//! The link key never leaves this process: requests carry ciphertext, the proofs (format v2:
//! the link proof, and the passphrase proof for secrets with a passphrase) and metadata keys
//! only. A wrong passphrase is told by the server, which counts it
//! ([`ClientError::attempts_left`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod events;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use futures_util::TryStreamExt;
use secrecy::{ExposeSecret, SecretString};
use tokio::io::AsyncRead;
use tokio_util::io::{ReaderStream, StreamReader};
use wisp_api::{
    Account, ApiError, BatchRequest, BatchResponse, CreateOptions, Created, ErrorCode, Notify,
    Receipt, SecretStatus, Split,
};
use wisp_crypto::async_io::{open_with_async, seal_async, PipelineReader};
use wisp_crypto::{Link, LinkKey, LinkSecret, Metadata, Opener, PayloadHeader, Sealer, SecretId};

pub use events::ReceiptEvents;
/// URLs as the HTTP client sees them.
pub use reqwest::Url;

/// Everything that can go wrong talking to a Wisp server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an API error.
    #[error("{0}")]
    Api(ApiError),
    /// The server could not be reached or the connection broke.
    #[error("cannot reach the server: {0}")]
    Http(#[from] reqwest::Error),
    /// Encryption or decryption failed (wrong key, corrupt payload, bad link…).
    #[error(transparent)]
    Crypto(#[from] wisp_crypto::Error),
    /// The server answered something that is not Wisp's API.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
}

impl ClientError {
    /// The API error code, when the server sent one.
    pub fn api_code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api(e) => Some(e.code),
            _ => None,
        }
    }

    /// Wrong passphrase attempts left before the secret burns, when the server said
    /// (`wrong_passphrase`, `passphrase_required`, v1's `wrong_proof`); 0 = it burned now.
    pub fn attempts_left(&self) -> Option<u32> {
        match self {
            ClientError::Api(e) => e.attempts_left,
            _ => None,
        }
    }
}

/// Result alias.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// How to send a secret.
#[derive(Clone, Debug, Default)]
pub struct SendOptions {
    /// Lifetime in seconds (server default when `None`).
    pub ttl: Option<u64>,
    /// View limit: `None` = the default of one view; `Some(None)` = unlimited.
    pub max_views: Option<Option<u32>>,
    /// Passphrase to mix into the key.
    pub passphrase: Option<SecretString>,
    /// Split the link key into `total` parts, `needed` of which open it.
    pub split: Option<Split>,
    /// A creator note, stored encrypted.
    pub note: Option<String>,
    /// Webhook for view/burn/expiry events.
    pub webhook_url: Option<String>,
    /// E-mail the sender when the secret is viewed (if the server has e-mail).
    pub notify_email: Option<String>,
    /// Have the server e-mail the recipient: with a split link the e-mail carries the last
    /// part (never enough to open it alone); without, it carries no key at all.
    pub send_to: Option<String>,
    /// Whether the recipient may burn after viewing (default yes).
    pub forbid_recipient_burn: bool,
    /// Payload options (segment size, Argon2 costs); defaults are right for real use.
    pub seal: wisp_crypto::SealOptions,
}

/// A secret that was sent.
#[derive(Debug)]
pub struct Sent {
    /// The link, or one link per part of a split.
    pub links: Vec<Link>,
    /// The server's answer (id, metadata key, expiry).
    pub created: Created,
}

/// A revealed secret: its metadata and a stream of its content.
#[derive(Debug)]
pub struct Revealed {
    /// Decrypted metadata.
    pub metadata: Metadata,
    /// Decrypted content; ends with an error rather than cleanly if anything is wrong.
    pub content: PipelineReader,
    /// Views left after this one.
    pub views_left: Option<u32>,
}

/// A connection to one Wisp server (optionally with an API token).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// A client for the server at `base` (e.g. `https://wisp.example`).
    pub fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("wisp-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// A client over a caller's HTTP client (a proxy, a local address to connect from).
    pub fn with_http(
        base: &str,
        token: Option<SecretString>,
        http: reqwest::Client,
    ) -> Result<Self> {
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// The server base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn auth(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => request.bearer_auth(t.expose_secret()),
            None => request,
        }
    }

    async fn check(response: reqwest::Response) -> Result<reqwest::Response> {
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let bytes = response.bytes().await?;
        match serde_json::from_slice::<ApiError>(&bytes) {
            Ok(err) => Err(ClientError::Api(err)),
            Err(_) => Err(ClientError::Protocol(format!(
                "HTTP {status} without a Wisp error body"
            ))),
        }
    }

    async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T> {
        let response = Self::check(response).await?;
        let bytes = response.bytes().await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Protocol(e.to_string()))
    }

    /// Encrypts `content` and uploads it; returns the link(s) and the receipt key.
    /// Must be called inside a tokio runtime (encryption runs on the blocking pool).
    pub async fn send<R>(
        &self,
        metadata: Metadata,
        content: R,
        options: &SendOptions,
    ) -> Result<Sent>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let key = LinkKey::generate();
        let sealer = Sealer::with_options(&key, options.passphrase.as_ref(), &options.seal)?;
        let length = sealer.payload_len(&metadata)?;
        let parts = match options.split {
            Some(split) => Some(wisp_crypto::split_key(&key, split.needed, split.total)?),
            None => None,
        };
        let send_to_part = match (&options.send_to, &parts) {
            (Some(_), Some(parts)) => parts
                .last()
                .map(|p| LinkSecret::Part(p.clone()).to_fragment().to_string()),
            _ => None,
        };
        let notify =
            (options.webhook_url.is_some() || options.notify_email.is_some()).then(|| Notify {
                webhook_url: options.webhook_url.clone(),
                email: options.notify_email.clone(),
            });
        let create = CreateOptions {
            ttl: options.ttl,
            max_views: options.max_views.unwrap_or(Some(1)),
            verifier: sealer.reveal_proof().verifier().to_base64url(),
            passphrase_verifier: sealer
                .passphrase_proof()
                .map(|p| p.verifier().to_base64url()),
            split: options.split,
            note: options
                .note
                .as_ref()
                .map(|n| URL_SAFE_NO_PAD.encode(n.as_bytes())),
            recipient_can_burn: !options.forbid_recipient_burn,
            notify,
            send_to: options.send_to.clone(),
            send_to_part,
        };
        let payload = seal_async(sealer, metadata, content);
        let body = reqwest::Body::wrap_stream(ReaderStream::with_capacity(payload, 64 * 1024));
        let part = match length {
            Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
            None => reqwest::multipart::Part::stream(body),
        }
        .mime_str("application/octet-stream")?;
        let options_part = reqwest::multipart::Part::text(
            serde_json::to_string(&create).map_err(|e| ClientError::Protocol(e.to_string()))?,
        )
        .mime_str("application/json")?;
        let form = reqwest::multipart::Form::new()
            .part("options", options_part)
            .part("payload", part);
        let response = self
            .auth(self.http.post(self.url("/secrets")))
            .multipart(form)
            .send()
            .await?;
        let created: Created = Self::json(response).await?;
        let id = SecretId::parse(&created.id)?;
        let base = created
            .url
            .rsplit_once("/s/")
            .map_or(self.base.as_str(), |(b, _)| b)
            .to_owned();
        let links = match parts {
            Some(parts) => parts
                .into_iter()
                .map(|part| Link::new(&base, id.clone(), LinkSecret::Part(part)))
                .collect::<Result<_, _>>()?,
            None => vec![Link::new(&base, id, LinkSecret::Key(key))?],
        };
        Ok(Sent { links, created })
    }

    /// Sends a text secret.
    pub async fn send_text(&self, text: &str, options: &SendOptions) -> Result<Sent> {
        let bytes = zeroize::Zeroizing::new(text.as_bytes().to_vec());
        self.send(
            Metadata::text(bytes.len() as u64),
            std::io::Cursor::new(bytes),
            options,
        )
        .await
    }

    /// Public status of a secret (never counts as a view).
    pub async fn status(&self, id: &str) -> Result<SecretStatus> {
        Self::json(
            self.http
                .get(self.url(&format!("/secrets/{id}")))
                .send()
                .await?,
        )
        .await
    }

    /// Reveals a secret from its link(s): status first, key check (a wrong link is told
    /// here), then the proofs: the server checks the link proof, then the passphrase proof
    /// (a wrong passphrase is a [`ClientError::Api`] `wrong_passphrase` with
    /// [`ClientError::attempts_left`]); one view is spent and the content streams in.
    pub async fn reveal(
        &self,
        links: &[Link],
        passphrase: Option<&SecretString>,
    ) -> Result<Revealed> {
        let (id, opener) = self.opener(links, passphrase).await?;
        let response = self
            .proved(
                self.http.post(self.url(&format!("/secrets/{id}/reveal"))),
                &opener,
            )
            .send()
            .await?;
        let response = Self::check(response).await?;
        let views_left = response
            .headers()
            .get(wisp_api::HEADER_VIEWS_LEFT)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let stream = response.bytes_stream().map_err(std::io::Error::other);
        let (metadata, content) = open_with_async(opener, StreamReader::new(stream)).await?;
        Ok(Revealed {
            metadata,
            content,
            views_left,
        })
    }

    /// The secret's id and an opener for it: the key from the link(s), the header from the
    /// public status, checked against the key (a wrong link is told here, locally).
    async fn opener(
        &self,
        links: &[Link],
        passphrase: Option<&SecretString>,
    ) -> Result<(String, Opener)> {
        let first = links
            .first()
            .ok_or(wisp_crypto::Error::InvalidLink("no link given"))?;
        let key = wisp_crypto::combine_links(links)?;
        let id = first.secret_id().as_str().to_owned();
        let status = self.status(&id).await?;
        let header = PayloadHeader::from_base64url(&status.header)?;
        Ok((id, Opener::new(&key, passphrase, &header)?))
    }

    /// Adds the proofs of `opener` to a request: the link proof, and the passphrase proof
    /// when the payload has one.
    fn proved(&self, request: reqwest::RequestBuilder, opener: &Opener) -> reqwest::RequestBuilder {
        let request = request.header(
            wisp_api::HEADER_REVEAL_PROOF,
            opener.reveal_proof().to_base64url(),
        );
        match opener.passphrase_proof() {
            Some(p) => request.header(wisp_api::HEADER_PASSPHRASE_PROOF, p.to_base64url()),
            None => request,
        }
    }

    /// Burns a secret as its recipient (when the sender allowed it), proving the link and,
    /// where there is one, the passphrase.
    pub async fn burn_as_recipient(
        &self,
        links: &[Link],
        passphrase: Option<&SecretString>,
    ) -> Result<()> {
        let (id, opener) = self.opener(links, passphrase).await?;
        let response = self
            .proved(
                self.http.post(self.url(&format!("/secrets/{id}/burn"))),
                &opener,
            )
            .send()
            .await?;
        Self::check(response).await?;
        Ok(())
    }

    /// Reveals a small secret entirely into memory (zeroized on drop).
    pub async fn reveal_bytes(
        &self,
        links: &[Link],
        passphrase: Option<&SecretString>,
    ) -> Result<(Metadata, zeroize::Zeroizing<Vec<u8>>)> {
        let revealed = self.reveal(links, passphrase).await?;
        let bytes = wisp_crypto::async_io::read_to_end(revealed.content).await?;
        Ok((revealed.metadata, bytes))
    }

    /// The sender's receipt.
    pub async fn receipt(&self, metadata_key: &str) -> Result<Receipt> {
        Self::json(
            self.http
                .get(self.url(&format!("/receipts/{metadata_key}")))
                .send()
                .await?,
        )
        .await
    }

    /// Many receipts in one request.
    pub async fn receipts(&self, keys: &[String]) -> Result<BatchResponse> {
        let request = BatchRequest {
            keys: keys.to_vec(),
        };
        // With the account's token: its own rate-limit bucket rather than its address's.
        Self::json(
            self.auth(self.http.post(self.url("/receipts/batch")))
                .json(&request)
                .send()
                .await?,
        )
        .await
    }

    /// Follows receipts over server-sent events.
    pub async fn watch(&self, keys: &[String]) -> Result<ReceiptEvents> {
        let request = BatchRequest {
            keys: keys.to_vec(),
        };
        // With the account's token, the subscription counts against the token's share
        // (`subscriptions_per_token`), not against everyone behind the same address.
        let response = self
            .auth(self.http.post(self.url("/receipts/events")))
            .json(&request)
            .send()
            .await?;
        Ok(ReceiptEvents::new(Self::check(response).await?))
    }

    /// Burns a secret by its metadata key.
    pub async fn burn(&self, metadata_key: &str) -> Result<()> {
        Self::check(
            self.http
                .delete(self.url(&format!("/receipts/{metadata_key}")))
                .send()
                .await?,
        )
        .await?;
        Ok(())
    }

    /// A page of the caller's secrets (needs a token), newest first.
    pub async fn list(
        &self,
        state: Option<wisp_api::ReceiptState>,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<wisp_api::SecretList> {
        let mut query: Vec<(&str, String)> = vec![("limit", limit.to_string())];
        if let Some(s) = state {
            query.push(("state", s.as_str().to_owned()));
        }
        if let Some(c) = cursor {
            query.push(("cursor", c.to_owned()));
        }
        Self::json(
            self.auth(self.http.get(self.url("/account/secrets")).query(&query))
                .send()
                .await?,
        )
        .await
    }

    /// The caller's account.
    pub async fn account(&self) -> Result<Account> {
        Self::json(
            self.auth(self.http.get(self.url("/account")))
                .send()
                .await?,
        )
        .await
    }
}
