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
    /// Whether webhooks may target loopback and private networks.
    allow_private: bool,
    secret: Arc<Vec<u8>>,
    first_retry: Duration,
    mail: Option<Arc<Mail>>,
    /// E-mails per recipient and per account per hour (hourly windows in `sent`).
    caps: (u32, u32),
    sent: Arc<crate::state::RateLimiter>,
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
        allow_private: bool,
    ) -> Result<Self, String> {
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
            allow_private,
            secret: Arc::new(secret),
            first_retry,
            mail,
            caps: (u32::MAX, u32::MAX),
            sent: Arc::default(),
        })
    }

    /// At most `per_recipient` e-mails to one address and `per_account` e-mails caused by
    /// one account per hour.
    pub fn with_mail_caps(mut self, per_recipient: u32, per_account: u32) -> Self {
        self.caps = (per_recipient, per_account);
        self
    }

    /// Queues an e-mail that `account` causes. Without an account nothing is sent: the
    /// server never mails on behalf of someone it does not know. Over the hourly caps
    /// (per recipient, per account), the e-mail is dropped and logged; returns whether it
    /// was queued.
    pub fn email_for(&self, account: Option<i64>, to: &str, subject: String, body: String) -> bool {
        let Some(account) = account else {
            tracing::warn!("e-mail without an account not sent");
            return false;
        };
        let now = crate::now().max(0) as u64;
        let recipient = format!("to:{}", to.trim().to_lowercase());
        let by = format!("by:{account}");
        // The account is counted first so a capped account cannot use up a recipient's share.
        if !self.sent.check_in(&by, self.caps.1, now, 3600).allowed
            || !self
                .sent
                .check_in(&recipient, self.caps.0, now, 3600)
                .allowed
        {
            tracing::warn!(account, "e-mail over the hourly cap not sent");
            return false;
        }
        self.email(to, subject, body);
        true
    }

    /// Whether e-mail is configured.
    pub fn mail_enabled(&self) -> bool {
        self.mail.is_some()
    }

    /// Queues an e-mail (subject, text body) to `to`, with retries.
    fn email(&self, to: &str, subject: String, body: String) {
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
        self.email_for(
            record.account,
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
            reason: (record.state == ReceiptState::Burned)
                .then_some(record.burn_reason)
                .flatten(),
            wrong_attempts: (record.burn_reason == Some(wisp_api::BurnReason::WrongPassphrase))
                .then_some(record.wrong_proofs),
        };
        let Ok(body) = serde_json::to_vec(&body) else {
            return;
        };
        let this = self.clone();
        let id = record.id.clone();
        tokio::spawn(async move { this.deliver(url, body, id).await });
    }

    async fn deliver(&self, url: String, body: Vec<u8>, id: String) {
        let (http, target) = match pinned_client(&url, self.allow_private).await {
            Ok(pinned) => pinned,
            Err(reason) => {
                tracing::warn!(secret = log_id(&id), %reason, "webhook not sent");
                return;
            }
        };
        let mut delay = self.first_retry;
        for attempt in 1..=ATTEMPTS {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let result = http
                .post(target.clone())
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

/// Whether an address belongs to this machine or a private, reserved or link-local network
/// (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry).
fn is_internal(ip: std::net::IpAddr) -> bool {
    match ip.to_canonical() {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 224
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Parses a webhook URL the way the HTTP client will (so `\`, decimal IPv4 and the like
/// cannot disguise the host) and refuses internal IP literals unless allowed.
pub fn check_webhook_url(url: &str, allow_private: bool) -> Result<reqwest::Url, &'static str> {
    if url.len() > 2048 {
        return Err("webhook_url is too long");
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| "webhook_url is not a valid URL")?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("webhook_url must start with https:// or http://");
    }
    match parsed.host() {
        None => return Err("webhook_url has no host"),
        Some(url::Host::Domain(d))
            if !allow_private
                && (d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost")) =>
        {
            return Err("webhook_url points at a private address")
        }
        Some(url::Host::Ipv4(ip)) if !allow_private && is_internal(ip.into()) => {
            return Err("webhook_url points at a private address")
        }
        Some(url::Host::Ipv6(ip)) if !allow_private && is_internal(ip.into()) => {
            return Err("webhook_url points at a private address")
        }
        _ => {}
    }
    Ok(parsed)
}

/// Resolves the webhook's host once, refuses internal addresses (unless allowed), and pins
/// the client to the checked address so a second DNS answer cannot redirect the call.
async fn pinned_client(
    url: &str,
    allow_private: bool,
) -> Result<(reqwest::Client, reqwest::Url), String> {
    let parsed = check_webhook_url(url, allow_private).map_err(str::to_owned)?;
    let port = parsed.port_or_known_default().unwrap_or(443);
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("wisp-server/", env!("CARGO_PKG_VERSION")));
    if let Some(url::Host::Domain(domain)) = parsed.host() {
        let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((domain, port))
            .await
            .map_err(|e| format!("cannot resolve the webhook host: {e}"))?
            .collect();
        let first = *addrs.first().ok_or("the webhook host has no address")?;
        if !allow_private && addrs.iter().any(|a| is_internal(a.ip())) {
            return Err("the webhook host resolves to a private address".into());
        }
        builder = builder.resolve(domain, first);
    }
    Ok((builder.build().map_err(|e| e.to_string())?, parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_of_timestamp_and_body() {
        let n =
            Notifier::new(b"k".to_vec(), Duration::from_millis(1), None, false).expect("notifier");
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
            "http://127.0.0.1\\@evil.example/",
            "http://2130706433/",
            "http://0/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fe80::1]/",
            "http://100.64.0.1/",
        ] {
            assert!(check_webhook_url(url, false).is_err(), "{url}");
            assert!(check_webhook_url(url, true).is_ok(), "{url}");
        }
        assert!(check_webhook_url("https://hooks.example.com/wisp", false).is_ok());
        assert!(check_webhook_url("ftp://x/", true).is_err());
    }
}
