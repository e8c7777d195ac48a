//! Telling the outside world about views, burns and expiries: signed webhooks and e-mail,
//! delivered in the background with retries so a slow receiver never delays a reveal.
//!
//! Signature: `Wisp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
//! E-mails never contain a whole link key: view notices carry no link at all, and a link
//! sent to a recipient carries at most one part of a split key.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;
use wisp_api::{ReceiptState, WebhookEvent};
use wisp_store::SecretRecord;

use crate::ids::log_id;

/// Delivery attempts per event.
pub const ATTEMPTS: u32 = 5;

/// Sends webhook events and e-mails.
#[derive(Clone)]
pub struct Notifier {
    http: reqwest::Client,
    secret: Arc<Vec<u8>>,
    first_retry: Duration,
    mail: Option<Arc<Mail>>,
}

struct Mail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notifier(<secret redacted>)")
    }
}

impl Notifier {
    /// A notifier signing with `secret`; retries start after `first_retry` and double.
    /// `smtp` is `(url, from)`; without it e-mail is off.
    pub fn new(
        secret: Vec<u8>,
        first_retry: Duration,
        smtp: Option<(&str, &str)>,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("wisp-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let mail = match smtp {
            Some((url, from)) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("invalid smtp_url: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                let from = from
                    .parse()
                    .map_err(|e| format!("invalid mail_from: {e}"))?;
                Some(Arc::new(Mail { transport, from }))
            }
            None => None,
        };
        Ok(Notifier {
            http,
            secret: Arc::new(secret),
            first_retry,
            mail,
        })
    }

    /// Whether e-mail is configured.
    pub fn mail_enabled(&self) -> bool {
        self.mail.is_some()
    }

    /// Queues an e-mail (subject, text body) to `to`, with retries.
    pub fn email(&self, to: &str, subject: String, body: String) {
        let Some(mail) = self.mail.clone() else {
            return;
        };
        let Ok(to) = to.parse::<Mailbox>() else {
            return;
        };
        let Ok(message) = Message::builder()
            .from(mail.from.clone())
            .to(to)
            .subject(subject)
            .body(body)
        else {
            return;
        };
        let first_retry = self.first_retry;
        tokio::spawn(async move {
            let mut delay = first_retry;
            for attempt in 1..=ATTEMPTS {
                match mail.transport.send(message.clone()).await {
                    Ok(_) => return,
                    Err(e) => tracing::warn!(attempt, error = %e, "e-mail not sent"),
                }
                if attempt < ATTEMPTS {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
            }
        });
    }

    fn view_email(&self, record: &SecretRecord, to: &str, now: i64) {
        let at = time::OffsetDateTime::from_unix_timestamp(now)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc2822)
                    .ok()
            })
            .unwrap_or_default();
        let left = match record.views_left() {
            Some(0) => "It has no views left and is gone from the server.".to_owned(),
            Some(n) => format!("It can be viewed {n} more time(s)."),
            None => "It can be viewed until it expires.".to_owned(),
        };
        let id = log_id(&record.id);
        self.email(
            to,
            format!("Your Wisp secret {id}… was viewed"),
            format!("A secret you shared with Wisp (id {id}…) was viewed on {at}.\n{left}\n\nThis message contains no link and no content.\n"),
        );
    }

    /// Signs a body the way receivers verify it.
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!(
            "t={timestamp},v1={}",
            hex::encode(mac.finalize().into_bytes())
        )
    }

    /// Queues the webhook for a state change of `record`, if it has a webhook URL.
    pub fn secret_event(&self, record: &SecretRecord, now: i64) {
        if let (ReceiptState::Viewed, Some(to)) = (record.state, &record.notify_email) {
            self.view_email(record, to, now);
        }
        let Some(url) = record.webhook_url.clone() else {
            return;
        };
        let event = match record.state {
            ReceiptState::Viewed => "secret.viewed",
            ReceiptState::Burned => "secret.burned",
            ReceiptState::Expired => "secret.expired",
            ReceiptState::Pending => return,
        };
        let body = WebhookEvent {
            event: event.into(),
            id: record.id.clone(),
            state: record.state,
            views_left: record.views_left(),
            at: time::OffsetDateTime::from_unix_timestamp(now)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        };
        let Ok(body) = serde_json::to_vec(&body) else {
            return;
        };
        let this = self.clone();
        let id = record.id.clone();
        tokio::spawn(async move { this.deliver(url, body, id).await });
    }

    async fn deliver(&self, url: String, body: Vec<u8>, id: String) {
        let mut delay = self.first_retry;
        for attempt in 1..=ATTEMPTS {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let result = self
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header(wisp_api::HEADER_SIGNATURE, self.sign(now, &body))
                .body(body.clone())
                .send()
                .await;
            match result {
                Ok(r) if r.status().is_success() => return,
                Ok(r) => tracing::warn!(
                    secret = log_id(&id),
                    attempt,
                    status = r.status().as_u16(),
                    "webhook refused"
                ),
                Err(e) => {
                    tracing::warn!(secret = log_id(&id), attempt, error = %e.without_url(), "webhook failed")
                }
            }
            if attempt < ATTEMPTS {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
        tracing::warn!(
            secret = log_id(&id),
            "webhook given up after {ATTEMPTS} attempts"
        );
    }
}

/// Refuses webhook URLs that would make the server call itself or its private network,
/// unless the operator allows it.
pub fn check_webhook_url(url: &str, allow_private: bool) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("webhook_url must start with https:// or http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or("")
    };
    if host.is_empty() || url.len() > 2048 {
        return Err("webhook_url has no valid host");
    }
    if allow_private {
        return Ok(());
    }
    let private = host.eq_ignore_ascii_case("localhost")
        || match host.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => {
                ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified()
            }
            Ok(std::net::IpAddr::V6(ip)) => {
                ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00
            }
            Err(_) => false,
        };
    if private {
        return Err("webhook_url points at a private address");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_of_timestamp_and_body() {
        let n = Notifier::new(b"k".to_vec(), Duration::from_millis(1), None).expect("notifier");
        let sig = n.sign(1700000000, b"{}");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"k").expect("key");
        mac.update(b"1700000000.{}");
        assert_eq!(
            sig,
            format!(
                "t=1700000000,v1={}",
                hex::encode(mac.finalize().into_bytes())
            )
        );
    }

    #[test]
    fn private_webhook_targets_are_refused_by_default() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://localhost/x",
            "http://10.1.2.3/",
            "http://[::1]:80/",
            "http://user@192.168.1.1/",
        ] {
            assert!(check_webhook_url(url, false).is_err(), "{url}");
            assert!(check_webhook_url(url, true).is_ok(), "{url}");
        }
        assert!(check_webhook_url("https://hooks.example.com/wisp", false).is_ok());
        assert!(check_webhook_url("ftp://x/", true).is_err());
    }
}
