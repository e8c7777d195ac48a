//! The server on a hostile internet: slow and idle clients, connection and push floods,
//! oversized and amplifying bodies, anonymous e-mail, quota exhaustion, a full disk. Each
//! test asserts the defence *and* that a normal client is served meanwhile, against a real
//! server process on loopback. Attackers use other loopback addresses (127.0.0.x) so that
//! per-address limits can be told apart from the normal client's (127.0.0.1).
//!
//! Timeouts are configured short (1–2 s) so the suite stays quick; the `tokio::time::timeout`
//! around each wait only turns a hang into a failure, it is not what is asserted.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{fast_options, http, smtp, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use wisp_api::ErrorCode;
use wisp_crypto::{LinkKey, Metadata, SealOptions, Sealer, SecretString};

/// Longest any single wait may take before the test fails as hung.
const HANG: Duration = Duration::from_secs(30);

fn addr(server: &Server) -> SocketAddr {
    server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("server address")
}

/// A TCP connection to `server` from the loopback address `from` (e.g. "127.0.0.2").
async fn connect_from(server: &Server, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{from}:0").parse().expect("bind address"))
        .expect("bind");
    socket.connect(addr(server)).await.expect("connect")
}

/// Reads until the server closes the connection; returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(HANG, read)
        .await
        .expect("the server never closed the connection");
    String::from_utf8_lossy(&out).into_owned()
}

/// A normal client is served: create a secret and read its receipt.
async fn normal_client_is_served(server: &Server) {
    let client = server.client();
    let sent = tokio::time::timeout(HANG, client.send_text("still served", &fast_options()))
        .await
        .expect("normal client hung")
        .expect("normal client refused");
    client
        .receipt(&sent.created.metadata_key)
        .await
        .expect("receipt");
}

/// A valid v2 payload of `len` content bytes and its create options.
fn payload(len: usize) -> (Vec<u8>, Value) {
    let key = LinkKey::generate();
    let sealer = Sealer::with_options(&key, None, &SealOptions::default()).expect("sealer");
    let mut payload = Vec::new();
    std::io::Read::read_to_end(
        &mut sealer
            .seal(&Metadata::text(len as u64), &vec![b'x'; len][..])
            .expect("seal"),
        &mut payload,
    )
    .expect("read");
    let options = json!({"verifier": sealer.reveal_proof().verifier().to_base64url()});
    (payload, options)
}

/// The head and body of a multipart create, the body split so a caller can send a part of it.
fn multipart_create(payload: &[u8], options: &Value) -> (String, Vec<u8>) {
    let boundary = "wispboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n{options}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(payload);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let head = format!(
        "POST /api/v1/secrets HTTP/1.1\r\nHost: wisp\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    (head, body)
}

fn incoming_files(server: &Server) -> usize {
    std::fs::read_dir(server.data().join("payloads").join("incoming"))
        .map(|d| d.count())
        .unwrap_or(0)
}

const SHORT_TIMEOUTS: &str = "[connections]\nheader_timeout_secs = 1\nbody_grace_secs = 1\nbody_min_bytes_per_sec = 1000\nbody_idle_secs = 2\n";

/// Idle connections, headers at a trickle, and a kept-alive connection left idle are all
/// closed after the header timeout; a body at a trickle is cut with 408 `request_timeout`
/// and its temp file removed. A normal client is served throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_cut() {
    let server = Server::start_with(&[], SHORT_TIMEOUTS);

    // Idle: connects and sends nothing.
    let mut idle = connect_from(&server, "127.0.0.2").await;
    // Slowloris headers: a byte every 300 ms, never finishing the head.
    let mut slow_head = connect_from(&server, "127.0.0.3").await;
    let trickle = tokio::spawn(async move {
        let _ = slow_head.write_all(b"GET /healthz HTTP/1.1\r\n").await;
        for _ in 0..200 {
            if slow_head.write_all(b"X").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        read_to_close(&mut slow_head).await
    });
    // Kept alive after one request, then idle.
    let mut kept = connect_from(&server, "127.0.0.4").await;
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: wisp\r\n\r\n")
        .await
        .expect("write");
    // Slow body: a valid start, then one byte every 300 ms (far below 1000 B/s).
    let (payload, options) = payload(50_000);
    let (head, body) = multipart_create(&payload, &options);
    let mut slow_body = connect_from(&server, "127.0.0.5").await;
    slow_body.write_all(head.as_bytes()).await.expect("head");
    slow_body.write_all(&body[..4096]).await.expect("start");
    let body_task = tokio::spawn(async move {
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        for b in &body[4096..] {
            tokio::select! {
                n = slow_body.read(&mut buf) => {
                    match n {
                        Ok(0) | Err(_) => break,
                        Ok(n) => { answer.extend_from_slice(&buf[..n]); break; }
                    }
                }
                () = tokio::time::sleep(Duration::from_millis(300)) => {
                    if slow_body.write_all(&[*b]).await.is_err() { break; }
                }
            }
        }
        answer.extend_from_slice(read_to_close(&mut slow_body).await.as_bytes());
        String::from_utf8_lossy(&answer).into_owned()
    });

    normal_client_is_served(&server).await;

    assert_eq!(read_to_close(&mut idle).await, "", "idle connection closed");
    let kept_answer = read_to_close(&mut kept).await;
    assert!(kept_answer.starts_with("HTTP/1.1 200"), "{kept_answer}");
    let slow_head_answer = trickle.await.expect("trickle");
    assert!(
        !slow_head_answer.contains("200 OK"),
        "a head that never ended was answered: {slow_head_answer}"
    );
    let slow_body_answer = body_task.await.expect("slow body");
    assert!(
        slow_body_answer.starts_with("HTTP/1.1 408"),
        "{slow_body_answer}"
    );
    assert!(
        slow_body_answer.contains("\"code\":\"request_timeout\""),
        "{slow_body_answer}"
    );
    assert_eq!(incoming_files(&server), 0, "the cut upload's temp file");
    normal_client_is_served(&server).await;
}

/// At most `per_address` connections from one address (the next one is answered 429 and
/// closed) and `max` in all (503); another address is still served while one is at its cap,
/// and freed slots come back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_caps_per_address_and_in_all() {
    let server = Server::start_with(&[], "[connections]\nper_address = 4\nmax = 10\n");
    let mut first = Vec::new();
    for _ in 0..4 {
        first.push(connect_from(&server, "127.0.0.2").await);
    }
    let mut over = connect_from(&server, "127.0.0.2").await;
    let answer = read_to_close(&mut over).await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("\"code\":\"rate_limited\""), "{answer}");
    // Another address is served while 127.0.0.2 is at its cap (uses 1–2 slots while it runs).
    normal_client_is_served(&server).await;

    let mut second = Vec::new();
    for _ in 0..4 {
        second.push(connect_from(&server, "127.0.0.3").await);
    }
    // 8 held; two more fill the server.
    let mut third = Vec::new();
    for _ in 0..2 {
        third.push(connect_from(&server, "127.0.0.4").await);
    }
    // The server counts a connection when it accepts it: wait until it refuses the 11th.
    let mut refused = String::new();
    for _ in 0..50 {
        let mut probe = connect_from(&server, "127.0.0.5").await;
        probe
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: wisp\r\nConnection: close\r\n\r\n")
            .await
            .ok();
        refused = read_to_close(&mut probe).await;
        if refused.starts_with("HTTP/1.1 503") {
            break;
        }
    }
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("\"code\":\"unavailable\""), "{refused}");

    drop(first);
    // Freed: the normal client gets in again once the server has seen the closes.
    let mut served = false;
    for _ in 0..50 {
        let r = http().get(format!("{}/healthz", server.base)).send().await;
        if r.is_ok_and(|r| r.status() == 200) {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "freed connection slots came back");
    normal_client_is_served(&server).await;
}

/// Opens a push subscription; returns the status and, when accepted, the live response.
async fn subscribe(
    server: &Server,
    token: Option<&str>,
    keys: &[&str],
) -> (u16, Option<reqwest::Response>, Value) {
    let mut request = http()
        .post(format!("{}/api/v1/receipts/events", server.base))
        .json(&json!({ "keys": keys }));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.expect("subscribe");
    let status = response.status().as_u16();
    if status == 200 {
        let mut response = response;
        // The first event (the current receipt) proves the stream is live.
        let chunk = tokio::time::timeout(HANG, response.chunk())
            .await
            .expect("first event")
            .expect("chunk");
        assert!(chunk.is_some_and(|c| String::from_utf8_lossy(&c).contains("receipt")));
        (status, Some(response), Value::Null)
    } else {
        (status, None, response.json().await.expect("error body"))
    }
}

/// Push subscriptions: a subscription naming no existing secret is refused; per address
/// (without a token) and per token, only so many live at once, with a code a client can
/// act on; a closed one frees its slot; polling still works for everyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_subscriptions_are_capped_and_need_real_keys() {
    let server = Server::start_with(
        &[],
        "[connections]\nsubscriptions_per_address = 2\nsubscriptions_per_token = 1\n",
    );
    let client = server.client();
    let sent = client
        .send_text("watched", &fast_options())
        .await
        .expect("send");
    let key = sent.created.metadata_key.clone();
    let unknown: Vec<String> = (0..1000).map(|i| format!("{i:0>22}")).collect();
    let unknown: Vec<&str> = unknown.iter().map(String::as_str).collect();

    let (status, _, body) = subscribe(&server, None, &unknown).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("receipt_not_found"))
    );

    let (s1, live1, _) = subscribe(&server, None, &[&key]).await;
    let (s2, _live2, _) = subscribe(&server, None, &[&key, unknown[0]]).await;
    assert_eq!((s1, s2), (200, 200));
    let (s3, _, body) = subscribe(&server, None, &[&key]).await;
    assert_eq!(
        (s3, body["code"].as_str()),
        (429, Some("too_many_subscriptions"))
    );

    let token = server.token("desk");
    let (t1, _live_t, _) = subscribe(&server, Some(&token), &[&key]).await;
    let (t2, _, body) = subscribe(&server, Some(&token), &[&key]).await;
    assert_eq!(t1, 200);
    assert_eq!(
        (t2, body["code"].as_str()),
        (429, Some("too_many_subscriptions"))
    );

    // Polling is not affected.
    let batch = client
        .receipts(std::slice::from_ref(&key))
        .await
        .expect("batch");
    assert_eq!(batch.receipts.len(), 1);

    // A closed subscription gives its slot back (once the server sees the close).
    drop(live1);
    let mut again = 0;
    for _ in 0..50 {
        let (s, live, _) = subscribe(&server, None, &[&key]).await;
        again = s;
        if s == 200 {
            drop(live);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(again, 200, "the slot came back");
}

/// Peak resident memory of the server process (kB).
fn peak_rss_kb(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Bodies are bounded and checked before they are parsed, and parsed into typed shapes:
/// a refused caller is answered before its body is even sent; a body that would become a
/// large generic tree costs the server no more than its size; arrays are not objects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_bounded_and_typed_before_parsing() {
    // Anonymous use off: a 14.5 MB JSON create is refused on its headers alone.
    let closed = Server::start_with(&[("WISP_ANONYMOUS", "false")], "");
    let mut stream = connect_from(&closed, "127.0.0.2").await;
    stream
        .write_all(
            b"POST /api/v1/secrets HTTP/1.1\r\nHost: wisp\r\nContent-Type: application/json\r\nContent-Length: 14500000\r\n\r\n",
        )
        .await
        .expect("head");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(HANG, stream.read(&mut buf))
        .await
        .expect("answered before the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("An API key is required"), "{answer}");

    // Anonymous use on: 8 MB of JSON that a generic parser would turn into millions of
    // values. The typed parse skips the unknown field without keeping it.
    let server = Server::start();
    let before = peak_rss_kb(&server);
    let mut bomb = String::from("{\"iv\":\"i\",\"junk\":[");
    while bomb.len() < 8_000_000 {
        bomb.push_str("0,{},[],");
    }
    bomb.push_str("0]}");
    let r = http()
        .post(format!("{}/api/v1/secrets", server.base))
        .header("content-type", "application/json")
        .body(bomb)
        .send()
        .await
        .expect("bomb");
    assert_eq!(r.status(), 400, "missing SecLink fields");
    let grown_mib = (peak_rss_kb(&server).saturating_sub(before)) / 1024;
    // The body itself is read (8 MB, plus a copy); a generic tree of ~3 million values
    // would need well over 100 MiB.
    assert!(grown_mib < 48, "server memory grew {grown_mib} MiB");

    // Arrays where objects are expected.
    let client = server.client();
    let sent = client.send_text("x", &fast_options()).await.expect("send");
    let key = sent.created.metadata_key.clone();
    for (method, path, body) in [
        ("PATCH", format!("/api/v1/receipts/{key}"), "[3600, 5]"),
        ("POST", "/api/v1/receipts/batch".to_owned(), "[[\"k\"]]"),
        ("POST", "/api/v1/receipts/events".to_owned(), "[]"),
    ] {
        let r = http()
            .request(
                method.parse().expect("method"),
                format!("{}{path}", server.base),
            )
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_request")),
            "{method} {path}: {body}"
        );
    }
    // A batch body over its bound.
    let huge = json!({ "keys": vec!["k".repeat(30); 100_000] }).to_string();
    let r = http()
        .post(format!("{}/api/v1/receipts/batch", server.base))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("batch");
    assert_eq!(r.status(), 413);
    normal_client_is_served(&server).await;
}

/// Only token holders can make the server send e-mail, and within hourly caps per
/// recipient; nothing is sent for a refused request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_callers_cannot_make_the_server_send_email() {
    let smtp = smtp::start();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let server = Server::start_with(
        &[("WISP_SMTP_URL", url.as_str())],
        "[limits]\nmail_per_recipient_per_hour = 1\n",
    );
    let anonymous = server.client();
    for field in ["send_to", "notify_email"] {
        let mut options = fast_options();
        match field {
            "send_to" => options.send_to = Some("victim@example.org".into()),
            _ => options.notify_email = Some("victim@example.org".into()),
        }
        let refused = anonymous
            .send_text("spam", &options)
            .await
            .expect_err("anonymous e-mail");
        match refused {
            wisp_client::ClientError::Api(e) => assert_eq!(e.code, ErrorCode::InvalidOptions),
            other => panic!("expected invalid_options, got {other:?}"),
        }
    }
    let token = server.token("mailer");
    let client =
        wisp_client::Client::new(&server.base, Some(SecretString::from(token))).expect("client");
    for to in ["a@example.org", "a@example.org", "b@example.org"] {
        let mut options = fast_options();
        options.send_to = Some(to.into());
        client.send_text("hello", &options).await.expect("send");
    }
    let mail = smtp.messages(2).await;
    let to_a = mail
        .iter()
        .filter(|m| m.contains("To: a@example.org"))
        .count();
    let to_b = mail
        .iter()
        .filter(|m| m.contains("To: b@example.org"))
        .count();
    assert_eq!((to_a, to_b), (1, 1), "{mail:?}");
    assert!(
        !mail.iter().any(|m| m.contains("victim@example.org")),
        "{mail:?}"
    );
}

fn api_code(err: wisp_client::ClientError) -> ErrorCode {
    match err {
        wisp_client::ClientError::Api(e) => e.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Storage: bytes per address per hour (then 429 `quota_exceeded` with Retry-After, while a
/// token holder is still served), a shorter TTL for anonymous secrets, and a free-disk floor
/// below which creates get 507 `insufficient_storage` while reading still works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_quotas_and_the_free_disk_floor() {
    let server = Server::start_with(&[], "[quota]\nanonymous_bytes_per_hour = 300000\n");
    let client = server.client();
    let text = "q".repeat(100_000);
    let first = client.send_text(&text, &fast_options()).await.expect("1st");
    // The payload is a little larger than its content (header, tags, padding).
    let per_secret = first.created.size;
    assert!((100_000..150_000).contains(&per_secret), "{per_secret}");
    let fits = 300_000 / per_secret;
    for _ in 1..fits {
        client
            .send_text(&text, &fast_options())
            .await
            .expect("within the quota");
    }
    let over = client
        .send_text(&text, &fast_options())
        .await
        .expect_err("over");
    assert_eq!(api_code(over), ErrorCode::QuotaExceeded);
    // A body declared larger than what is left is refused on its headers.
    let r = http()
        .post(format!("{}/api/v1/secrets", server.base))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![b'x'; 200_000])
        .send()
        .await
        .expect("raw");
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(incoming_files(&server), 0, "refused uploads left nothing");
    let token = server.token("big");
    let holder =
        wisp_client::Client::new(&server.base, Some(SecretString::from(token))).expect("client");
    holder
        .send_text(&text, &fast_options())
        .await
        .expect("token holder");

    // Anonymous secrets live at most 7 days by default; a token's up to 30.
    let mut month = fast_options();
    month.ttl = Some(30 * 86_400);
    assert_eq!(
        api_code(
            client
                .send_text("x", &month)
                .await
                .expect_err("anonymous 30 days")
        ),
        ErrorCode::InvalidOptions
    );
    holder.send_text("x", &month).await.expect("token 30 days");

    // A disk "below the floor" (a floor larger than any disk).
    let full = Server::start_with(&[], "[quota]\nmin_free_disk_bytes = 4611686018427387904\n");
    let err = full
        .client()
        .send_text("x", &fast_options())
        .await
        .expect_err("full disk");
    assert_eq!(api_code(err), ErrorCode::InsufficientStorage);
    let r = http()
        .get(format!("{}/healthz", full.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(r.status(), 200);
}

/// `wisp-server token create` beside a running server leaves the uploads in flight alone,
/// and a second server on the same data directory refuses to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_management_beside_a_server_keeps_uploads_in_flight() {
    let server = Server::start();
    let (payload, options) = payload(50_000);
    let (head, body) = multipart_create(&payload, &options);
    let mut upload = connect_from(&server, "127.0.0.2").await;
    upload.write_all(head.as_bytes()).await.expect("head");
    upload.write_all(&body[..8192]).await.expect("start");
    for _ in 0..100 {
        if incoming_files(&server) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(incoming_files(&server), 1, "the upload in flight");
    server.token("beside");
    assert_eq!(incoming_files(&server), 1, "token create kept it");
    upload.write_all(&body[8192..]).await.expect("rest");
    let answer = read_to_close_after_response(&mut upload).await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let second = std::process::Command::new(env!("CARGO_BIN_EXE_wisp-server"))
        .args(["serve"])
        .env("WISP_LISTEN", "127.0.0.1:0")
        .env("WISP_DATA_DIR", server.data())
        .output()
        .expect("second server");
    assert!(!second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("another wisp-server is already serving"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
}

/// Reads one response head and body (by Content-Length) without waiting for the close.
async fn read_to_close_after_response(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&out);
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_owned())
                    })
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if rest.len() >= len {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(HANG, read).await.expect("response");
    String::from_utf8_lossy(&out).into_owned()
}

/// The smaller points: `PUT` of a new payload keeps the view limit unless it names one, and
/// only `Range: bytes=N-` with digits resumes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_keeps_the_view_limit_and_ranges_are_strict() {
    let server = Server::start();
    let client = server.client();
    let mut options = fast_options();
    options.max_views = Some(Some(3));
    let sent = client
        .send_text("three views", &options)
        .await
        .expect("send");
    let key = sent.created.metadata_key.clone();
    let (payload, options) = payload(10);
    let form = common::upload_form(&options, payload);
    let r = http()
        .put(format!("{}/api/v1/receipts/{key}/payload", server.base))
        .multipart(form)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.expect("receipt");
    assert_eq!(receipt["max_views"], 3, "{receipt}");

    // Resume after a reveal: `bytes=5-` is a resume, `bytes=+5-` is not (416).
    let sent = client
        .send_text("resumable", &fast_options())
        .await
        .expect("send");
    let link_key = wisp_crypto::combine_links(&sent.links).expect("key");
    let status = client.status(&sent.created.id).await.expect("status");
    let header = wisp_crypto::PayloadHeader::from_base64url(&status.header).expect("header");
    let opener = wisp_crypto::Opener::new(&link_key, None, &header).expect("opener");
    let api = format!("{}/api/v1/secrets/{}", server.base, sent.created.id);
    let r = http()
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
    for (range, expected) in [("bytes=+5-", 416), ("bytes=5-", 206)] {
        let r = http()
            .get(format!("{api}/payload"))
            .header("wisp-download-token", &token)
            .header("range", range)
            .send()
            .await
            .expect("range");
        assert_eq!(r.status().as_u16(), expected, "{range}");
    }
}

/// Every layer bounds and types its bodies: a token holder's 8 MB Burn the Secret create
/// full of nested junk, and forms of a million empty fields to Onetime Secret and
/// Seecret.it, cost the server no more than their size.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_layer_bounds_its_bodies() {
    let server = Server::start_compat(&[], "");
    let token = server.token("layers");
    let before = peak_rss_kb(&server);
    let mut junk = String::from("{\"secret\":\"x\",\"junk\":[");
    while junk.len() < 8_000_000 {
        junk.push_str("0,{},[],");
    }
    junk.push_str("0]}");
    let bts = http()
        .post(format!("{}/api/secrets", server.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(junk)
        .send()
        .await
        .expect("bts");
    // The junk field is skipped; the secret itself is valid.
    assert!(bts.status().is_success(), "{}", bts.status());
    let form_bomb = "a&".repeat(900_000);
    for path in ["/api/v1/share", "/api"] {
        let r = http()
            .post(format!("{}{path}", server.base))
            .bearer_auth(&token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_bomb.clone())
            .send()
            .await
            .expect("form bomb");
        assert!(r.status().is_client_error(), "{path}: {}", r.status());
    }
    let grown_mib = (peak_rss_kb(&server).saturating_sub(before)) / 1024;
    assert!(grown_mib < 48, "server memory grew {grown_mib} MiB");
    normal_client_is_served(&server).await;
}

/// A bearer value costs a database lookup only when the address's bucket pays for it:
/// a flood of made-up tokens from one address is answered 429 once the bucket is spent,
/// while a real token (looked up once, then cached) is still served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_tokens_are_paid_for_by_the_address() {
    let server = Server::start_with(
        &[],
        "[limits]\nanonymous_requests_per_minute = 5\nrequests_per_minute = 5\n",
    );
    let token = server.token("real");
    let real = http()
        .get(format!("{}/api/v1/account", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("real");
    assert_eq!(real.status(), 200);
    let mut statuses = Vec::new();
    for i in 0..20 {
        let r = http()
            .get(format!("{}/api/v1/account", server.base))
            .bearer_auth(format!("wisp_madeup{i:0>20}"))
            .send()
            .await
            .expect("made up");
        statuses.push(r.status().as_u16());
    }
    // 4 unpaid 401s fit in the address's bucket of 5 (the real token's first lookup took
    // one), then the second bucket as large as a token's (5), then 429 only.
    assert!(statuses[..4].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(
        statuses[statuses.len() - 5..].iter().all(|s| *s == 429),
        "{statuses:?}"
    );
    let real = http()
        .get(format!("{}/api/v1/account", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("real again");
    assert_eq!(real.status(), 200, "the real token has its own bucket");
}

/// The compatibility layers store through the same quota: an anonymous Burn the Secret
/// caller over its bytes per hour gets the service's error shape with 429 and Retry-After.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compatibility_layers_share_the_storage_quota() {
    let server = Server::start_compat(&[], "[quota]\nanonymous_bytes_per_hour = 30000\n");
    let create = || {
        http()
            .post(format!("{}/api/secrets", server.base))
            .json(&json!({ "secret": "b".repeat(9_000) }))
            .send()
    };
    let mut last = create().await.expect("first");
    assert!(last.status().is_success(), "{}", last.status());
    for _ in 0..5 {
        last = create().await.expect("create");
        if last.status() == 429 {
            break;
        }
    }
    assert_eq!(last.status(), 429);
    assert!(last.headers().get("retry-after").is_some());
    let body: Value = last.json().await.expect("json");
    assert_eq!(body["code"], "QUOTA_EXCEEDED", "{body}");
    normal_client_is_served_with_a_token(&server).await;
}

/// A token holder is served (an anonymous client from this address is over its quota).
async fn normal_client_is_served_with_a_token(server: &Server) {
    let token = server.token("served");
    let client =
        wisp_client::Client::new(&server.base, Some(SecretString::from(token))).expect("client");
    client
        .send_text("still served", &fast_options())
        .await
        .expect("token holder served");
}

/// `/readyz` follows the storage: ready while records and payloads can be reached, 503
/// `unavailable` with `Retry-After` when the payload storage is gone, ready again by itself
/// when it is back; `/healthz` (alive) stays 200 throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_storage() {
    let server = Server::start();
    let get = |path: &'static str| http().get(format!("{}{path}", server.base)).send();
    assert_eq!(get("/readyz").await.expect("readyz").status(), 200);
    let payloads = server.data().join("payloads");
    let moved = server.data().join("payloads-away");
    std::fs::rename(&payloads, &moved).expect("take the payloads away");
    let r = get("/readyz").await.expect("readyz");
    assert_eq!(r.status(), 503);
    assert!(r.headers().get("retry-after").is_some());
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["code"], "unavailable");
    assert_eq!(get("/healthz").await.expect("healthz").status(), 200);
    std::fs::rename(&moved, &payloads).expect("bring them back");
    assert_eq!(get("/readyz").await.expect("readyz").status(), 200);
}
