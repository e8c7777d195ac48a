//! Onetime Secret's v1 API: form parameters, HTTP Basic `USERNAME:APITOKEN`, every error a
//! `404 {"message"}`. The server receives the content in the clear.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
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
        max_views: false,
        max_views_limit: 1,
        unlimited_views: false,
        split: false,
        files: false,
        recipient_email: true,
        note: false,
        list: true,
        receipts: true,
        push: false,
        burn: true,
        link_status: false,
        server_reads_content: true,
        min_ttl_secs: 60,
        max_ttl_secs: 30 * 86_400,
        ttl_choices: Vec::new(),
    }
}

/// An Onetime Secret server.
pub(crate) struct Onetime {
    http: reqwest::Client,
    base: String,
    /// `(username, api token)`.
    credentials: Option<(String, SecretString)>,
}

impl std::fmt::Debug for Onetime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Onetime")
            .field("base", &self.base)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish()
    }
}

#[derive(Deserialize)]
struct Metadata {
    metadata_key: String,
    #[serde(default)]
    secret_key: Option<String>,
    #[serde(default)]
    ttl: Option<serde_json::Value>,
    #[serde(default)]
    secret_ttl: Option<serde_json::Value>,
    state: String,
    #[serde(default)]
    created: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
}

#[derive(Deserialize)]
struct Shown {
    value: Zeroizing<String>,
}

/// Numbers the service sends as strings (older) or integers (newer).
fn number(v: &Option<serde_json::Value>) -> Option<i64> {
    match v.as_ref()? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn state(name: &str) -> State {
    match name {
        "received" | "viewed_received" => State::Viewed,
        "burned" => State::Burned,
        "expired" => State::Expired,
        _ => State::Pending,
    }
}

impl Onetime {
    pub(crate) fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        let credentials = match token {
            None => None,
            Some(t) => {
                let (user, key) = t.expose_secret().split_once(':').ok_or_else(|| {
                    ProviderError::Invalid(
                        "an Onetime Secret token is given as USERNAME:APITOKEN".into(),
                    )
                })?;
                Some((user.to_owned(), SecretString::from(key.to_owned())))
            }
        };
        Ok(Onetime {
            http: http::client()?,
            base: base.to_owned(),
            credentials,
        })
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base));
        match &self.credentials {
            Some((user, key)) => request.basic_auth(user, Some(key.expose_secret())),
            None => request,
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T> {
        let response = request.send().await?;
        let status = response.status();
        let retry = http::retry_after(response.headers());
        let bytes = Zeroizing::new(response.bytes().await?.to_vec());
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Protocol(http::shape("Onetime Secret", &e)));
        }
        let message = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.message)
            .map_err(|_| ProviderError::Protocol(format!("HTTP {status} without a message")))?;
        Err(match message.as_str() {
            "Not authorized" => ProviderError::Unauthorized(message),
            m if m.contains("rate limited") => ProviderError::RateLimited { retry_after: retry },
            "Unknown secret" | "Unknown metadata" => ProviderError::NotFound(message),
            m if m.starts_with("An unexpected error") => ProviderError::Server(message),
            _ => ProviderError::Invalid(message),
        })
    }

    fn link(&self, secret_key: &str) -> String {
        format!("{}/secret/{secret_key}", self.base)
    }
}

#[async_trait::async_trait]
impl Provider for Onetime {
    fn kind(&self) -> ServerKind {
        ServerKind::OnetimeSecret
    }

    async fn check(&self) -> Result<Checked> {
        let _: serde_json::Value = self
            .send(self.request(reqwest::Method::GET, "/status"))
            .await?;
        if self.credentials.is_some() {
            // `status` accepts anonymous callers; `recent` proves the credentials.
            let _: Vec<serde_json::Value> = self
                .send(self.request(reqwest::Method::GET, "/private/recent"))
                .await?;
        }
        Ok(Checked {
            authenticated: self.credentials.is_some(),
            account_name: self.credentials.as_ref().map(|(u, _)| u.clone()),
            max_payload_bytes: None,
        })
    }

    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created> {
        crate::refuse_unsupported(ServerKind::OnetimeSecret, options)?;
        let mut form: Vec<(&str, Zeroizing<String>)> =
            vec![("secret", Zeroizing::new(text.to_owned()))];
        if let Some(ttl) = options.ttl_secs {
            let ttl = crate::clamp_ttl(ttl, &features());
            form.push(("ttl", Zeroizing::new(ttl.to_string())));
        }
        if let Some(p) = &options.passphrase {
            form.push(("passphrase", Zeroizing::new(p.expose_secret().to_owned())));
        }
        if let Some(to) = &options.recipient_email {
            form.push(("recipient", Zeroizing::new(to.clone())));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let m: Metadata = self
            .send(self.request(reqwest::Method::POST, "/share").form(&pairs))
            .await?;
        let secret_key = m
            .secret_key
            .clone()
            .ok_or_else(|| ProviderError::Protocol("no secret_key in the reply".into()))?;
        let ttl = number(&m.secret_ttl)
            .or(number(&m.ttl))
            .unwrap_or(7 * 86_400);
        let now = time::OffsetDateTime::now_utc();
        Ok(Created {
            links: vec![Zeroizing::new(self.link(&secret_key))],
            id: m.metadata_key.chars().take(8).collect(),
            key: m.metadata_key,
            expires_at: now + time::Duration::seconds(ttl),
            max_views: Some(1),
        })
    }

    async fn receipts(&self, keys: &[String]) -> Result<Vec<Receipt>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            // One request per key: the v1 API has no batch.
            let path = format!("/private/{key}");
            match self
                .send::<Metadata>(self.request(reqwest::Method::GET, &path))
                .await
            {
                Ok(m) => {
                    let state = state(&m.state);
                    let expires_at = match (state, number(&m.secret_ttl)) {
                        (State::Pending, Some(left)) => {
                            Some(time::OffsetDateTime::now_utc() + time::Duration::seconds(left))
                        }
                        _ => None,
                    };
                    out.push(Receipt {
                        key: key.clone(),
                        state,
                        views: Some(u32::from(state == State::Viewed)),
                        expires_at,
                        known: true,
                    });
                }
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
        let path = format!("/private/{key}/burn");
        match self
            .send::<serde_json::Value>(self.request(reqwest::Method::POST, &path))
            .await
        {
            Ok(_) => Ok(()),
            Err(ProviderError::NotFound(m)) => Err(ProviderError::Gone(m)),
            Err(e) => Err(e),
        }
    }

    async fn list(&self) -> Result<Vec<Listed>> {
        if self.credentials.is_none() {
            return Err(ProviderError::Unauthorized(
                "listing needs USERNAME:APITOKEN".into(),
            ));
        }
        let recent: Vec<Metadata> = self
            .send(self.request(reqwest::Method::GET, "/private/recent"))
            .await?;
        Ok(recent
            .into_iter()
            .map(|m| {
                let state = state(&m.state);
                Listed {
                    id: m.metadata_key.chars().take(8).collect(),
                    created_at: number(&m.created).and_then(http::unix),
                    expires_at: None,
                    key: Some(m.metadata_key),
                    state,
                    views: Some(u32::from(state == State::Viewed)),
                    max_views: Some(1),
                    note: None,
                }
            })
            .collect())
    }

    async fn link_status(&self, _url: &str) -> Result<LinkInfo> {
        Err(ProviderError::unsupported(
            ServerKind::OnetimeSecret,
            "reading a link's status without opening it",
        ))
    }

    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed> {
        let [url] = urls else {
            return Err(ProviderError::Invalid(
                "an Onetime Secret link comes whole".into(),
            ));
        };
        let key = segment_after(url, "/secret/")
            .ok_or_else(|| ProviderError::Invalid("not an Onetime Secret link".into()))?;
        let origin = http::origin(url).unwrap_or(&self.base);
        let mut form: Vec<(&str, Zeroizing<String>)> = Vec::new();
        if let Some(p) = passphrase {
            form.push(("passphrase", Zeroizing::new(p.expose_secret().to_owned())));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // The link's own server, anonymously: the recipient needs no account.
        let request = self
            .http
            .post(format!("{origin}/api/v1/secret/{key}"))
            .form(&pairs);
        match self.send::<Shown>(request).await {
            Ok(shown) => Ok(Revealed {
                content: Zeroizing::new(shown.value.as_bytes().to_vec()),
                file_name: None,
                views_left: Some(0),
            }),
            // The service answers the same for a wrong passphrase and a gone secret.
            Err(ProviderError::NotFound(_)) if passphrase.is_some() => {
                Err(ProviderError::WrongPassphrase)
            }
            Err(ProviderError::NotFound(m)) => Err(ProviderError::Gone(m)),
            Err(e) => Err(e),
        }
    }
}
