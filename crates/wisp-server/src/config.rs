//! Server configuration: a TOML file and `WISP_*` environment variables over typed defaults.
//! Secrets (webhook signing key, IP-hash key, SMTP URL with password) never appear in `Debug`.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// Everything the server can be configured with.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on (loopback by default: put a TLS proxy in front to publish).
    pub listen: SocketAddr,
    /// Where the database and payloads live.
    pub data_dir: PathBuf,
    /// Base URL used in share links, e.g. `https://wisp.example.com`. Defaults to `http://{listen}`.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` and `CF-IPCountry` (only behind a proxy that sets them).
    pub trust_proxy: bool,
    /// Limits.
    pub limits: Limits,
    /// Secret used to sign webhooks (`Wisp-Signature`). Generated and kept in `data_dir` if unset.
    pub webhook_secret: Option<String>,
    /// Allow webhook URLs on loopback and private networks (off: the server would otherwise
    /// let anyone make it call internal services).
    pub webhooks_allow_private: bool,
    /// SMTP URL for view e-mails, e.g. `smtp://user:pass@mail.example:587`; unset disables e-mail.
    pub smtp_url: Option<String>,
    /// Sender address for e-mails.
    pub mail_from: String,
    /// A MaxMind-format country database (e.g. GeoLite2-Country.mmdb) for view logs and
    /// country blocks, used when no trusted proxy sets `CF-IPCountry`.
    pub country_db: Option<PathBuf>,
    /// Which seed services' APIs this server also speaks.
    pub compat: Compat,
    /// Connection hygiene: timeouts, body rate, connection and push caps.
    pub connections: Connections,
    /// How many bytes callers may store, and the free-disk floor.
    pub quota: Quota,
}

/// Connection hygiene (docs/operations.md): what keeps slow, idle and numerous clients from
/// holding the server's sockets, files and memory.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Connections {
    /// Seconds a client has to send a request's headers; also the longest a kept-alive
    /// connection may sit idle between requests. Over it, the connection is closed.
    pub header_timeout_secs: u64,
    /// Slowest accepted request body, in bytes per second, once `body_grace_secs` are spent:
    /// a body may take `body_grace_secs + size / body_min_bytes_per_sec` seconds of waiting
    /// on the client (Apache's `mod_reqtimeout` rule). Over it: 408 `request_timeout`.
    pub body_min_bytes_per_sec: u64,
    /// Seconds of waiting on a body before the minimum rate applies.
    pub body_grace_secs: u64,
    /// Longest single pause in a request body, however fast it was before.
    pub body_idle_secs: u64,
    /// Most open connections; further ones are closed at once.
    pub max: usize,
    /// Most open connections from one address (IPv6: one /64). Not applied with
    /// `trust_proxy`, where every connection comes from the proxy.
    pub per_address: usize,
    /// Most live push subscriptions (`/receipts/events`) on this server.
    pub max_subscriptions: usize,
    /// Most live push subscriptions without a token from one address (IPv6: one /64).
    pub subscriptions_per_address: usize,
    /// Most live push subscriptions per API token.
    pub subscriptions_per_token: usize,
}

impl Default for Connections {
    fn default() -> Self {
        Connections {
            header_timeout_secs: 20,
            body_min_bytes_per_sec: 500,
            body_grace_secs: 20,
            body_idle_secs: 30,
            max: 4096,
            per_address: 64,
            max_subscriptions: 2048,
            subscriptions_per_address: 16,
            subscriptions_per_token: 8,
        }
    }
}

/// Storage quotas (docs/operations.md): bytes stored per caller per hour and per day, and
/// the free space the payload directory keeps.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quota {
    /// Bytes of payload one address (IPv6: one /64) may store without a token per hour.
    pub anonymous_bytes_per_hour: u64,
    /// … and per day.
    pub anonymous_bytes_per_day: u64,
    /// Bytes of payload one API token may store per hour.
    pub token_bytes_per_hour: u64,
    /// … and per day.
    pub token_bytes_per_day: u64,
    /// Free bytes the payload directory's file system keeps: below it, creates get 507
    /// `insufficient_storage`. 0 turns the check off.
    pub min_free_disk_bytes: u64,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            anonymous_bytes_per_hour: 200 << 20,
            anonymous_bytes_per_day: 1 << 30,
            token_bytes_per_hour: 20 << 30,
            token_bytes_per_day: 100 << 30,
            min_free_disk_bytes: 1 << 30,
        }
    }
}

/// The compatibility layers, each on or off. The plaintext layers (Onetime Secret, Burn the
/// Secret, Seecret.it) receive content in the clear by their API's contract, so they are off
/// by default: an operator turns them on (`[compat] onetime = true`, `WISP_COMPAT=…`) knowing
/// that the server then sees that content in transit. SecLink, whose clients encrypt, is on.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Compat {
    /// Onetime Secret API v1 under `/api/v1/{status,share,generate,secret,private}`.
    pub onetime: bool,
    /// Burn the Secret API under `/api/secrets`.
    pub burn_the_secret: bool,
    /// SecLink API under `/compat/seclink/api/v1/secrets`.
    pub seclink: bool,
    /// Seecret.it API at `POST /api`.
    pub seecret: bool,
    /// Distinct reporters (one per network) whose SecLink abuse reports burn a secret; 0
    /// (the default) only flags it for the operator (`wisp-server reports`), so reports
    /// cannot be used to destroy someone else's secret.
    pub seclink_report_threshold: u32,
    /// SecLink requests per hour per IP without an API key (the service documents 20).
    pub seclink_anonymous_per_hour: u32,
    /// Where Seecret.it secrets report each consultation (Wisp's signed webhook), if anywhere.
    pub seecret_webhook_url: Option<String>,
    /// Requests per minute per IP (IPv6: per /64) without an API key that make the server
    /// run Argon2id on a passphrase (creating or opening a protected secret through Onetime
    /// Secret or Burn the Secret); over it, the service's rate-limit answer.
    pub anonymous_passphrase_per_minute: u32,
    /// Shortest TTL Burn the Secret accepts (the service documents 30 minutes); never below
    /// `limits.min_ttl`.
    pub burn_min_ttl: u64,
}

impl Default for Compat {
    fn default() -> Self {
        Compat {
            onetime: false,
            burn_the_secret: false,
            seclink: true,
            seecret: false,
            seclink_report_threshold: 0,
            seclink_anonymous_per_hour: 20,
            burn_min_ttl: 1800,
            anonymous_passphrase_per_minute: 10,
            seecret_webhook_url: None,
        }
    }
}

impl Compat {
    /// Parses `WISP_COMPAT`: a comma-separated list of the layers to enable
    /// (`onetime,burn_the_secret,seclink,seecret`), or `none`.
    fn enable_only(&mut self, list: &str) -> Result<(), String> {
        self.onetime = false;
        self.burn_the_secret = false;
        self.seclink = false;
        self.seecret = false;
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "none" => {}
                "onetime" => self.onetime = true,
                "burn_the_secret" => self.burn_the_secret = true,
                "seclink" => self.seclink = true,
                "seecret" => self.seecret = true,
                other => return Err(format!("unknown compatibility layer {other:?}")),
            }
        }
        Ok(())
    }
}

/// Limits on what callers may do.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Whether callers without a token may create secrets.
    pub anonymous: bool,
    /// Largest payload for token holders.
    pub max_payload_bytes: u64,
    /// Largest payload for anonymous callers.
    pub anonymous_max_payload_bytes: u64,
    /// Shortest TTL in seconds.
    pub min_ttl: u64,
    /// Longest TTL in seconds.
    pub max_ttl: u64,
    /// Longest TTL in seconds for secrets created without a token (never above `max_ttl`).
    pub anonymous_max_ttl: u64,
    /// TTL when the request names none.
    pub default_ttl: u64,
    /// Wrong passphrases (each with a valid link proof) before a secret burns; for v1
    /// secrets with a passphrase, wrong reveal proofs.
    pub wrong_proof_limit: u32,
    /// Passphrase attempts per minute on one secret from one address (IPv6: per /64), so
    /// one holder of a link cannot spend all of `wrong_proof_limit` in a second.
    pub passphrase_attempts_per_minute: u32,
    /// Requests per minute per token.
    pub requests_per_minute: u32,
    /// Requests per minute per IP without a token.
    pub anonymous_requests_per_minute: u32,
    /// Seconds a broken download may be resumed.
    pub resume_window: u64,
    /// Days a receipt is kept after its secret is gone.
    pub receipt_retention_days: u64,
    /// E-mails (view notices, links sent by the server) to one recipient per hour.
    pub mail_per_recipient_per_hour: u32,
    /// E-mails one API token may make the server send per hour. Callers without a token
    /// cannot make the server send e-mail at all.
    pub mail_per_account_per_hour: u32,
}

/// Room for the payload format's overhead on top of a round content limit: 1 MiB covers
/// the tags of 1 GiB of 64 KiB segments (256 KiB), the header and the largest padding.
const PAYLOAD_HEADROOM: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            anonymous: true,
            // Limits are on the encrypted payload, which is a little larger than its content
            // (header, a 16-byte tag per 64 KiB segment, padding): the headroom lets a file of
            // exactly 1 GiB (or 10 MiB) through, as a user reading "1 GiB" expects.
            max_payload_bytes: (1 << 30) + PAYLOAD_HEADROOM,
            anonymous_max_payload_bytes: (10 << 20) + PAYLOAD_HEADROOM,
            min_ttl: 60,
            max_ttl: 30 * 24 * 3600,
            anonymous_max_ttl: 7 * 24 * 3600,
            default_ttl: 24 * 3600,
            wrong_proof_limit: 10,
            passphrase_attempts_per_minute: 5,
            requests_per_minute: 600,
            anonymous_requests_per_minute: 120,
            resume_window: 600,
            receipt_retention_days: 30,
            mail_per_recipient_per_hour: 5,
            mail_per_account_per_hour: 50,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            data_dir: PathBuf::from("wisp-data"),
            public_url: None,
            trust_proxy: false,
            limits: Limits::default(),
            webhook_secret: None,
            webhooks_allow_private: false,
            smtp_url: None,
            mail_from: "Wisp <wisp@localhost>".into(),
            country_db: None,
            compat: Compat::default(),
            connections: Connections::default(),
            quota: Quota::default(),
        }
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid configuration in {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value is out of its allowed range.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// An environment variable has an invalid value.
    #[error("invalid value for {var}: {message}")]
    Env {
        /// The variable.
        var: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Loads `path` (if given) then applies `WISP_*` environment variables.
    pub fn load(path: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.into(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.into(),
                    message: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        config.validate()?;
        Ok(config)
    }

    /// Applies overrides from an environment lookup (a function, so tests need no globals).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(var: &'static str, value: &str) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.parse().map_err(|e: T::Err| ConfigError::Env {
                var,
                message: e.to_string(),
            })
        }
        if let Some(v) = get("WISP_LISTEN") {
            self.listen = parse("WISP_LISTEN", &v)?;
        }
        if let Some(v) = get("WISP_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = get("WISP_PUBLIC_URL") {
            self.public_url = Some(v);
        }
        if let Some(v) = get("WISP_TRUST_PROXY") {
            self.trust_proxy = parse("WISP_TRUST_PROXY", &v)?;
        }
        if let Some(v) = get("WISP_ANONYMOUS") {
            self.limits.anonymous = parse("WISP_ANONYMOUS", &v)?;
        }
        if let Some(v) = get("WISP_MAX_PAYLOAD_BYTES") {
            self.limits.max_payload_bytes = parse("WISP_MAX_PAYLOAD_BYTES", &v)?;
        }
        if let Some(v) = get("WISP_WEBHOOK_SECRET") {
            self.webhook_secret = Some(v);
        }
        if let Some(v) = get("WISP_WEBHOOKS_ALLOW_PRIVATE") {
            self.webhooks_allow_private = parse("WISP_WEBHOOKS_ALLOW_PRIVATE", &v)?;
        }
        if let Some(v) = get("WISP_SMTP_URL") {
            self.smtp_url = Some(v);
        }
        if let Some(v) = get("WISP_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = get("WISP_COUNTRY_DB") {
            self.country_db = Some(PathBuf::from(v));
        }
        if let Some(v) = get("WISP_COMPAT") {
            self.compat
                .enable_only(&v)
                .map_err(|message| ConfigError::Env {
                    var: "WISP_COMPAT",
                    message,
                })?;
        }
        Ok(())
    }

    /// Checks ranges, so later arithmetic on TTLs and retention cannot overflow.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let l = &self.limits;
        let bad = |m: &str| Err(ConfigError::Invalid(m.to_owned()));
        const TEN_YEARS: u64 = 10 * 365 * 86_400;
        if l.min_ttl == 0 || l.min_ttl > l.max_ttl || l.max_ttl > TEN_YEARS {
            return bad("limits need 1 ≤ min_ttl ≤ max_ttl ≤ 10 years");
        }
        if !(l.min_ttl..=l.max_ttl).contains(&l.default_ttl) {
            return bad("limits.default_ttl must lie between min_ttl and max_ttl");
        }
        if l.wrong_proof_limit == 0 {
            return bad("limits.wrong_proof_limit must be at least 1");
        }
        if l.passphrase_attempts_per_minute == 0 {
            return bad("limits.passphrase_attempts_per_minute must be at least 1");
        }
        if l.resume_window > 86_400 || l.receipt_retention_days > 3_650 {
            return bad("limits.resume_window ≤ 1 day and receipt_retention_days ≤ 3650");
        }
        if l.max_payload_bytes == 0 || l.anonymous_max_payload_bytes == 0 {
            return bad("payload limits must be positive");
        }
        if l.anonymous_max_ttl < l.min_ttl {
            return bad("limits.anonymous_max_ttl must be at least min_ttl");
        }
        let c = &self.connections;
        if c.header_timeout_secs == 0 || c.body_idle_secs == 0 || c.body_min_bytes_per_sec == 0 {
            return bad("connections: timeouts and the minimum body rate must be positive");
        }
        if c.max == 0 || c.per_address == 0 || c.max_subscriptions == 0 {
            return bad("connections: max, per_address and max_subscriptions must be positive");
        }
        Ok(())
    }

    /// The base of share URLs.
    pub fn public_base(&self, local: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"))
            .trim_end_matches('/')
            .to_owned()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |o: &Option<String>| o.as_ref().map(|_| "<redacted>");
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("trust_proxy", &self.trust_proxy)
            .field("limits", &self.limits)
            .field("webhook_secret", &redacted(&self.webhook_secret))
            .field("webhooks_allow_private", &self.webhooks_allow_private)
            .field("smtp_url", &redacted(&self.smtp_url))
            .field("mail_from", &self.mail_from)
            .field("country_db", &self.country_db)
            .field("compat", &self.compat)
            .field("connections", &self.connections)
            .field("quota", &self.quota)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_and_debug_redacts() {
        let mut config = Config::default();
        config
            .apply_env(|name| match name {
                "WISP_LISTEN" => Some("127.0.0.1:0".into()),
                "WISP_WEBHOOK_SECRET" => Some("hunter2".into()),
                "WISP_SMTP_URL" => Some("smtp://u:topsecret@h".into()),
                _ => None,
            })
            .expect("env");
        assert_eq!(config.listen.port(), 0);
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("topsecret"),
            "{shown}"
        );
        assert!(config
            .apply_env(|n| (n == "WISP_LISTEN").then(|| "nope".into()))
            .is_err());
    }

    #[test]
    fn toml_with_unknown_keys_is_refused() {
        assert!(
            toml::from_str::<Config>("listen = \"127.0.0.1:1\"\n[limits]\nmin_ttl = 5\n").is_ok()
        );
        assert!(toml::from_str::<Config>("lisen = \"127.0.0.1:1\"\n").is_err());
    }
}
