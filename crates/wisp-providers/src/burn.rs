//! Burn the Secret's JSON API: `Authorization: Bearer KEY`, a secret key for the recipient
//! and a metadata key for the sender. The server receives the content in the clear.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use wisp_accounts::ServerKind;
use zeroize::Zeroizing;

use crate::http::{self, segment_after};
use crate::{
    Checked, Created, KindFeatures, LinkInfo, Listed, Provider, ProviderError, Receipt, Result,
    Revealed, State, TextOptions,
};

pub(crate) fn features() -> KindFeatures {
    KindFeatures {
        passphrase: true,
        max_views: true,
        max_views_limit: 999,
        unlimited_views: true,
        split: false,
        files: false,
        recipient_email: false,
        note: false,
        list: false,
        receipts: true,
        push: false,
        burn: true,
        link_status: true,
        server_reads_content: true,
        min_ttl_secs: 1800,
        max_ttl_secs: 30 * 86_400,
        ttl_choices: Vec::new(),
    }
}

/// A Burn the Secret server.
pub(crate) struct Burn {
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
}

impl std::fmt::Debug for Burn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Burn")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedMetadata {
    key: String,
    expires_at: String,
    max_views: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedReply {
    metadata: CreatedMetadata,
    secret_url: Zeroizing<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default)]
    viewed: bool,
    #[serde(default)]
    burned: bool,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    has_passphrase: bool,
    #[serde(default)]
    view_count: u32,
    #[serde(default)]
    views_remaining: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Viewed {
    secret: Zeroizing<String>,
    #[serde(default)]
    views_remaining: Option<u32>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    code: String,
}

fn parse_time(text: &Option<String>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.as_deref()?, &Rfc3339).ok()
}

impl Burn {
    pub(crate) fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        Ok(Burn {
            http: http::client()?,
            base: base.to_owned(),
            token,
        })
    }

    fn request(&self, method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.token {
            Some(t) => request.bearer_auth(t.expose_secret()),
            None => request,
        }
    }

    fn api(&self, key: &str) -> String {
        format!("{}/api/secrets/{key}", self.base)
    }

    async fn send<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<T> {
        let response = request.send().await?;
        let status = response.status();
        let retry = http::retry_after(response.headers());
        let bytes = Zeroizing::new(response.bytes().await?.to_vec());
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Protocol(http::shape("Burn the Secret", &e)));
        }
        let body = serde_json::from_slice::<ErrorBody>(&bytes)
            .map_err(|_| ProviderError::Protocol(format!("HTTP {status} without an error")))?;
        let message = format!("{} ({})", body.error, body.code);
        Err(match body.code.as_str() {
            "UNAUTHORIZED" => ProviderError::Unauthorized(message),
            "NOT_FOUND" => ProviderError::NotFound(message),
            "SECRET_BURNED" | "SECRET_EXPIRED" | "MAX_VIEWS_REACHED" => {
                ProviderError::Gone(message)
            }
            "INVALID_PASSPHRASE" => ProviderError::WrongPassphrase,
            "RATE_LIMIT_EXCEEDED" => ProviderError::RateLimited { retry_after: retry },
            "INTERNAL_ERROR" => ProviderError::Server(message),
            _ if status.as_u16() == 401 => ProviderError::Unauthorized(message),
            _ if status.is_server_error() => ProviderError::Server(message),
            _ => ProviderError::Invalid(message),
        })
    }

    fn status_state(s: &Status) -> State {
        let now = OffsetDateTime::now_utc();
        if s.burned {
            State::Burned
        } else if s.viewed || s.view_count > 0 {
            State::Viewed
        } else if parse_time(&s.expires_at).is_some_and(|t| t <= now) {
            State::Expired
        } else {
            State::Pending
        }
    }
}

#[async_trait::async_trait]
impl Provider for Burn {
    fn kind(&self) -> ServerKind {
        ServerKind::BurnTheSecret
    }

    async fn check(&self) -> Result<Checked> {
        // No account endpoint: a status request for a key that cannot exist is refused
        // (401) for a bad key and "not found" (404) for a good one.
        match Self::send::<serde_json::Value>(self.request(reqwest::Method::GET, self.api("0")))
            .await
        {
            Ok(_) | Err(ProviderError::NotFound(_)) => Ok(Checked {
                authenticated: self.token.is_some(),
                account_name: None,
                max_payload_bytes: Some(if self.token.is_some() {
                    50_000_000
                } else {
                    1_000_000
                }),
            }),
            Err(e) => Err(e),
        }
    }

    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created> {
        crate::refuse_unsupported(ServerKind::BurnTheSecret, options)?;
        let mut body = serde_json::Map::new();
        body.insert("secret".into(), text.into());
        if let Some(ttl) = options.ttl_secs {
            body.insert("ttl".into(), crate::clamp_ttl(ttl, &features()).into());
        }
        body.insert(
            "maxViews".into(),
            match options.max_views {
                None => 1.into(),
                Some(None) => serde_json::Value::Null,
                Some(Some(n)) => n.into(),
            },
        );
        if let Some(p) = &options.passphrase {
            body.insert("passphrase".into(), p.expose_secret().into());
        }
        let body = Zeroizing::new(
            serde_json::to_vec(&body).map_err(|e| ProviderError::Protocol(e.to_string()))?,
        );
        let created: CreatedReply = Self::send(
            self.request(reqwest::Method::POST, format!("{}/api/secrets", self.base))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec()),
        )
        .await?;
        let expires_at = parse_time(&Some(created.metadata.expires_at.clone()))
            .ok_or_else(|| ProviderError::Protocol("expiresAt is not a date".into()))?;
        Ok(Created {
            links: vec![created.secret_url.clone()],
            id: created.metadata.key.chars().take(8).collect(),
            key: created.metadata.key,
            expires_at,
            max_views: created.metadata.max_views,
        })
    }

    async fn receipts(&self, keys: &[String]) -> Result<Vec<Receipt>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            // One request per key: the API has no batch.
            match Self::send::<Status>(self.request(reqwest::Method::GET, self.api(key))).await {
                Ok(s) => out.push(Receipt {
                    key: key.clone(),
                    state: Self::status_state(&s),
                    views: Some(s.view_count),
                    expires_at: parse_time(&s.expires_at),
                    known: true,
                }),
                Err(ProviderError::NotFound(_)) => out.push(Receipt {
                    key: key.clone(),
                    state: State::Expired,
                    views: None,
                    expires_at: None,
                    known: false,
                }),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    async fn burn(&self, key: &str) -> Result<()> {
        let _: serde_json::Value =
            Self::send(self.request(reqwest::Method::DELETE, self.api(key))).await?;
        Ok(())
    }

    async fn list(&self) -> Result<Vec<Listed>> {
        Err(ProviderError::unsupported(
            ServerKind::BurnTheSecret,
            "listing secrets",
        ))
    }

    async fn link_status(&self, url: &str) -> Result<LinkInfo> {
        let key = segment_after(url, "/secret/")
            .ok_or_else(|| ProviderError::Invalid("not a Burn the Secret link".into()))?;
        let origin = http::origin(url).unwrap_or(&self.base);
        let request = self.http.get(format!("{origin}/api/secrets/{key}"));
        match Self::send::<Status>(request).await {
            Ok(s) => Ok(LinkInfo {
                available: !s.burned && s.views_remaining != Some(0),
                needs_passphrase: s.has_passphrase,
                views_left: s.views_remaining,
                expires_at: parse_time(&s.expires_at),
            }),
            Err(ProviderError::Gone(_)) | Err(ProviderError::NotFound(_)) => Ok(LinkInfo {
                available: false,
                needs_passphrase: false,
                views_left: Some(0),
                expires_at: None,
            }),
            Err(e) => Err(e),
        }
    }

    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed> {
        let [url] = urls else {
            return Err(ProviderError::Invalid(
                "a Burn the Secret link comes whole".into(),
            ));
        };
        let key = segment_after(url, "/secret/")
            .ok_or_else(|| ProviderError::Invalid("not a Burn the Secret link".into()))?;
        let origin = http::origin(url).unwrap_or(&self.base);
        let mut body = serde_json::Map::new();
        if let Some(p) = passphrase {
            body.insert("passphrase".into(), p.expose_secret().into());
        }
        let body = Zeroizing::new(
            serde_json::to_vec(&body).map_err(|e| ProviderError::Protocol(e.to_string()))?,
        );
        let viewed: Viewed = Self::send(
            self.http
                .post(format!("{origin}/api/secrets/{key}"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec()),
        )
        .await?;
        Ok(Revealed {
            content: Zeroizing::new(viewed.secret.as_bytes().to_vec()),
            file_name: None,
            views_left: viewed.views_remaining,
        })
    }
}
