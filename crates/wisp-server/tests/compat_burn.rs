//! The Burn the Secret layer against a real server process: every example request of the
//! service's API document (seed 004: curl, JavaScript and Python), every documented response
//! field and its JSON type, every documented error code and status, the rate-limit and
//! request-id headers, and bad input in the service's own error shape.

mod common;

use common::{assert_json, data_contains, http, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Bts {
    server: Server,
    http: reqwest::Client,
    key: String,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Bts {
    fn start() -> Self {
        Self::start_with(&[], "")
    }

    fn start_with(env: &[(&str, &str)], toml: &str) -> Self {
        let server = Server::start_compat(env, toml);
        let key = server.token("ks_live");
        Bts {
            server,
            http: http(),
            key,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        assert_json(&response);
        let status = response.status();
        let headers = response.headers().clone();
        let body: Value = response.json().await.expect("JSON body");
        // Every reply: the request id in the header and, the same, in the body; rate-limit
        // headers with the reset as a Unix time.
        let request_id = headers["x-request-id"].to_str().expect("request id");
        assert_eq!(body["requestId"], request_id, "{body}");
        for name in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(headers.get(name).is_some(), "{name} missing");
        }
        let reset: i64 = headers["x-ratelimit-reset"]
            .to_str()
            .expect("reset")
            .parse()
            .expect("number");
        assert!(
            reset > 1_700_000_000,
            "X-RateLimit-Reset {reset} is not a Unix time"
        );
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `POST /api/secrets` with `Authorization: Bearer` (or without) and a JSON body.
    async fn create(&self, auth: bool, body: Value) -> Reply {
        let mut request = self.http.post(self.url("/api/secrets")).json(&body);
        if auth {
            request = request.bearer_auth(&self.key);
        }
        self.send(request).await
    }

    async fn status(&self, key: &str) -> Reply {
        self.send(self.http.get(self.url(&format!("/api/secrets/{key}"))))
            .await
    }

    async fn view(&self, key: &str, body: Option<Value>) -> Reply {
        let mut request = self.http.post(self.url(&format!("/api/secrets/{key}")));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    async fn delete(&self, key: &str) -> Reply {
        self.send(self.http.delete(self.url(&format!("/api/secrets/{key}"))))
            .await
    }
}

fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.body["code"], code, "{}", reply.body);
    assert!(reply.body["error"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(reply.body["hint"].as_str().is_some_and(|s| !s.is_empty()));
    let keys: Vec<&String> = reply.body.as_object().expect("object").keys().collect();
    assert_eq!(
        keys.len(),
        4,
        "error body has exactly error, code, hint, requestId: {keys:?}"
    );
}

fn is_iso_millis(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    s.len() == 24
        && s.ends_with('Z')
        && s.as_bytes()[10] == b'T'
        && s.as_bytes()[19] == b'.'
        && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

fn is_key(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn keys(created: &Reply) -> (String, String) {
    (
        created.body["metadata"]["secretKey"]
            .as_str()
            .expect("secretKey")
            .to_owned(),
        created.body["metadata"]["key"]
            .as_str()
            .expect("key")
            .to_owned(),
    )
}

/// "Create Secret" (curl example), then "Get Secret Status", "View Secret Content" and
/// "Delete Secret" with the keys it returned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_examples_round_trip() {
    let bts = Bts::start();
    let created = bts
        .create(
            true,
            json!({
                "secret": "my-super-secret-password",
                "ttl": 86400,
                "maxViews": 1,
                "passphrase": "optional-password"
            }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let b = &created.body;
    assert_eq!(b["success"], true);
    let m = &b["metadata"];
    assert!(is_key(&m["key"]) && is_key(&m["secretKey"]), "{b}");
    assert_ne!(m["key"], m["secretKey"]);
    assert_eq!(m["ttl"], 86400);
    assert!(
        is_iso_millis(&m["expiresAt"]) && is_iso_millis(&m["createdAt"]),
        "{b}"
    );
    let created_at = time::OffsetDateTime::parse(
        m["createdAt"].as_str().expect("createdAt"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("createdAt");
    let expires_at = time::OffsetDateTime::parse(
        m["expiresAt"].as_str().expect("expiresAt"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("expiresAt");
    assert_eq!((expires_at - created_at).whole_seconds(), 86400);
    assert_eq!(m["hasPassphrase"], true);
    assert_eq!(m["maxViews"], 1);
    assert_eq!(m["viewCount"], 0);
    let (secret_key, metadata_key) = keys(&created);
    assert_eq!(
        b["secretUrl"],
        format!("{}/secret/{secret_key}", bts.server.base)
    );
    assert_eq!(
        b["metadataUrl"],
        format!("{}/receipt/{metadata_key}", bts.server.base)
    );

    // curl https://…/api/secrets/abc123xyz  (the metadata key)
    let status = bts.status(&metadata_key).await;
    assert_eq!(status.status, StatusCode::OK);
    let s = &status.body;
    assert_eq!(s["exists"], true);
    assert_eq!(s["type"], "metadata");
    assert_eq!(s["viewed"], false);
    assert_eq!(s["burned"], false);
    assert_eq!(s["expiresAt"], m["expiresAt"]);
    assert_eq!(s["hasPassphrase"], true);
    assert_eq!(s["secretKey"], secret_key.as_str());
    assert_eq!(s["maxViews"], 1);
    assert_eq!(s["viewCount"], 0);
    assert_eq!(s["viewsRemaining"], 1);
    // "Works with either key type" — and does not count as a view.
    let by_secret = bts.status(&secret_key).await;
    assert_eq!(by_secret.status, StatusCode::OK);
    assert_eq!(by_secret.body["type"], "secret");
    assert!(by_secret.body.get("secretKey").is_none());
    assert_eq!(by_secret.body["viewsRemaining"], 1);

    // curl -X POST …/api/secrets/def456uvw -d '{"passphrase": "optional-password"}'
    let viewed = bts
        .view(
            &secret_key,
            Some(json!({"passphrase": "optional-password"})),
        )
        .await;
    assert_eq!(viewed.status, StatusCode::OK, "{}", viewed.body);
    assert_eq!(viewed.body["success"], true);
    assert_eq!(viewed.body["secret"], "my-super-secret-password");
    assert_eq!(viewed.body["oneClickRetrieval"], true);
    assert_eq!(viewed.body["viewsRemaining"], 0);
    assert_eq!(viewed.headers["cache-control"], "no-store");

    let after = bts.status(&metadata_key).await;
    assert_eq!(after.body["viewed"], true);
    assert_eq!(after.body["viewCount"], 1);
    assert_eq!(after.body["viewsRemaining"], 0);

    // curl -X DELETE …/api/secrets/abc123xyz — on a fresh secret.
    let created = bts.create(true, json!({"secret": "x"})).await;
    let (_, metadata_key) = keys(&created);
    let deleted = bts.delete(&metadata_key).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(deleted.body["success"], true);
    assert_eq!(deleted.body["message"], "Secret burned successfully");
    let status = bts.status(&metadata_key).await;
    assert_eq!(status.body["burned"], true);
}

/// The JavaScript and Python examples: no passphrase, defaults for the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn javascript_and_python_examples() {
    let bts = Bts::start();
    for _ in 0..2 {
        let created = bts
            .create(
                true,
                json!({"secret": "my-sensitive-data", "ttl": 86400, "maxViews": 1}),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK);
        assert!(created.body["secretUrl"].is_string());
        assert_eq!(created.body["metadata"]["hasPassphrase"], false);
        let (secret_key, _) = keys(&created);
        // No passphrase: the view needs no body at all.
        let viewed = bts.view(&secret_key, None).await;
        assert_eq!(viewed.body["secret"], "my-sensitive-data");
    }
}

/// Defaults: ttl 1 day, maxViews 1, oneClickRetrieval and allowDeletion true; maxViews null
/// is unlimited; the options are echoed where the document shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_and_options() {
    let bts = Bts::start();
    let created = bts.create(true, json!({"secret": "d"})).await;
    assert_eq!(created.body["metadata"]["ttl"], 86400);
    assert_eq!(created.body["metadata"]["maxViews"], 1);

    let created = bts
        .create(
            true,
            json!({"secret": "many", "maxViews": null, "oneClickRetrieval": false}),
        )
        .await;
    assert!(created.body["metadata"]["maxViews"].is_null());
    let (secret_key, metadata_key) = keys(&created);
    for _ in 0..3 {
        let viewed = bts.view(&secret_key, None).await;
        assert_eq!(viewed.status, StatusCode::OK);
        assert_eq!(viewed.body["secret"], "many");
        assert_eq!(viewed.body["oneClickRetrieval"], false);
        assert!(viewed.body["viewsRemaining"].is_null());
    }
    let status = bts.status(&metadata_key).await;
    assert!(status.body["viewsRemaining"].is_null());
    assert!(status.body["maxViews"].is_null());
    assert_eq!(status.body["viewCount"], 3);

    let created = bts
        .create(true, json!({"secret": "ttl", "ttl": 1800, "maxViews": 999}))
        .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.body["metadata"]["maxViews"], 999);
}

/// `allowDeletion`: the recipient may delete with the secret key (default), or may not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_deletion_lets_the_recipient_burn() {
    let bts = Bts::start();
    let created = bts
        .create(true, json!({"secret": "x", "maxViews": 3}))
        .await;
    let (secret_key, metadata_key) = keys(&created);
    bts.view(&secret_key, None).await;
    let deleted = bts.delete(&secret_key).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(bts.status(&metadata_key).await.body["burned"], true);

    let created = bts
        .create(true, json!({"secret": "x", "allowDeletion": false}))
        .await;
    let (secret_key, metadata_key) = keys(&created);
    assert_error(
        &bts.delete(&secret_key).await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    assert_eq!(bts.delete(&metadata_key).await.status, StatusCode::OK);
}

/// Every documented error code with its documented status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_error_codes() {
    let bts = Bts::start_with(&[], "[limits]\nmin_ttl = 1\n[compat]\nburn_min_ttl = 1\n");
    // INVALID_KEY (400): not alphanumeric.
    assert_error(
        &bts.status("abc-123").await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    assert_error(
        &bts.view("abc_123", None).await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    assert_error(
        &bts.delete("a.b").await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    assert_error(
        &bts.status("%FF").await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    // INVALID_JSON (400).
    let reply = bts
        .send(
            bts.http
                .post(bts.url("/api/secrets"))
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_JSON");
    let reply = bts
        .send(bts.http.post(bts.url("/api/secrets")).body("[1,2]"))
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_JSON");
    // MISSING_SECRET (400).
    assert_error(
        &bts.create(true, json!({"ttl": 3600})).await,
        StatusCode::BAD_REQUEST,
        "MISSING_SECRET",
    );
    assert_error(
        &bts.create(true, json!({"secret": ""})).await,
        StatusCode::BAD_REQUEST,
        "MISSING_SECRET",
    );
    // CONTENT_TOO_LARGE (400): anonymous secrets are limited to 1 MB.
    let big = "x".repeat(1_000_001);
    assert_error(
        &bts.create(false, json!({"secret": big})).await,
        StatusCode::BAD_REQUEST,
        "CONTENT_TOO_LARGE",
    );
    // NOT_FOUND (404).
    assert_error(
        &bts.status("doesnotexist123").await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );
    assert_error(
        &bts.view("doesnotexist123", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );
    assert_error(
        &bts.delete("doesnotexist123").await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    );
    // INVALID_PASSPHRASE (401): missing or wrong, and neither spends the view.
    let created = bts
        .create(true, json!({"secret": "p", "passphrase": "right"}))
        .await;
    let (secret_key, metadata_key) = keys(&created);
    assert_error(
        &bts.view(&secret_key, None).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_PASSPHRASE",
    );
    let wrong = bts
        .view(&secret_key, Some(json!({"passphrase": "wrong"})))
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "INVALID_PASSPHRASE");
    assert_eq!(bts.status(&metadata_key).await.body["viewCount"], 0);
    let right = bts
        .view(&secret_key, Some(json!({"passphrase": "right"})))
        .await;
    assert_eq!(right.body["secret"], "p");
    // MAX_VIEWS_REACHED (410): by secret key, for status and view; the receipt still answers.
    assert_error(
        &bts.view(&secret_key, None).await,
        StatusCode::GONE,
        "MAX_VIEWS_REACHED",
    );
    assert_error(
        &bts.status(&secret_key).await,
        StatusCode::GONE,
        "MAX_VIEWS_REACHED",
    );
    assert_error(
        &bts.delete(&metadata_key).await,
        StatusCode::GONE,
        "MAX_VIEWS_REACHED",
    );
    assert_eq!(bts.status(&metadata_key).await.status, StatusCode::OK);
    // SECRET_BURNED (410).
    let created = bts.create(true, json!({"secret": "b"})).await;
    let (secret_key, metadata_key) = keys(&created);
    bts.delete(&metadata_key).await;
    assert_error(
        &bts.view(&secret_key, None).await,
        StatusCode::GONE,
        "SECRET_BURNED",
    );
    assert_error(
        &bts.delete(&metadata_key).await,
        StatusCode::GONE,
        "SECRET_BURNED",
    );
    // SECRET_EXPIRED (410).
    let created = bts.create(true, json!({"secret": "e", "ttl": 1})).await;
    let (secret_key, metadata_key) = keys(&created);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_error(
        &bts.view(&secret_key, None).await,
        StatusCode::GONE,
        "SECRET_EXPIRED",
    );
    assert_error(
        &bts.status(&secret_key).await,
        StatusCode::GONE,
        "SECRET_EXPIRED",
    );
    assert_error(
        &bts.delete(&metadata_key).await,
        StatusCode::GONE,
        "SECRET_EXPIRED",
    );
}

/// Wrong passphrases burn the secret at the server's limit (SECRET_BURNED from then on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passphrases_burn_at_the_limit() {
    let bts = Bts::start_with(&[], "[limits]\nwrong_proof_limit = 2\n");
    let created = bts
        .create(true, json!({"secret": "p", "passphrase": "right"}))
        .await;
    let (secret_key, _) = keys(&created);
    let first = bts
        .view(&secret_key, Some(json!({"passphrase": "a"})))
        .await;
    assert_error(&first, StatusCode::UNAUTHORIZED, "INVALID_PASSPHRASE");
    let second = bts
        .view(&secret_key, Some(json!({"passphrase": "b"})))
        .await;
    assert_error(&second, StatusCode::GONE, "SECRET_BURNED");
    let right = bts
        .view(&secret_key, Some(json!({"passphrase": "right"})))
        .await;
    assert_error(&right, StatusCode::GONE, "SECRET_BURNED");
}

/// Parameter types, bounds and auth: 400 with a named parameter, 401 for a bad key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_parameters_and_auth() {
    let bts = Bts::start();
    for body in [
        json!({"secret": 42}),
        json!({"secret": "x", "ttl": "3600"}),
        json!({"secret": "x", "ttl": 1799}),
        json!({"secret": "x", "ttl": 86313601}),
        json!({"secret": "x", "maxViews": 0}),
        json!({"secret": "x", "maxViews": 1000}),
        json!({"secret": "x", "maxViews": "1"}),
        json!({"secret": "x", "passphrase": 5}),
        json!({"secret": "x", "oneClickRetrieval": "yes"}),
        json!({"secret": "x", "allowDeletion": 1}),
    ] {
        let reply = bts.create(true, body.clone()).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_PARAMETER");
    }
    // Anonymous limits: 7 days, 10 views, no unlimited.
    for body in [
        json!({"secret": "x", "ttl": 604801}),
        json!({"secret": "x", "maxViews": 11}),
        json!({"secret": "x", "maxViews": null}),
    ] {
        let reply = bts.create(false, body).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_PARAMETER");
    }
    let anon = bts
        .create(false, json!({"secret": "x", "ttl": 604800, "maxViews": 10}))
        .await;
    assert_eq!(anon.status, StatusCode::OK);
    // A bad key is refused everywhere, even where no key is needed.
    let bad = bts
        .send(
            bts.http
                .post(bts.url("/api/secrets"))
                .bearer_auth("ks_live_wrong")
                .json(&json!({"secret": "x"})),
        )
        .await;
    assert_error(&bad, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    let basic = bts
        .send(
            bts.http
                .get(bts.url("/api/secrets/abc"))
                .basic_auth("u", Some(&bts.key)),
        )
        .await;
    assert_error(&basic, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    // View with the metadata key.
    let created = bts.create(true, json!({"secret": "x"})).await;
    let (_, metadata_key) = keys(&created);
    assert_error(
        &bts.view(&metadata_key, None).await,
        StatusCode::BAD_REQUEST,
        "INVALID_KEY",
    );
    // A view body that is not JSON.
    let reply = bts
        .send(
            bts.http
                .post(bts.url(&format!("/api/secrets/{metadata_key}")))
                .body("passphrase=x"),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_JSON");
    // Unknown paths and methods under /api/secrets.
    let reply = bts.send(bts.http.get(bts.url("/api/secrets/a/b"))).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "NOT_FOUND");
    let reply = bts.send(bts.http.put(bts.url("/api/secrets/abc"))).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
    let reply = bts.send(bts.http.get(bts.url("/api/secrets"))).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "INVALID_REQUEST");
}

/// A server that refuses anonymous secrets refuses them here with 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_creation_follows_the_server_setting() {
    let bts = Bts::start_with(&[("WISP_ANONYMOUS", "false")], "");
    assert_error(
        &bts.create(false, json!({"secret": "x"})).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    );
    assert_eq!(
        bts.create(true, json!({"secret": "x"})).await.status,
        StatusCode::OK
    );
}

/// Over the limit: 429 RATE_LIMIT_EXCEEDED with Retry-After; headers on every reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_headers_and_429() {
    let bts = Bts::start_with(&[], "[limits]\nanonymous_requests_per_minute = 2\n");
    let first = bts.status("abc").await;
    assert_eq!(first.headers["x-ratelimit-limit"], "2");
    assert_eq!(first.headers["x-ratelimit-remaining"], "1");
    bts.status("abc").await;
    let limited = bts.status("abc").await;
    assert_error(
        &limited,
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMIT_EXCEEDED",
    );
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .expect("retry-after")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry));
    assert_eq!(limited.headers["x-ratelimit-remaining"], "0");
}

/// Two concurrent views of a view-once secret: exactly one gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_views_of_a_view_once_secret() {
    let bts = Bts::start();
    for _ in 0..5 {
        let created = bts.create(true, json!({"secret": "once"})).await;
        let (secret_key, _) = keys(&created);
        let (a, b) = tokio::join!(bts.view(&secret_key, None), bts.view(&secret_key, None));
        let ok = [&a, &b]
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert_eq!(ok, 1, "{} / {}", a.body, b.body);
    }
}

/// `secretUrl` opens Wisp's reveal page (key in the fragment) without spending a view;
/// `metadataUrl` answers the sender's status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_and_metadata_urls_work() {
    let bts = Bts::start();
    let created = bts.create(true, json!({"secret": "page"})).await;
    let (secret_key, metadata_key) = keys(&created);
    let response = bts
        .http
        .get(created.body["secretUrl"].as_str().expect("url"))
        .send()
        .await
        .expect("page");
    assert!(response.status().is_redirection());
    let location = response.headers()["location"].to_str().expect("location");
    let link = wisp_crypto::Link::parse(&format!("{}{location}", bts.server.base)).expect("link");
    assert_eq!(bts.status(&secret_key).await.body["viewsRemaining"], 1);
    let (_, text) = bts
        .server
        .client()
        .reveal_bytes(&[link], None)
        .await
        .expect("reveal through the page's API");
    assert_eq!(&text[..], b"page");
    let receipt: Value = bts
        .http
        .get(created.body["metadataUrl"].as_str().expect("url"))
        .send()
        .await
        .expect("receipt")
        .json()
        .await
        .expect("json");
    assert_eq!(receipt["type"], "metadata");
    let receipt = Reply {
        status: StatusCode::OK,
        headers: Default::default(),
        body: receipt,
    };
    assert_eq!(receipt.body["viewed"], true);
    assert_eq!(receipt.body["secretKey"], secret_key.as_str());
    let _ = metadata_key;
}

/// At rest: no plaintext, passphrase or key anywhere in the data directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_readable_on_disk() {
    let bts = Bts::start();
    let plaintext = "BTS-PLAINTEXT-MARKER-c0ffee";
    let passphrase = "BTS-PASSPHRASE-MARKER-beef";
    let a = bts
        .create(true, json!({"secret": plaintext, "passphrase": passphrase}))
        .await;
    let b = bts.create(false, json!({"secret": plaintext})).await;
    let (s1, m1) = keys(&a);
    let (s2, m2) = keys(&b);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for needle in [plaintext, passphrase, &s1, &m1, &s2, &m2] {
        assert!(
            !data_contains(&bts.server, needle.as_bytes()),
            "{needle} found in the data directory"
        );
    }
}

/// The layer can be switched off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layer_can_be_switched_off() {
    let server = Server::start_with(&[("WISP_COMPAT", "onetime")], "");
    let response = http()
        .post(format!("{}/api/secrets", server.base))
        .json(&json!({"secret": "x"}))
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "not_found");
}

/// Secrets made through this layer are in Wisp's receipt machinery: the batch route the
/// desktop app polls accepts Burn the Secret metadata keys, and follows views and deletes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_receipts_follow_burn_secrets() {
    let bts = Bts::start();
    let created = bts
        .create(true, json!({"secret": "watched", "maxViews": 2}))
        .await;
    let (secret_key, metadata_key) = keys(&created);
    let batch = || async {
        let body: Value = bts
            .http
            .post(bts.url("/api/v1/receipts/batch"))
            .json(&json!({"keys": [metadata_key]}))
            .send()
            .await
            .expect("batch")
            .json()
            .await
            .expect("json");
        body
    };
    assert_eq!(batch().await["receipts"][0]["state"], "pending");
    bts.view(&secret_key, None).await;
    let after = batch().await;
    assert_eq!(after["receipts"][0]["state"], "viewed");
    assert_eq!(after["receipts"][0]["views_left"], 1);
    bts.delete(&metadata_key).await;
    assert_eq!(batch().await["receipts"][0]["state"], "burned");
}

/// Wisp's `PATCH /api/v1/receipts/KEY` must not lift the anonymous caps (10 views, 7 days)
/// of a secret created here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_receipts_cannot_lift_anonymous_caps() {
    let bts = Bts::start();
    let created = bts
        .create(
            false,
            serde_json::json!({"secret": "capped", "maxViews": 1}),
        )
        .await;
    let (secret_key, metadata_key) = keys(&created);
    let patched = bts
        .http
        .patch(bts.url(&format!("/api/v1/receipts/{metadata_key}")))
        .json(&serde_json::json!({"max_views": null, "ttl": 2_000_000}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), StatusCode::FORBIDDEN);
    let status = bts.status(&metadata_key).await;
    assert_eq!(status.body["maxViews"], 1, "{}", status.body);
    let viewed = bts.view(&secret_key, None).await;
    assert_eq!(viewed.body["secret"], "capped", "{}", viewed.body);
    assert_error(
        &bts.view(&secret_key, None).await,
        StatusCode::GONE,
        "MAX_VIEWS_REACHED",
    );
}

/// An anonymous caller cannot make the server read a body beyond the anonymous limit: a
/// declared 64 MB body is refused at once, in the service's shape, before any of it is
/// sent (the server used to wait for, and read, up to 100 MB before looking at the caller).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_anonymous_body_is_refused_before_reading() {
    let bts = Bts::start();
    let host = bts.server.base.trim_start_matches("http://");
    let answer = common::answer_without_body(
        &bts.server.base,
        &format!(
            "POST /api/secrets HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n\r\n"
        ),
    )
    .await
    .expect("an answer without the body being sent");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("\"CONTENT_TOO_LARGE\""), "{answer}");
    assert!(answer.contains("\"requestId\""), "{answer}");
    // A body within the anonymous limit whose secret is too long: the same code.
    let big = "x".repeat(1_000_001);
    let r = bts.create(false, json!({"secret": big})).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "CONTENT_TOO_LARGE");
}

/// Anonymous requests that make the server run Argon2id (a passphrase) have their own,
/// tighter per-minute limit; other requests and API keys are not held by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_passphrases_have_a_tighter_limit() {
    let bts = Bts::start_with(&[], "[compat]\nanonymous_passphrase_per_minute = 2\n");
    for _ in 0..2 {
        let r = bts
            .create(false, json!({"secret": "s", "passphrase": "p"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = bts
        .create(false, json!({"secret": "s", "passphrase": "p"}))
        .await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED");
    assert!(r.headers.get("retry-after").is_some());
    let plain = bts.create(false, json!({"secret": "s"})).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    let keyed = bts
        .create(true, json!({"secret": "s", "passphrase": "p"}))
        .await;
    assert_eq!(keyed.status, StatusCode::OK, "{}", keyed.body);
    // Views with a passphrase count too.
    let (secret_key, _) = keys(&keyed);
    let r = bts
        .view(&secret_key, Some(json!({"passphrase": "wrong"})))
        .await;
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED");
}

/// The recipient's and the sender's links outside `/api` are rate limited like the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_and_receipt_links_are_rate_limited() {
    let bts = Bts::start_with(&[], "[limits]\nanonymous_requests_per_minute = 2\n");
    let first = bts
        .http
        .get(bts.url("/secret/abcdefgh"))
        .send()
        .await
        .expect("secret");
    assert!(first.status().is_redirection(), "{}", first.status());
    let second = bts.send(bts.http.get(bts.url("/receipt/abcdefgh"))).await;
    assert_error(&second, StatusCode::NOT_FOUND, "NOT_FOUND");
    let third = bts.send(bts.http.get(bts.url("/receipt/abcdefgh"))).await;
    assert_error(&third, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED");
    let fourth = bts
        .http
        .get(bts.url("/secret/abcdefgh"))
        .send()
        .await
        .expect("secret");
    assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
}
