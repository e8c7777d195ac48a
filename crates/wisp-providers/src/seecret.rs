//! Seecret.it's form API: `POST /api` with an `operation`, `Authorization: Bearer TOKEN`,
//! replies `{CODE, MESSAGE, data}`. The server receives the content in the clear. Links are
//! `https://HOST/_ID#KEY`; the API has no reveal operation (the service reveals in the
//! browser), so this provider reveals them through the Wisp reveal API of the server they
//! name, which works where the server is a Wisp server.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use time::OffsetDateTime;
use wisp_accounts::ServerKind;
use zeroize::Zeroizing;

use crate::http;
use crate::{
    Checked, Created, KindFeatures, LinkInfo, Listed, Provider, ProviderError, Receipt, Result,
    Revealed, State, TextOptions,
};

const DAY: u64 = 86_400;

pub(crate) fn features() -> KindFeatures {
    KindFeatures {
        passphrase: true,
        max_views: true,
        max_views_limit: 999,
        unlimited_views: false,
        split: true,
        files: false,
        recipient_email: true,
        note: true,
        list: true,
        receipts: true,
        push: false,
        burn: true,
        link_status: true,
        server_reads_content: true,
        min_ttl_secs: DAY,
        max_ttl_secs: 30 * DAY,
        ttl_choices: Vec::new(),
    }
}

/// A Seecret.it server.
pub(crate) struct Seecret {
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
}

impl std::fmt::Debug for Seecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seecret")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Deserialize)]
struct Reply<T> {
    #[serde(rename = "CODE")]
    code: u16,
    #[serde(rename = "MESSAGE", default)]
    message: String,
    data: Option<T>,
}

#[derive(Deserialize)]
struct CreatedData {
    id: String,
    url: Zeroizing<String>,
    #[serde(default)]
    urls: Option<Vec<Zeroizing<String>>>,
    expires_at: i64,
}

#[derive(Deserialize)]
struct Described {
    id: String,
    status: String,
    #[serde(default)]
    expires_at: Option<i64>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    views_count: Option<u32>,
    #[serde(default)]
    views_max: Option<u32>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct Listing {
    #[serde(default)]
    total: u64,
    secrets: Vec<Described>,
}

#[derive(Deserialize)]
struct AccountData {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

fn state(status: &str) -> State {
    match status {
        "viewed" => State::Viewed,
        "deleted" => State::Burned,
        "expired" => State::Expired,
        _ => State::Pending,
    }
}

fn millis(ms: Option<i64>) -> Option<OffsetDateTime> {
    http::unix(ms? / 1000)
}

/// `https://HOST/_ID#FRAG` → Wisp's link form `https://HOST/s/ID#FRAG`; Wisp links pass.
fn wisp_form(url: &str) -> String {
    let url = url.trim();
    match http::origin(url) {
        Some(origin) => match url[origin.len()..].strip_prefix("/_") {
            Some(rest) => format!("{origin}/s/{rest}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl Seecret {
    pub(crate) fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        Ok(Seecret {
            http: http::client()?,
            base: base.to_owned(),
            token,
        })
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        operation: &str,
        fields: &[(&str, &str)],
    ) -> Result<Option<T>> {
        let token = self
            .token
            .as_ref()
            .ok_or_else(|| ProviderError::Unauthorized("Seecret.it needs an API token".into()))?;
        let mut form = vec![("operation", operation)];
        form.extend_from_slice(fields);
        let response = self
            .http
            .post(format!("{}/api", self.base))
            .bearer_auth(token.expose_secret())
            .form(&form)
            .send()
            .await?;
        let status = response.status();
        let retry = http::retry_after(response.headers());
        let bytes = Zeroizing::new(response.bytes().await?.to_vec());
        let reply: Reply<T> = serde_json::from_slice(&bytes).map_err(|e| {
            ProviderError::Protocol(format!("{} (HTTP {status})", http::shape("Seecret.it", &e)))
        })?;
        let message = reply.message;
        match reply.code {
            200 => Ok(reply.data),
            401 => Err(ProviderError::Unauthorized(message)),
            429 => Err(ProviderError::RateLimited { retry_after: retry }),
            400 if message == "Secret not found" => Err(ProviderError::NotFound(message)),
            c if c >= 500 => Err(ProviderError::Server(message)),
            _ => Err(ProviderError::Invalid(message)),
        }
    }

    fn described(d: Described) -> Listed {
        Listed {
            key: Some(d.id.clone()),
            id: d.id,
            state: state(&d.status),
            views: d.views_count,
            max_views: d.views_max,
            created_at: millis(d.created_at),
            expires_at: millis(d.expires_at),
            note: d.note,
        }
    }
}

/// The `expiration_date` for a lifetime: the day it ends (00:00 UTC), at least tomorrow.
fn expiration_date(ttl: u64) -> String {
    let now = OffsetDateTime::now_utc();
    let end = (now + time::Duration::seconds(ttl as i64)).date();
    let tomorrow = now.date().next_day().unwrap_or(end);
    let day = end.max(tomorrow);
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

#[async_trait::async_trait]
impl Provider for Seecret {
    fn kind(&self) -> ServerKind {
        ServerKind::Seecretit
    }

    async fn check(&self) -> Result<Checked> {
        let account: Option<AccountData> = self.call("get_account", &[]).await?;
        Ok(Checked {
            authenticated: true,
            account_name: account.and_then(|a| a.email.or(a.name)),
            max_payload_bytes: Some(1 << 20),
        })
    }

    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created> {
        crate::refuse_unsupported(ServerKind::Seecretit, options)?;
        let date = expiration_date(crate::clamp_ttl(
            options.ttl_secs.unwrap_or(7 * DAY),
            &features(),
        ));
        let views = match options.max_views {
            Some(Some(n)) => n,
            _ => 1,
        }
        .to_string();
        let mut fields: Vec<(&str, &str)> = vec![
            ("seecret", text),
            ("expiration_date", &date),
            ("number_view", &views),
        ];
        let password = options
            .passphrase
            .as_ref()
            .map(|p| Zeroizing::new(p.expose_secret().to_owned()));
        if let Some(p) = &password {
            fields.push(("password", p.as_str()));
        }
        if let Some(to) = &options.recipient_email {
            fields.push(("recipient_email", to));
        }
        if let Some(note) = &options.note {
            fields.push(("note", note));
        }
        let split = options
            .split
            .map(|(needed, total)| (needed.to_string(), total.to_string()));
        if let Some((needed, total)) = &split {
            fields.push(("split_link", total));
            fields.push(("split_link_required", needed));
        }
        let data: CreatedData = self
            .call("create_seecret", &fields)
            .await?
            .ok_or_else(|| ProviderError::Protocol("no data in the reply".into()))?;
        let links = match data.urls {
            Some(urls) if !urls.is_empty() => urls,
            _ => vec![data.url],
        };
        Ok(Created {
            links,
            id: data.id.clone(),
            key: data.id,
            expires_at: millis(Some(data.expires_at))
                .ok_or_else(|| ProviderError::Protocol("expires_at is not a time".into()))?,
            max_views: views.parse().ok(),
        })
    }

    async fn receipts(&self, keys: &[String]) -> Result<Vec<Receipt>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            // One request per secret: `list_seecrets` pages, `get_seecret` is exact.
            match self.call::<Described>("get_seecret", &[("id", key)]).await {
                Ok(Some(d)) => out.push(Receipt {
                    key: key.clone(),
                    state: state(&d.status),
                    views: d.views_count,
                    expires_at: millis(d.expires_at),
                    known: true,
                }),
                Ok(None) | Err(ProviderError::NotFound(_)) => out.push(Receipt {
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
        self.call::<serde_json::Value>("delete_seecret", &[("id", key)])
            .await?;
        Ok(())
    }

    async fn list(&self) -> Result<Vec<Listed>> {
        let mut out = Vec::new();
        for page in 1..=10u32 {
            let page = page.to_string();
            let listing: Listing = self
                .call("list_seecrets", &[("page", &page), ("limit", "100")])
                .await?
                .ok_or_else(|| ProviderError::Protocol("no data in the reply".into()))?;
            let empty = listing.secrets.is_empty();
            out.extend(listing.secrets.into_iter().map(Self::described));
            if empty || out.len() as u64 >= listing.total {
                break;
            }
        }
        Ok(out)
    }

    async fn link_status(&self, url: &str) -> Result<LinkInfo> {
        let links = crate::wisp::parse_links(&[wisp_form(url)])?;
        crate::wisp::wisp_link_status(&links).await
    }

    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed> {
        let urls: Vec<String> = urls.iter().map(|u| wisp_form(u)).collect();
        let links = crate::wisp::parse_links(&urls)?;
        crate::wisp::wisp_reveal(&links, passphrase).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_wisp_links() {
        assert_eq!(
            wisp_form("https://h.example/_ABC#k"),
            "https://h.example/s/ABC#k"
        );
        assert_eq!(wisp_form("http://h:1/s/ABC#k"), "http://h:1/s/ABC#k");
    }

    #[test]
    fn expiration_is_at_least_tomorrow() {
        let tomorrow = OffsetDateTime::now_utc().date().next_day().expect("valid");
        let text = expiration_date(60);
        assert!(text.ends_with(&format!("{:02}", tomorrow.day())), "{text}");
    }
}
