//! The native API end to end: a real server process, driven by the project's own client.

mod common;

use std::time::{Duration, Instant};

use common::{fast_options, Server};
use wisp_api::{ErrorCode, ReceiptState, Split};
use wisp_client::{ClientError, SendOptions};
use wisp_crypto::{Link, Metadata, SecretString};

fn code(err: ClientError) -> ErrorCode {
    err.api_code()
        .unwrap_or_else(|| panic!("expected an API error, got {err}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_round_trip_is_view_once_and_receipted() {
    let server = Server::start();
    let client = server.client();
    let sent = client
        .send_text("correct horse battery staple", &fast_options())
        .await
        .expect("send");
    assert_eq!(sent.links.len(), 1);
    let url = sent.links[0].expose_url();
    assert!(url.starts_with(&format!("{}/s/", server.base)));

    let status = client.status(&sent.created.id).await.expect("status");
    assert_eq!(status.views_left, Some(1));
    assert!(!status.needs_passphrase);
    // A status read is free: still one view left.
    assert_eq!(
        client
            .status(&sent.created.id)
            .await
            .expect("status")
            .views_left,
        Some(1)
    );

    let (meta, text) = client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    assert_eq!(meta.kind, wisp_crypto::ContentKind::Text);
    assert_eq!(&text[..], b"correct horse battery staple");

    assert_eq!(
        code(
            client
                .reveal_bytes(&sent.links, None)
                .await
                .expect_err("second")
        ),
        ErrorCode::SecretUnavailable
    );
    assert_eq!(
        code(client.status(&sent.created.id).await.expect_err("gone")),
        ErrorCode::SecretUnavailable
    );
    let receipt = client
        .receipt(&sent.created.metadata_key)
        .await
        .expect("receipt");
    assert_eq!(receipt.state, ReceiptState::Viewed);
    assert_eq!(
        (receipt.views_used, receipt.views_left, receipt.available),
        (1, Some(0), false)
    );
    assert_eq!(receipt.view_log.len(), 1);
    assert_eq!(receipt.view_log[0].client.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrase_split_and_wrong_proofs() {
    let server = Server::start();
    let client = server.client();
    let mut options = fast_options();
    options.passphrase = Some(SecretString::from("open sesame"));
    options.split = Some(Split {
        needed: 2,
        total: 3,
    });
    options.max_views = Some(Some(2));
    let sent = client
        .send_text("split and locked", &options)
        .await
        .expect("send");
    assert_eq!(sent.links.len(), 3);
    let status = client.status(&sent.created.id).await.expect("status");
    assert!(status.needs_passphrase);
    assert_eq!(
        status.split,
        Some(Split {
            needed: 2,
            total: 3
        })
    );

    // Wrong passphrase: nothing local can tell (format v2); the server refuses the
    // passphrase proof, counts it, and spends no view.
    let parts = [sent.links[0].clone(), sent.links[2].clone()];
    let err = client
        .reveal_bytes(&parts, Some(&SecretString::from("open sesam")))
        .await
        .expect_err("wrong");
    assert_eq!(err.attempts_left(), Some(9), "{err}");
    assert_eq!(code(err), ErrorCode::WrongPassphrase);
    // One part is not enough.
    let err = client
        .reveal_bytes(&parts[..1], Some(&SecretString::from("open sesame")))
        .await
        .expect_err("one part");
    assert!(
        matches!(
            err,
            ClientError::Crypto(wisp_crypto::Error::NotEnoughParts { needed: 2, have: 1 })
        ),
        "{err}"
    );
    let (_, text) = client
        .reveal_bytes(&parts, Some(&SecretString::from("open sesame")))
        .await
        .expect("reveal");
    assert_eq!(&text[..], b"split and locked");

    // Someone without the key guessing proofs: answered like an unknown id, never counted.
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/secrets/{}/reveal", server.base, sent.created.id);
    for _ in 1..=12u32 {
        let r = http
            .post(&url)
            .header("wisp-reveal-proof", "A".repeat(43))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404);
        let body: wisp_api::ApiError = r.json().await.expect("json");
        assert_eq!(body.code, ErrorCode::SecretUnavailable);
        assert_eq!(body.attempts_left, None);
        assert!(body.request_id.starts_with("req_"));
    }
    let receipt = client
        .receipt(&sent.created.metadata_key)
        .await
        .expect("receipt");
    assert_eq!(receipt.state, ReceiptState::Viewed);
    assert_eq!(
        receipt.wrong_attempts, 1,
        "only the wrong passphrase counted"
    );
    // The second view goes; then it is gone.
    client
        .reveal_bytes(&parts, Some(&SecretString::from("open sesame")))
        .await
        .expect("second view");
    assert_eq!(
        code(
            client
                .reveal_bytes(&parts, Some(&SecretString::from("open sesame")))
                .await
                .expect_err("burned")
        ),
        ErrorCode::SecretUnavailable
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_megabyte_file_streams_through() {
    let server = Server::start();
    let client = server.client();
    let body: Vec<u8> = (0..5_000_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let meta = Metadata::file(
        "data.bin",
        Some("application/octet-stream".into()),
        Some(body.len() as u64),
    );
    let sent = client
        .send(
            meta.clone(),
            std::io::Cursor::new(body.clone()),
            &fast_options(),
        )
        .await
        .expect("send");
    assert!(sent.created.size > body.len() as u64);
    let (got_meta, got) = client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    assert_eq!(got_meta, meta);
    assert!(got[..] == body[..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sender_burn_removes_payload_and_keeps_receipt() {
    let server = Server::start();
    let client = server.client();
    let sent = client
        .send_text("burn me", &fast_options())
        .await
        .expect("send");
    assert_eq!(server.payload_files(), 1);
    client.burn(&sent.created.metadata_key).await.expect("burn");
    client
        .burn(&sent.created.metadata_key)
        .await
        .expect("burn twice is fine");
    assert_eq!(server.payload_files(), 0);
    assert_eq!(
        code(client.status(&sent.created.id).await.expect_err("gone")),
        ErrorCode::SecretUnavailable
    );
    assert_eq!(
        client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt")
            .state,
        ReceiptState::Burned
    );
    assert_eq!(
        code(
            client
                .receipt("AAAAAAAAAAAAAAAAAAAAAA")
                .await
                .expect_err("unknown")
        ),
        ErrorCode::ReceiptNotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_reports_a_view_within_a_second_and_batch_sees_all() {
    let server = Server::start();
    let client = server.client();
    let a = client.send_text("a", &fast_options()).await.expect("a");
    let b = client.send_text("b", &fast_options()).await.expect("b");
    let keys = vec![
        a.created.metadata_key.clone(),
        b.created.metadata_key.clone(),
        "AAAAAAAAAAAAAAAAAAAAAA".to_owned(),
    ];

    let batch = client.receipts(&keys).await.expect("batch");
    assert_eq!(batch.receipts.len(), 2);
    assert_eq!(batch.unknown, vec!["AAAAAAAAAAAAAAAAAAAAAA".to_owned()]);

    let mut events = client.watch(&keys).await.expect("watch");
    for _ in 0..2 {
        let snapshot = events.next().await.expect("event").expect("receipt");
        assert_eq!(snapshot.receipt.state, ReceiptState::Pending);
    }
    let started = Instant::now();
    client.reveal_bytes(&b.links, None).await.expect("reveal");
    let change = tokio::time::timeout(Duration::from_secs(2), events.next())
        .await
        .expect("in time")
        .expect("event")
        .expect("receipt");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "push took {:?}",
        started.elapsed()
    );
    assert_eq!(change.key, b.created.metadata_key);
    assert_eq!(change.receipt.state, ReceiptState::Viewed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_secrets_are_unavailable_and_receipted_as_expired() {
    let server = Server::start_with(&[], "[limits]\nmin_ttl = 1\n");
    let client = server.client();
    let mut options = fast_options();
    options.ttl = Some(1);
    let sent = client
        .send_text("short-lived", &options)
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        code(client.status(&sent.created.id).await.expect_err("expired")),
        ErrorCode::SecretUnavailable
    );
    assert_eq!(
        client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt")
            .state,
        ReceiptState::Expired
    );
    // The sweeper deletes the payload (it runs every 5 s).
    let deadline = Instant::now() + Duration::from_secs(12);
    while server.payload_files() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(server.payload_files(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_secret_survives_kill_9() {
    let server = Server::start();
    let sent = server
        .client()
        .send_text("durable", &fast_options())
        .await
        .expect("send");
    let dir = server.kill_hard();
    let server = Server::start_in(dir, &[], "");
    let (_, text) = server
        .client()
        .reveal_bytes(&relink(&sent.links, &server.base), None)
        .await
        .expect("reveal after restart");
    assert_eq!(&text[..], b"durable");
}

/// The restarted server listens on another port: same secret, new base.
fn relink(links: &[Link], base: &str) -> Vec<Link> {
    links
        .iter()
        .map(|l| Link::new(base, l.secret_id().clone(), l.secret().clone()).expect("link"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_accounts_and_limits() {
    let server = Server::start_with(&[("WISP_ANONYMOUS", "false")], "");
    let anonymous = server.client();
    assert_eq!(
        code(
            anonymous
                .send_text("x", &fast_options())
                .await
                .expect_err("anon")
        ),
        ErrorCode::AnonymousDisabled
    );
    let token = server.token("laptop");
    assert!(token.starts_with("wisp_"));
    let client =
        wisp_client::Client::new(&server.base, Some(SecretString::from(token))).expect("client");
    let account = client.account().await.expect("account");
    assert_eq!(account.name, "laptop");
    assert!(!account.anonymous);
    client
        .send_text("x", &fast_options())
        .await
        .expect("send with token");
    assert_eq!(client.account().await.expect("account").stats.pending, 1);
    let bad = wisp_client::Client::new(
        &server.base,
        Some(SecretString::from("wisp_nope".to_owned())),
    )
    .expect("client");
    assert_eq!(
        code(bad.account().await.expect_err("bad token")),
        ErrorCode::InvalidToken
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_clear_errors() {
    let server = Server::start_with(&[], "[limits]\nanonymous_max_payload_bytes = 100000\n");
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);

    // Wrong content type.
    let r = http
        .post(format!("{api}/secrets"))
        .json(&serde_json::json!({"x": 1}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 415);
    let e: wisp_api::ApiError = r.json().await.expect("json");
    assert_eq!(e.code, ErrorCode::UnsupportedMediaType);
    assert!(!e.hint.is_empty());

    // Malformed options.
    let form = reqwest::multipart::Form::new()
        .text("options", "{not json")
        .text("payload", "x");
    let r = http
        .post(format!("{api}/secrets"))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidOptions
    );

    // Options out of range.
    let verifier = "A".repeat(43);
    for bad in [
        serde_json::json!({"verifier": verifier, "ttl": 5}),
        serde_json::json!({"verifier": verifier, "max_views": 0}),
        serde_json::json!({"verifier": "short"}),
        serde_json::json!({"verifier": verifier, "split": {"needed": 4, "total": 3}}),
        serde_json::json!({"verifier": verifier, "notify": {"webhook_url": "ftp://x"}}),
    ] {
        let form = reqwest::multipart::Form::new()
            .text("options", bad.to_string())
            .text("payload", "x");
        let r = http
            .post(format!("{api}/secrets"))
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(
            r.json::<wisp_api::ApiError>().await.expect("json").code,
            ErrorCode::InvalidOptions,
            "{bad}"
        );
    }

    // Not a payload.
    let form = reqwest::multipart::Form::new()
        .text(
            "options",
            serde_json::json!({"verifier": verifier}).to_string(),
        )
        .part("payload", reqwest::multipart::Part::bytes(vec![b'x'; 500]));
    let r = http
        .post(format!("{api}/secrets"))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidPayload
    );

    // Too large for an anonymous caller: refused, and nothing is left behind.
    let big = server
        .client()
        .send(
            Metadata::file("big", None, Some(300_000)),
            std::io::Cursor::new(vec![0u8; 300_000]),
            &fast_options(),
        )
        .await
        .expect_err("too large");
    assert_eq!(code(big), ErrorCode::PayloadTooLarge);
    assert_eq!(server.payload_files(), 0);

    // Unknown ids, garbage ids and garbage proofs.
    for id in ["AAAAAAAAAAAAAAAAAAAAAA", "..%2F..%2Fetc", "x"] {
        let r = http
            .get(format!("{api}/secrets/{id}"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 404, "{id}");
    }
    let r = http
        .post(format!("{api}/secrets/AAAAAAAAAAAAAAAAAAAAAA/reveal"))
        .header("wisp-reveal-proof", "!!")
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidProof
    );
    let r = http.get(format!("{api}/nope")).send().await.expect("get");
    assert_eq!(r.status(), 404);
    let r = http
        .put(format!("{api}/account"))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 405);

    // Every response carries the request id, no-store and rate-limit headers.
    let r = http
        .get(format!("{api}/secrets/AAAAAAAAAAAAAAAAAAAAAA"))
        .send()
        .await
        .expect("get");
    let h = r.headers();
    assert!(h["x-request-id"].to_str().expect("id").starts_with("req_"));
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h.contains_key("x-ratelimit-remaining"));

    // The reveal page has its strict CSP.
    let r = http
        .get(format!("{}/s/AAAAAAAAAAAAAAAAAAAAAA", server.base))
        .send()
        .await
        .expect("page");
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_429_with_retry_after() {
    let server = Server::start_with(&[], "[limits]\nanonymous_requests_per_minute = 5\n");
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/secrets/AAAAAAAAAAAAAAAAAAAAAA", server.base);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = http.get(&url).send().await.expect("get");
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(r.headers().contains_key("retry-after"));
            assert_eq!(
                r.json::<wisp_api::ApiError>().await.expect("json").code,
                ErrorCode::RateLimited
            );
        }
    }
    assert_eq!(statuses, vec![404, 404, 404, 404, 404, 429, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_before_view_and_not_after() {
    let server = Server::start();
    let client = server.client();
    let sent = client.send_text("x", &fast_options()).await.expect("send");
    let http = reqwest::Client::new();
    let url = format!(
        "{}/api/v1/receipts/{}",
        server.base, sent.created.metadata_key
    );
    let r = http
        .patch(&url)
        .json(&serde_json::json!({"max_views": 3}))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    assert_eq!(
        client
            .status(&sent.created.id)
            .await
            .expect("status")
            .views_left,
        Some(3)
    );
    client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    let r = http
        .patch(&url)
        .json(&serde_json::json!({"ttl": 600}))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 409);
    let _ = SendOptions::default();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_download_resumes_without_another_view() {
    use futures_util::StreamExt;
    let server = Server::start();
    let client = server.client();
    let body: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8).collect();
    let sent = client
        .send(
            Metadata::file("big.bin", None, Some(body.len() as u64)),
            std::io::Cursor::new(body.clone()),
            &fast_options(),
        )
        .await
        .expect("send");
    let key = wisp_crypto::combine_links(&sent.links).expect("key");
    let status = client.status(&sent.created.id).await.expect("status");
    let header = wisp_crypto::PayloadHeader::from_base64url(&status.header).expect("header");
    let opener = wisp_crypto::Opener::new(&key, None, &header).expect("opener");

    // Reveal, read ~300 KB, then drop the connection.
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1/secrets/{}", server.base, sent.created.id);
    let r = http
        .post(format!("{api}/reveal"))
        .header("wisp-reveal-proof", opener.reveal_proof().to_base64url())
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), 200);
    let token = r.headers()["wisp-download-token"]
        .to_str()
        .expect("token")
        .to_owned();
    let mut got = Vec::new();
    let mut stream = r.bytes_stream();
    while got.len() < 300_000 {
        got.extend_from_slice(&stream.next().await.expect("chunk").expect("bytes"));
    }
    drop(stream);

    // Resume from where it broke: 206 with the rest, no view spent (it was view-once).
    let r = http
        .get(format!("{api}/payload"))
        .header("wisp-download-token", &token)
        .header("range", format!("bytes={}-", got.len()))
        .send()
        .await
        .expect("resume");
    assert_eq!(r.status(), 206);
    got.extend_from_slice(&r.bytes().await.expect("rest"));
    let reader = opener.open(&got[..]).expect("open");
    assert_eq!(&reader.read_all().expect("decrypt")[..], &body[..]);
    assert_eq!(
        client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt")
            .views_used,
        1
    );

    // A wrong token is refused.
    let r = http
        .get(format!("{api}/payload"))
        .header("wisp-download-token", "AAAAAAAAAAAAAAAAAAAAAA")
        .send()
        .await
        .expect("bad");
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_lists_its_secrets_page_by_page() {
    let server = Server::start();
    let token = server.token("lister");
    let client = wisp_client::Client::new(&server.base, Some(SecretString::from(token.clone())))
        .expect("client");
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(
            client
                .send_text(&format!("secret {i}"), &fast_options())
                .await
                .expect("send"),
        );
    }
    client
        .burn(&sent[0].created.metadata_key)
        .await
        .expect("burn");
    let http = reqwest::Client::new();
    let list = |query: String| {
        let http = http.clone();
        let url = format!("{}/api/v1/account/secrets?{query}", server.base);
        let token = token.clone();
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("list")
                .json::<wisp_api::SecretList>()
                .await
                .expect("json")
        }
    };
    let first = list("limit=2".into()).await;
    assert_eq!(first.secrets.len(), 2);
    let cursor = first.next_cursor.clone().expect("more pages");
    let second = list(format!("limit=2&cursor={cursor}")).await;
    let third = list(format!(
        "limit=2&cursor={}",
        second.next_cursor.clone().expect("third page")
    ))
    .await;
    assert!(third.next_cursor.is_none());
    let mut ids: Vec<String> = [first.secrets, second.secrets, third.secrets]
        .concat()
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    let mut expected: Vec<String> = sent.iter().map(|s| s.created.id.clone()).collect();
    expected.sort();
    assert_eq!(ids, expected, "every secret exactly once across pages");
    let burned = list("state=burned".into()).await;
    assert_eq!(burned.secrets.len(), 1);
    assert_eq!(burned.secrets[0].id, sent[0].created.id);
    let r = http
        .get(format!("{}/api/v1/account/secrets", server.base))
        .send()
        .await
        .expect("anonymous list");
    assert_eq!(r.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_and_passphrase_can_be_replaced_before_the_first_view() {
    let server = Server::start();
    let client = server.client();
    let sent = client
        .send_text("first draft", &fast_options())
        .await
        .expect("send");
    // The sender re-seals new content under a new key and replaces the payload.
    let key = wisp_crypto::LinkKey::generate();
    let options = wisp_crypto::SealOptions {
        kdf: wisp_crypto::KdfParams {
            m_cost_kib: 256,
            t_cost: 1,
            p_cost: 1,
        },
        ..Default::default()
    };
    let phrase = SecretString::from("new phrase");
    let sealer = wisp_crypto::Sealer::with_options(&key, Some(&phrase), &options).expect("sealer");
    let mut payload = Vec::new();
    std::io::Read::read_to_end(
        &mut sealer
            .seal(&Metadata::text(13), &b"final version"[..])
            .expect("seal"),
        &mut payload,
    )
    .expect("read");
    let put = |options: serde_json::Value| {
        let form = reqwest::multipart::Form::new()
            .text("options", options.to_string())
            .part("payload", reqwest::multipart::Part::bytes(payload.clone()));
        reqwest::Client::new()
            .put(format!(
                "{}/api/v1/receipts/{}/payload",
                server.base, sent.created.metadata_key
            ))
            .multipart(form)
            .send()
    };
    // A payload with a passphrase needs the passphrase proof's verifier (format v2).
    let r = put(serde_json::json!({"verifier": sealer.reveal_proof().verifier().to_base64url(), "max_views": 1}))
        .await
        .expect("put");
    assert_eq!(r.status(), 400);
    let body: wisp_api::ApiError = r.json().await.expect("json");
    assert_eq!(body.code, ErrorCode::InvalidOptions);
    let passphrase_verifier = sealer
        .passphrase_proof()
        .expect("passphrase proof")
        .verifier()
        .to_base64url();
    let r = put(serde_json::json!({"verifier": sealer.reveal_proof().verifier().to_base64url(), "passphrase_verifier": passphrase_verifier, "max_views": 1}))
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    assert!(
        client
            .status(&sent.created.id)
            .await
            .expect("status")
            .needs_passphrase
    );
    // The old link no longer opens it; the new key and passphrase do.
    assert!(client.reveal_bytes(&sent.links, None).await.is_err());
    let link = Link::new(
        &server.base,
        sent.links[0].secret_id().clone(),
        wisp_crypto::LinkSecret::Key(key),
    )
    .expect("link");
    let (_, text) = client
        .reveal_bytes(&[link], Some(&phrase))
        .await
        .expect("reveal");
    assert_eq!(&text[..], b"final version");
    assert_eq!(
        server.payload_files(),
        1,
        "the replaced payload is deleted (the new one stays for resume)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_midway_leaves_nothing() {
    let server = Server::start();
    let key = wisp_crypto::LinkKey::generate();
    let sealer = wisp_crypto::Sealer::new(&key, None).expect("sealer");
    let mut payload = Vec::new();
    std::io::Read::read_to_end(
        &mut sealer
            .seal(
                &Metadata::file("f", None, Some(3_000_000)),
                &vec![7u8; 3_000_000][..],
            )
            .expect("seal"),
        &mut payload,
    )
    .expect("read");
    // A body that sends 1 MB and then fails, as a dropped connection would.
    let first = bytes::Bytes::copy_from_slice(&payload[..1_000_000]);
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> =
        vec![Ok(first), Err(std::io::Error::other("cable pulled"))];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let form = reqwest::multipart::Form::new()
        .text(
            "options",
            serde_json::json!({"verifier": sealer.reveal_proof().verifier().to_base64url()})
                .to_string(),
        )
        .part("payload", reqwest::multipart::Part::stream(body));
    let sent = reqwest::Client::new()
        .post(format!("{}/api/v1/secrets", server.base))
        .multipart(form)
        .send()
        .await;
    assert!(sent.is_err() || !sent.expect("response").status().is_success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.payload_files(), 0, "no partial payload may remain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_fixes_hold() {
    let server = Server::start_with(&[], "[limits]\nanonymous_requests_per_minute = 40\n");
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);

    // Framework rejections are API errors too.
    let r = http
        .post(format!("{api}/receipts/batch"))
        .header("content-type", "application/json")
        .body("{\"keys\": [1]}")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidRequest
    );
    // A whole history in one request: the most keys are answered, one more is refused.
    let keys = |n: usize| {
        let keys: Vec<String> = (0..n).map(|i| format!("{i:0>22}")).collect();
        serde_json::json!({ "keys": keys })
    };
    let r = http
        .post(format!("{api}/receipts/batch"))
        .json(&keys(wisp_api::MAX_BATCH_KEYS))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let answered: wisp_api::BatchResponse = r.json().await.expect("json");
    assert_eq!(
        answered.receipts.len() + answered.unknown.len(),
        wisp_api::MAX_BATCH_KEYS
    );
    let r = http
        .post(format!("{api}/receipts/batch"))
        .json(&keys(wisp_api::MAX_BATCH_KEYS + 1))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidRequest
    );
    let r = http
        .post(format!("{api}/receipts/batch"))
        .body("x")
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::UnsupportedMediaType
    );
    let r = http
        .get(format!("{api}/account/secrets?limit=abc"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.json::<wisp_api::ApiError>().await.expect("json").code,
        ErrorCode::InvalidRequest
    );

    // A viewed secret answers a recipient burn exactly like one that never existed.
    let client = server.client();
    let sent = client.send_text("x", &fast_options()).await.expect("send");
    client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    for id in [sent.created.id.as_str(), "AAAAAAAAAAAAAAAAAAAAAA"] {
        let r = http
            .post(format!("{api}/secrets/{id}/burn"))
            .header("wisp-reveal-proof", "A".repeat(43))
            .send()
            .await
            .expect("burn");
        assert_eq!(r.status(), 404, "{id}");
    }
    // Burning it afterwards does not rewrite the receipt's truth.
    client.burn(&sent.created.metadata_key).await.expect("burn");
    assert_eq!(
        client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt")
            .state,
        ReceiptState::Viewed
    );

    // Made-up bearer tokens do not earn fresh rate-limit buckets.
    let mut limited = false;
    for i in 0..60 {
        let r = http
            .get(format!("{api}/secrets/AAAAAAAAAAAAAAAAAAAAAA"))
            .bearer_auth(format!("wisp_fake{i}"))
            .send()
            .await
            .expect("get");
        limited |= r.status() == 429;
    }
    assert!(limited, "random tokens must count against the caller's IP");
}
