//! The HTTP client the service modules share.

use std::time::Duration;

use crate::Result;

/// A client with sane timeouts that does not follow redirects (share links redirect to
/// pages; the APIs never do).
pub(crate) fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("wisp-providers/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

/// `Retry-After` seconds, when given.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// The path segment after `marker` in a URL (fragment and query dropped).
pub(crate) fn segment_after<'a>(url: &'a str, marker: &str) -> Option<&'a str> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let url = url.split('?').next().unwrap_or(url);
    let (_, rest) = url.split_once(marker)?;
    let key = rest.split('/').next().unwrap_or(rest);
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(key)
}

/// The scheme and host of a URL (`https://host:port`).
pub(crate) fn origin(url: &str) -> Option<&str> {
    let url = url.trim();
    let after = url.find("://")? + 3;
    let end = url[after..]
        .find(['/', '#', '?'])
        .map_or(url.len(), |i| after + i);
    Some(&url[..end])
}

/// Unix seconds to a time (`None` when out of range).
pub(crate) fn unix(secs: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// Why a reply did not parse, without serde's message (which can quote values: links,
/// keys, revealed content).
pub(crate) fn shape(service: &str, e: &serde_json::Error) -> String {
    format!(
        "{service}'s reply is not in the documented shape ({:?} error at line {}, column {})",
        e.classify(),
        e.line(),
        e.column()
    )
}
