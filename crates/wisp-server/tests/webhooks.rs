//! Signed webhooks on view and burn, retried when the receiver fails, never blocking a reveal.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{fast_options, Server};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::mpsc;

const SECRET: &str = "test-webhook-secret";

struct Delivery {
    signature: String,
    body: Vec<u8>,
}

/// A receiver that fails its first call (to exercise the retry) and records the rest.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let calls = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let (tx, calls) = (tx.clone(), calls.clone());
            async move {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let signature = headers
                    .get("wisp-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let _ = tx.send(Delivery {
                    signature,
                    body: body.to_vec(),
                });
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

fn verify(d: &Delivery) -> serde_json::Value {
    let (t, v1) = d.signature.split_once(",v1=").expect("signature format");
    let t = t.strip_prefix("t=").expect("t=");
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(format!("{t}.").as_bytes());
    mac.update(&d.body);
    assert_eq!(
        hex::encode(mac.finalize().into_bytes()),
        v1,
        "signature must verify"
    );
    let age = time::OffsetDateTime::now_utc().unix_timestamp() - t.parse::<i64>().expect("t");
    assert!((0..300).contains(&age));
    serde_json::from_slice(&d.body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_and_burn_webhooks_are_signed_and_retried() {
    let (url, mut deliveries) = receiver().await;
    let server = Server::start_with(&[("WISP_WEBHOOK_SECRET", SECRET)], "");
    let client = server.client();
    let receiver_url = url.clone();
    let mut options = fast_options();
    options.webhook_url = Some(url);
    options.max_views = Some(Some(2));
    let sent = client.send_text("hooked", &options).await.expect("send");

    let started = Instant::now();
    client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    // The first delivery fails; the reveal did not wait for it.
    assert!(started.elapsed() < Duration::from_secs(1));
    let viewed = tokio::time::timeout(Duration::from_secs(10), deliveries.recv())
        .await
        .expect("retried in time")
        .expect("delivery");
    let event = verify(&viewed);
    assert_eq!(event["event"], "secret.viewed");
    assert_eq!(event["id"], sent.created.id.as_str());
    assert_eq!(event["views_left"], 1);

    client.burn(&sent.created.metadata_key).await.expect("burn");
    let burned = tokio::time::timeout(Duration::from_secs(5), deliveries.recv())
        .await
        .expect("in time")
        .expect("delivery");
    let event = verify(&burned);
    assert_eq!(event["event"], "secret.burned");
    assert_eq!(event["state"], "burned");
    assert_eq!(event["reason"], "sender");

    // Burned by wrong passphrases (format v2): the event says why and how many. Each
    // attempt comes from its own address, below the per-address limit.
    let mut options = fast_options();
    options.webhook_url = Some(receiver_url.clone());
    options.passphrase = Some(wisp_crypto::SecretString::from("right"));
    let sent = client
        .send_text("guessed at", &options)
        .await
        .expect("send");
    for n in 0..10u8 {
        let from = wisp_client::Client::with_http(
            &server.base,
            None,
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from([127, 0, 0, 20 + n]))
                .build()
                .expect("http"),
        )
        .expect("client");
        let err = from
            .reveal_bytes(&sent.links, Some(&wisp_crypto::SecretString::from("wrong")))
            .await
            .expect_err("wrong passphrase");
        assert_eq!(err.api_code(), Some(wisp_api::ErrorCode::WrongPassphrase));
    }
    let burned = tokio::time::timeout(Duration::from_secs(5), deliveries.recv())
        .await
        .expect("in time")
        .expect("delivery");
    let event = verify(&burned);
    assert_eq!(event["event"], "secret.burned");
    assert_eq!(event["id"], sent.created.id.as_str());
    assert_eq!(event["reason"], "wrong_passphrase");
    assert_eq!(event["wrong_attempts"], 10);
}
