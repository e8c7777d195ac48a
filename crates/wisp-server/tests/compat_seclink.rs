//! The SecLink layer against a real server process: every example request of the service's
//! API document (seed 001: curl, JavaScript, Python), on its documented path and under the
//! `/compat/seclink` prefix, every documented field and its JSON type, view-once deletion,
//! passcodes, abuse reports, the hourly anonymous limit, and the documented error statuses.

mod common;

use std::process::Command;

use common::{assert_json, fast_options, http, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PREFIX: &str = "/compat/seclink";

struct SecLink {
    server: Server,
    http: reqwest::Client,
    key: String,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl SecLink {
    fn start_with(env: &[(&str, &str)], toml: &str) -> Self {
        let server = Server::start_compat(env, toml);
        let key = server.token("sk_live");
        SecLink {
            server,
            http: http(),
            key,
        }
    }

    fn start() -> Self {
        Self::start_with(&[], "")
    }

    fn url(&self, base: &str, path: &str) -> String {
        format!("{}{base}{path}", self.server.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        assert_json(&response);
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.json().await.expect("JSON body");
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn create(&self, base: &str, auth: bool, body: Value) -> Reply {
        let mut request = self
            .http
            .post(self.url(base, "/api/v1/secrets"))
            .json(&body);
        if auth {
            request = request.bearer_auth(&self.key);
        }
        self.send(request).await
    }

    async fn retrieve(&self, base: &str, id: &str) -> Reply {
        self.send(
            self.http
                .get(self.url(base, &format!("/api/v1/secrets/{id}"))),
        )
        .await
    }

    async fn report(&self, base: &str, id: &str, from: &str) -> Reply {
        self.send(
            self.http
                .post(self.url(base, &format!("/api/v1/secrets/{id}/report")))
                .header("x-forwarded-for", from)
                .json(&json!({"reason": "phishing"})),
        )
        .await
    }
}

fn assert_error(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(
        reply.body["error"].as_str().is_some_and(|s| !s.is_empty()),
        "{}",
        reply.body
    );
}

/// `wisp-server reports ARGS…` on the layer's data directory.
fn reports(sl: &SecLink, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wisp-server"))
        .arg("reports")
        .args(args)
        .env("WISP_DATA_DIR", sl.server.data())
        .output()
        .expect("wisp-server reports")
}

fn link_id(reply: &Reply) -> String {
    reply.body["linkId"].as_str().expect("linkId").to_owned()
}

/// The curl and Python examples (Bearer key, "..." placeholders) and the JavaScript one
/// (btoa values), on the documented path and under the prefix: create, then retrieve once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_examples_on_both_paths() {
    let sl = SecLink::start();
    for base in ["", PREFIX] {
        // curl -X POST …/api/v1/secrets -H "Authorization: Bearer sk_live_xxx"
        //   -d '{"encryptedBlob":"...","iv":"...","expiryType":"view_once"}'
        let created = sl
            .create(
                base,
                true,
                json!({"encryptedBlob": "...", "iv": "...", "expiryType": "view_once"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let id = link_id(&created);
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(created.body["shareUrl"], format!("{}/{id}", sl.server.base));
        let expires = created.body["expiresAt"].as_i64().expect("expiresAt ms");
        let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
        assert!(expires > now_ms, "expiresAt is in milliseconds");
        let retrieved = sl.retrieve(base, &id).await;
        assert_eq!(retrieved.status, StatusCode::OK, "{}", retrieved.body);
        assert_eq!(retrieved.body["encryptedBlob"], "...");
        assert_eq!(retrieved.body["iv"], "...");
        assert_eq!(retrieved.body["expiryType"], "view_once");
        assert_eq!(retrieved.headers["cache-control"], "no-store");

        // JavaScript: btoa('encrypted_data'), btoa('initialization_vector').
        let created = sl
            .create(
                base,
                true,
                json!({
                    "encryptedBlob": "ZW5jcnlwdGVkX2RhdGE=",
                    "iv": "aW5pdGlhbGl6YXRpb25fdmVjdG9y",
                    "expiryType": "view_once"
                }),
            )
            .await;
        let id = link_id(&created);
        let retrieved = sl.retrieve(base, &id).await;
        assert_eq!(retrieved.body["encryptedBlob"], "ZW5jcnlwdGVkX2RhdGE=");
        assert_eq!(retrieved.body["iv"], "aW5pdGlhbGl6YXRpb25fdmVjdG9y");
    }
}

/// view_once: the first retrieval deletes the secret (its payload file too); afterwards 410.
/// A secret that never existed is 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_once_is_deleted_by_the_first_read() {
    let sl = SecLink::start();
    let files = sl.server.payload_files();
    let created = sl
        .create(
            "",
            false,
            json!({"encryptedBlob": "Y2lwaGVy", "iv": "aXY=", "expiryType": "view_once"}),
        )
        .await;
    let id = link_id(&created);
    assert_eq!(sl.server.payload_files(), files + 1);
    // The ciphertext is stored as given.
    assert!(common::data_contains(&sl.server, b"Y2lwaGVy"));
    assert_eq!(sl.retrieve("", &id).await.status, StatusCode::OK);
    assert_eq!(sl.server.payload_files(), files, "deleted at once");
    assert_error(&sl.retrieve("", &id).await, StatusCode::GONE);
    assert_error(&sl.retrieve(PREFIX, &id).await, StatusCode::GONE);
    assert_error(
        &sl.retrieve("", "A1b2C3d4E5f6").await,
        StatusCode::NOT_FOUND,
    );
    assert_error(
        &sl.retrieve(PREFIX, "no-such_id!").await,
        StatusCode::NOT_FOUND,
    );
}

/// Two concurrent reads of a view_once secret: exactly one gets the ciphertext.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_of_view_once() {
    let sl = SecLink::start();
    for _ in 0..5 {
        let created = sl
            .create(
                PREFIX,
                true,
                json!({"encryptedBlob": "b", "iv": "i", "expiryType": "view_once"}),
            )
            .await;
        let id = link_id(&created);
        let (a, b) = tokio::join!(sl.retrieve(PREFIX, &id), sl.retrieve(PREFIX, &id));
        let ok = [&a, &b]
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert_eq!(ok, 1);
    }
}

/// Timed expiry types: any number of reads until expiry; `expiresAt` in milliseconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timed_expiry_types() {
    let sl = SecLink::start();
    for (kind, ttl) in [("1hour", 3600), ("24hours", 86_400), ("7days", 604_800)] {
        let before = time::OffsetDateTime::now_utc().unix_timestamp();
        let created = sl
            .create(
                "",
                true,
                json!({"encryptedBlob": "c", "iv": "i", "expiryType": kind}),
            )
            .await;
        let expires = created.body["expiresAt"].as_i64().expect("ms") / 1000;
        assert!(
            (before + ttl..=before + ttl + 5).contains(&expires),
            "{kind}"
        );
        let id = link_id(&created);
        for _ in 0..3 {
            let got = sl.retrieve("", &id).await;
            assert_eq!(got.status, StatusCode::OK);
            assert_eq!(got.body["expiryType"], kind);
        }
    }
}

/// passcodeHash: a read must present the same hash (header or query); a wrong one is 401
/// and spends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passcode_hash_gates_reads() {
    let sl = SecLink::start();
    let hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    let created = sl
        .create(
            "",
            false,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "view_once", "passcodeHash": hash}),
        )
        .await;
    let id = link_id(&created);
    assert_error(&sl.retrieve("", &id).await, StatusCode::UNAUTHORIZED);
    let wrong = sl
        .send(
            sl.http
                .get(sl.url("", &format!("/api/v1/secrets/{id}")))
                .header("x-passcode-hash", "0000"),
        )
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED);
    let right = sl
        .send(
            sl.http
                .get(sl.url("", &format!("/api/v1/secrets/{id}")))
                .header("x-passcode-hash", hash),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    // The query form.
    let created = sl
        .create(
            PREFIX,
            false,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "1hour", "passcodeHash": hash}),
        )
        .await;
    let id = link_id(&created);
    let right = sl
        .send(
            sl.http
                .get(sl.url(PREFIX, &format!("/api/v1/secrets/{id}?passcodeHash={hash}"))),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK);
    // The passcode hash itself is not stored.
    assert!(!common::data_contains(&sl.server, hash.as_bytes()));
}

/// Reports with an opt-in threshold: kept for the operator (`wisp-server reports`); a
/// reporter counts once; at the threshold of distinct reporters the secret is disabled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_disable_at_the_threshold() {
    let sl = SecLink::start_with(
        &[("WISP_TRUST_PROXY", "true")],
        "[compat]\nseclink_report_threshold = 2\n",
    );
    let created = sl
        .create(
            "",
            true,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "24hours"}),
        )
        .await;
    let id = link_id(&created);
    let first = sl.report("", &id, "10.0.0.1").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["success"], true);
    // The same reporter again does not count twice.
    sl.report(PREFIX, &id, "10.0.0.1").await;
    assert_eq!(sl.retrieve("", &id).await.status, StatusCode::OK);
    sl.report("", &id, "10.0.0.2").await;
    assert_error(&sl.retrieve("", &id).await, StatusCode::GONE);
    assert_error(
        &sl.report("", "A1b2C3d4E5f6", "10.0.0.3").await,
        StatusCode::NOT_FOUND,
    );
    assert_error(
        &sl.send(
            sl.http
                .post(sl.url("", &format!("/api/v1/secrets/{id}/report")))
                .header("content-type", "application/json")
                .body("not json"),
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    // The operator sees them.
    let out = reports(&sl, &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text
        .lines()
        .all(|l| l.starts_with(&id) && l.ends_with("phishing")));
}

/// By default reports only flag a secret: many reporters from many networks cannot destroy
/// it. And a web page cannot make its visitors report one: a cross-site request without a
/// preflight can only be a form or `text/plain`, which are refused and not recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_flag_but_do_not_burn_by_default() {
    let sl = SecLink::start_with(&[("WISP_TRUST_PROXY", "true")], "");
    let created = sl
        .create(
            "",
            true,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "24hours"}),
        )
        .await;
    let id = link_id(&created);
    for from in ["10.0.0.1", "10.0.1.1", "10.0.2.1", "10.0.3.1", "10.0.4.1"] {
        assert_eq!(sl.report("", &id, from).await.status, StatusCode::OK);
    }
    for (content_type, body) in [
        ("text/plain", r#"{"reason":"phishing"}"#),
        ("application/x-www-form-urlencoded", "reason=phishing"),
    ] {
        let refused = sl
            .send(
                sl.http
                    .post(sl.url("", &format!("/api/v1/secrets/{id}/report")))
                    .header("content-type", content_type)
                    .header("origin", "https://evil.example")
                    .header("x-forwarded-for", "10.0.9.1")
                    .body(body),
            )
            .await;
        assert_error(&refused, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let read = sl.retrieve("", &id).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.body["encryptedBlob"], "c");
    let out = reports(&sl, &[]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        5,
        "only the five JSON reports are recorded"
    );
    // The operator acts on the flag.
    let burned = reports(&sl, &["--burn", &id]);
    assert!(
        burned.status.success(),
        "{}",
        String::from_utf8_lossy(&burned.stderr)
    );
    assert_error(&sl.retrieve("", &id).await, StatusCode::GONE);
}

/// 20 requests per hour without an API key (configurable; 3 here), on both paths; a key is
/// not limited by it, and Wisp's own API is not affected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hourly_limit_for_unauthenticated_callers() {
    let sl = SecLink::start_with(&[], "[compat]\nseclink_anonymous_per_hour = 3\n");
    let body = json!({"encryptedBlob": "c", "iv": "i", "expiryType": "1hour"});
    let created = sl.create("", false, body.clone()).await;
    assert_eq!(created.status, StatusCode::OK);
    let id = link_id(&created);
    assert_eq!(sl.retrieve(PREFIX, &id).await.status, StatusCode::OK);
    assert_eq!(sl.retrieve("", &id).await.status, StatusCode::OK);
    for limited in [
        sl.retrieve("", &id).await,
        sl.retrieve(PREFIX, "A1b2C3d4E5f6").await,
        sl.create("", false, body.clone()).await,
        sl.report("", &id, "10.0.0.1").await,
    ] {
        assert_error(&limited, StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = limited.headers["retry-after"]
            .to_str()
            .expect("retry-after")
            .parse()
            .expect("seconds");
        assert!((1..=3600).contains(&retry));
    }
    let with_key = sl.create("", true, body).await;
    assert_eq!(with_key.status, StatusCode::OK);
    assert_eq!(
        sl.send(
            sl.http
                .get(sl.url("", &format!("/api/v1/secrets/{id}")))
                .bearer_auth(&sl.key)
        )
        .await
        .status,
        StatusCode::OK
    );
    // Wisp's own API is not affected.
    let account = http()
        .get(format!("{}/api/v1/account", sl.server.base))
        .send()
        .await
        .expect("account");
    assert_eq!(account.status(), StatusCode::OK);
}

/// Missing fields, wrong types, unknown expiry types, bad JSON, wrong key: 400 / 401 with
/// `{"error"}`; unknown paths and methods in the same shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input() {
    let sl = SecLink::start();
    for body in [
        json!({"iv": "i", "expiryType": "view_once"}),
        json!({"encryptedBlob": "b", "expiryType": "view_once"}),
        json!({"encryptedBlob": "b", "iv": "i"}),
        json!({"encryptedBlob": "", "iv": "i", "expiryType": "view_once"}),
        json!({"encryptedBlob": 5, "iv": "i", "expiryType": "view_once"}),
        json!({"encryptedBlob": "b", "iv": ["i"], "expiryType": "view_once"}),
        json!({"encryptedBlob": "b", "iv": "i", "expiryType": "2days"}),
        json!({"encryptedBlob": "b", "iv": "i", "expiryType": 1}),
        json!({"encryptedBlob": "b", "iv": "i", "expiryType": "1hour", "passcodeHash": 7}),
        json!({"encryptedBlob": "b", "iv": "i", "expiryType": "1hour", "passcodeHash": "x".repeat(257)}),
    ] {
        for base in ["", PREFIX] {
            assert_error(
                &sl.create(base, true, body.clone()).await,
                StatusCode::BAD_REQUEST,
            );
        }
    }
    // Not an object: SecLink's 400 under the prefix; on the shared path a JSON body with
    // none of SecLink's fields stays Wisp's (its create wants multipart: 415).
    assert_error(
        &sl.create(PREFIX, true, json!([1, 2])).await,
        StatusCode::BAD_REQUEST,
    );
    let shared = sl.create("", true, json!({"x": 1})).await;
    assert_eq!(shared.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(shared.body["code"], "unsupported_media_type");
    let not_json = sl
        .send(
            sl.http
                .post(sl.url(PREFIX, "/api/v1/secrets"))
                .header("content-type", "application/json")
                .body("{nope"),
        )
        .await;
    assert_error(&not_json, StatusCode::BAD_REQUEST);
    let wrong_key = sl
        .send(
            sl.http
                .post(sl.url("", "/api/v1/secrets"))
                .bearer_auth("sk_live_wrong")
                .json(&json!({"encryptedBlob": "b", "iv": "i", "expiryType": "1hour"})),
        )
        .await;
    assert_error(&wrong_key, StatusCode::UNAUTHORIZED);
    let wrong_key = sl
        .send(
            sl.http
                .get(sl.url(PREFIX, "/api/v1/secrets/A1b2C3d4E5f6"))
                .header("authorization", "Token abc"),
        )
        .await;
    assert_error(&wrong_key, StatusCode::UNAUTHORIZED);
    assert_error(
        &sl.send(sl.http.get(sl.url(PREFIX, "/api/v1/nothing")))
            .await,
        StatusCode::NOT_FOUND,
    );
    assert_error(
        &sl.send(
            sl.http
                .delete(sl.url(PREFIX, "/api/v1/secrets/A1b2C3d4E5f6")),
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
}

/// Wisp's own API keeps working on the shared paths: multipart create and 22-character ids.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_api_is_unaffected_on_shared_paths() {
    let sl = SecLink::start();
    let client = sl.server.client();
    let sent = client
        .send_text("native", &fast_options())
        .await
        .expect("native send");
    let status = client
        .status(&sent.created.id)
        .await
        .expect("native status");
    assert_eq!(status.views_left, Some(1));
    let (_, text) = client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    assert_eq!(&text[..], b"native");
    // A non-JSON, non-multipart POST is still Wisp's (and answered in Wisp's shape).
    let response = http()
        .post(format!("{}/api/v1/secrets", sl.server.base))
        .body("x")
        .send()
        .await
        .expect("post");
    let body: Value = response.json().await.expect("json");
    assert!(body["code"].is_string(), "{body}");
}

/// A server that refuses anonymous secrets refuses them here too; the layer can be off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_setting_and_switch() {
    let sl = SecLink::start_with(&[("WISP_ANONYMOUS", "false")], "");
    let body = json!({"encryptedBlob": "b", "iv": "i", "expiryType": "1hour"});
    assert_error(
        &sl.create("", false, body.clone()).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_eq!(
        sl.create("", true, body.clone()).await.status,
        StatusCode::OK
    );

    let off = SecLink::start_with(&[("WISP_COMPAT", "onetime,burn_the_secret,seecret")], "");
    let reply = off.create(PREFIX, true, body.clone()).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["code"], "not_found");
    // On the shared path, Wisp's own create answers (it wants multipart).
    let reply = off.create("", true, body).await;
    assert!(reply.body["code"].is_string(), "{}", reply.body);
}

/// A declared 64 MB body from an anonymous caller is refused at once, in SecLink's shape,
/// on both paths, before any of it is sent: the caller is known before the body is read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_anonymous_body_is_refused_before_reading() {
    let sl = SecLink::start();
    let host = sl.server.base.trim_start_matches("http://");
    for path in ["/compat/seclink/api/v1/secrets", "/api/v1/secrets"] {
        let answer = common::answer_without_body(
            &sl.server.base,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n\r\n"
            ),
        )
        .await
        .expect("an answer without the body being sent");
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(
            answer.contains("{\"error\":\"Invalid payload: too large\"}"),
            "{path}: {answer}"
        );
    }
}

/// The passcode hash is kept as an HMAC under a server key, bound to the secret: not as a
/// plain SHA-256 that a copy of the database could test guesses against.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passcode_is_kept_keyed_not_as_a_plain_hash() {
    use sha2::Digest as _;
    let sl = SecLink::start();
    let passcode = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    let created = sl
        .create(
            "",
            false,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "24hours", "passcodeHash": passcode}),
        )
        .await;
    let id = link_id(&created);
    let plain = hex::encode(sha2::Sha256::digest(passcode.as_bytes()));
    assert!(!common::data_contains(&sl.server, plain.as_bytes()));
    assert!(!common::data_contains(&sl.server, passcode.as_bytes()));
    let right = sl
        .send(
            sl.http
                .get(sl.url("", &format!("/api/v1/secrets/{id}")))
                .header("x-passcode-hash", passcode),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
}

/// IPv6 callers are counted per /64, for the hourly limit and for distinct reporters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_is_counted_per_64() {
    let sl = SecLink::start_with(
        &[("WISP_TRUST_PROXY", "true")],
        "[compat]\nseclink_anonymous_per_hour = 2\n",
    );
    let create_from = |from: &'static str| {
        sl.send(
            sl.http
                .post(sl.url(PREFIX, "/api/v1/secrets"))
                .header("x-forwarded-for", from)
                .json(&json!({"encryptedBlob": "c", "iv": "i", "expiryType": "24hours"})),
        )
    };
    assert_eq!(create_from("2001:db8::1").await.status, StatusCode::OK);
    assert_eq!(create_from("2001:db8::2").await.status, StatusCode::OK);
    assert_error(
        &create_from("2001:db8::ffff:3").await,
        StatusCode::TOO_MANY_REQUESTS,
    );
    assert_eq!(create_from("2001:db8:0:1::1").await.status, StatusCode::OK);

    let sl = SecLink::start_with(
        &[("WISP_TRUST_PROXY", "true")],
        "[compat]\nseclink_report_threshold = 2\nseclink_anonymous_per_hour = 100\n",
    );
    let created = sl
        .create(
            "",
            true,
            json!({"encryptedBlob": "c", "iv": "i", "expiryType": "24hours"}),
        )
        .await;
    let id = link_id(&created);
    for from in ["2001:db8::1", "2001:db8::2", "2001:db8::3"] {
        assert_eq!(sl.report("", &id, from).await.status, StatusCode::OK);
    }
    // One /64 is one reporter, however many addresses it uses: still readable.
    assert_eq!(sl.retrieve("", &id).await.status, StatusCode::OK);
    sl.report("", &id, "2001:db8:0:2::1").await;
    assert_error(&sl.retrieve("", &id).await, StatusCode::GONE);
}

/// Guessing SecLink ids on the shared path spends the anonymous hourly budget too; the
/// answers stay Wisp's (404, then Wisp's 429).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_count_towards_the_hourly_limit() {
    let sl = SecLink::start_with(&[], "[compat]\nseclink_anonymous_per_hour = 2\n");
    for _ in 0..2 {
        let r = sl.retrieve("", "NoSuchId1234").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert!(r.body["code"].is_string(), "Wisp's shape: {}", r.body);
    }
    let r = sl.retrieve("", "NoSuchId1234").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.body["code"], "rate_limited", "{}", r.body);
}
