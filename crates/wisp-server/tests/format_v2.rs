//! Format v2 against a real server, as an attacker would try it (docs/crypto.md, "Who can
//! do what"): someone with only the id cannot burn or learn anything; someone with the link
//! but not the passphrase can only guess through the server, which counts exactly and burns
//! at its limit; v1 secrets written by the previous release still open under v1's rules.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{fast_options, http, Server};
use rand::RngCore as _;
use wisp_api::{ApiError, BurnReason, ErrorCode, ReceiptState};
use wisp_client::{ClientError, SendOptions};
use wisp_crypto::{
    payload::FixedRandomness, FormatVersion, Link, LinkKey, Metadata, PayloadHeader, SealOptions,
    Sealer, SecretString,
};

const PASSPHRASE: &str = "correct horse";

fn code(err: &ClientError) -> ErrorCode {
    err.api_code()
        .unwrap_or_else(|| panic!("expected an API error, got {err}"))
}

fn with_passphrase(phrase: &str) -> SendOptions {
    let mut options = fast_options();
    options.passphrase = Some(SecretString::from(phrase));
    options
}

fn random_proof() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An HTTP client whose connections come from `127.0.0.N` (several addresses on one machine).
fn http_from(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, n)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

async fn error_of(response: reqwest::Response) -> (u16, ApiError) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("error body"))
}

/// Generous request limits: these tests are about proofs, not the request rate limit.
const OPEN_LIMITS: &str =
    "[limits]\nanonymous_requests_per_minute = 1000000\nrequests_per_minute = 1000000\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_with_only_the_id_cannot_burn_or_probe() {
    let server = Server::start_compat(&[], OPEN_LIMITS);
    let client = server.client();
    let mut options = with_passphrase(PASSPHRASE);
    // Let the recipient burn, so the burn route is also a target.
    options.forbid_recipient_burn = false;
    let sent = client
        .send_text("still here", &options)
        .await
        .expect("send");
    let plain = client
        .send_text("no passphrase", &fast_options())
        .await
        .expect("send");
    let unknown = {
        let mut b = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut b);
        URL_SAFE_NO_PAD.encode(b)
    };

    // 1,000 reveals with random link proofs from four addresses, on both secrets, plus the
    // recipient burn route: every answer is the unknown id's answer, byte for byte the same
    // code and sentence.
    let (_, reference) = error_of(
        http()
            .post(format!("{}/api/v1/secrets/{unknown}/reveal", server.base))
            .header("wisp-reveal-proof", random_proof())
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(reference.code, ErrorCode::SecretUnavailable);
    let clients: Vec<reqwest::Client> = (2..=5).map(http_from).collect();
    let mut tasks = Vec::new();
    for round in 0..1000usize {
        let http = clients[round % clients.len()].clone();
        let id = if round % 2 == 0 {
            sent.created.id.clone()
        } else {
            plain.created.id.clone()
        };
        let route = if round % 10 == 9 { "burn" } else { "reveal" };
        let url = format!("{}/api/v1/secrets/{id}/{route}", server.base);
        tasks.push(tokio::spawn(async move {
            let mut request = http.post(url).header("wisp-reveal-proof", random_proof());
            if round % 3 == 0 {
                request = request.header("wisp-passphrase-proof", random_proof());
            }
            error_of(request.send().await.expect("post")).await
        }));
        if tasks.len() == 32 {
            for t in tasks.drain(..) {
                let (status, body) = t.await.expect("task");
                assert_eq!((status, body.code), (404, ErrorCode::SecretUnavailable));
                assert_eq!(body.error, reference.error);
                assert_eq!(body.attempts_left, None);
            }
        }
    }
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!((status, body.code), (404, ErrorCode::SecretUnavailable));
    }
    // Resuming needs the download token a real reveal returned: random ones do nothing.
    for _ in 0..50 {
        let r = http()
            .get(format!(
                "{}/api/v1/secrets/{}/payload",
                server.base, sent.created.id
            ))
            .header("wisp-download-token", random_proof())
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 403);
    }
    // The id through every compatibility API that takes a key in the path: each derives
    // its own storage id from a key, so a Wisp id names nothing there and spends nothing.
    for _ in 0..20 {
        for (method, path) in [
            ("POST", format!("/api/v1/secret/{}", sent.created.id)),
            ("POST", format!("/api/secrets/{}", sent.created.id)),
            ("DELETE", format!("/api/secrets/{}", sent.created.id)),
            ("GET", format!("/api/v1/secrets/{}", sent.created.id)),
        ] {
            let request = match method {
                "POST" => http().post(format!("{}{path}", server.base)),
                "DELETE" => http().delete(format!("{}{path}", server.base)),
                _ => http().get(format!("{}{path}", server.base)),
            };
            let r = request.send().await.expect("compat");
            assert!(
                !r.status().is_success() || method == "GET",
                "{method} {path}: {}",
                r.status()
            );
        }
    }

    for (sent, pass) in [(&sent, Some(PASSPHRASE)), (&plain, None)] {
        let receipt = client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt");
        assert_eq!(receipt.state, ReceiptState::Pending);
        assert_eq!(receipt.wrong_attempts, 0);
        assert!(receipt.view_log.is_empty());
        let phrase = pass.map(SecretString::from);
        let (_, text) = client
            .reveal_bytes(&sent.links, phrase.as_ref())
            .await
            .expect("the recipient still reveals it");
        assert!(!text.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_public_depends_on_the_passphrase() {
    let server = Server::start();
    let client = server.client();
    let sent = client
        .send_text("header check", &with_passphrase(PASSPHRASE))
        .await
        .expect("send");
    let status = client.status(&sent.created.id).await.expect("status");
    assert!(status.needs_passphrase);
    let served = URL_SAFE_NO_PAD.decode(&status.header).expect("base64");
    let (header, _) = PayloadHeader::parse(&served).expect("header");
    assert_eq!(header.version, FormatVersion::V2);
    let params = header.passphrase.expect("passphrase params");
    let wisp_crypto::LinkSecret::Key(key) = sent.links[0].secret() else {
        panic!("whole key");
    };
    // The header a sender with the same link key and salt makes for *other* passphrases
    // is byte for byte the one the server publishes: it cannot test a passphrase.
    for other in ["another passphrase", "", "correct horsf"] {
        let options = SealOptions {
            kdf: params.kdf,
            fixed_randomness: Some(FixedRandomness {
                passphrase_salt: params.salt,
                stream_header: [40; 40],
            }),
            ..SealOptions::default()
        };
        let phrase = SecretString::from(other);
        let sealer = Sealer::with_options(key, Some(&phrase), &options).expect("sealer");
        assert_eq!(sealer.header().to_bytes(), served, "passphrase {other:?}");
    }
    // And the status answer itself carries nothing else that could (no verifier).
    let raw: serde_json::Value = http()
        .get(format!(
            "{}/api/v1/secrets/{}",
            server.base, sent.created.id
        ))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    let keys: Vec<&str> = raw
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for forbidden in ["verifier", "passphrase_verifier", "key_check"] {
        assert!(!keys.contains(&forbidden), "{keys:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passphrases_count_exactly_and_burn_with_a_reason() {
    // The per-address limit is tested below; here every attempt comes from its own address.
    let server = Server::start_with(&[], OPEN_LIMITS);
    let client = server.client();
    let sent = client
        .send_text("ten tries", &with_passphrase(PASSPHRASE))
        .await
        .expect("send");
    for attempt in 1..=10u32 {
        let from =
            wisp_client::Client::with_http(&server.base, None, http_from(10 + attempt as u8))
                .expect("client");
        let err = from
            .reveal_bytes(&sent.links, Some(&SecretString::from("wrong guess")))
            .await
            .expect_err("wrong");
        assert_eq!(code(&err), ErrorCode::WrongPassphrase, "{err}");
        assert_eq!(err.attempts_left(), Some(10 - attempt));
        if attempt < 10 {
            let receipt = client
                .receipt(&sent.created.metadata_key)
                .await
                .expect("receipt");
            assert_eq!(receipt.state, ReceiptState::Pending);
            assert_eq!(receipt.wrong_attempts, attempt);
        }
    }
    let receipt = client
        .receipt(&sent.created.metadata_key)
        .await
        .expect("receipt");
    assert_eq!(receipt.state, ReceiptState::Burned);
    assert_eq!(receipt.burn_reason, Some(BurnReason::WrongPassphrase));
    assert_eq!(receipt.wrong_attempts, 10);
    let err = client
        .reveal_bytes(&sent.links, Some(&SecretString::from(PASSPHRASE)))
        .await
        .expect_err("burned");
    assert_eq!(code(&err), ErrorCode::SecretUnavailable);
    assert_eq!(server.payload_files(), 0, "burning removed the payload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_spend_every_attempt_at_once() {
    let server = Server::start_with(&[], OPEN_LIMITS);
    let client = server.client();
    let sent = client
        .send_text("slowly", &with_passphrase(PASSPHRASE))
        .await
        .expect("send");
    // Default: 5 attempts per minute per secret and address; the sixth is refused before
    // it is checked, and not counted.
    for attempt in 1..=5u32 {
        let err = client
            .reveal_bytes(&sent.links, Some(&SecretString::from("guess")))
            .await
            .expect_err("wrong");
        assert_eq!(code(&err), ErrorCode::WrongPassphrase);
        assert_eq!(err.attempts_left(), Some(10 - attempt));
    }
    let wisp_crypto::LinkSecret::Key(key) = sent.links[0].secret() else {
        panic!("whole key");
    };
    let status = client.status(&sent.created.id).await.expect("status");
    let header = PayloadHeader::from_base64url(&status.header).expect("header");
    let opener =
        wisp_crypto::Opener::new(key, Some(&SecretString::from("guess")), &header).expect("opener");
    let r = http()
        .post(format!(
            "{}/api/v1/secrets/{}/reveal",
            server.base, sent.created.id
        ))
        .header("wisp-reveal-proof", opener.reveal_proof().to_base64url())
        .header(
            "wisp-passphrase-proof",
            opener.passphrase_proof().expect("proof").to_base64url(),
        )
        .send()
        .await
        .expect("post");
    let retry_after: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code), (429, ErrorCode::TooManyAttempts));
    // Another address still may; the count went on from 5.
    let other = wisp_client::Client::with_http(&server.base, None, http_from(7)).expect("client");
    let err = other
        .reveal_bytes(&sent.links, Some(&SecretString::from("guess")))
        .await
        .expect_err("wrong");
    assert_eq!(err.attempts_left(), Some(4));
    // Without a passphrase proof: told so, not counted.
    let r = http()
        .post(format!(
            "{}/api/v1/secrets/{}/reveal",
            server.base, sent.created.id
        ))
        .header("wisp-reveal-proof", opener.reveal_proof().to_base64url())
        .send()
        .await
        .expect("post");
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code), (401, ErrorCode::PassphraseRequired));
    assert_eq!(body.attempts_left, Some(4));
    let (_, text) = other
        .reveal_bytes(&sent.links, Some(&SecretString::from(PASSPHRASE)))
        .await
        .expect("right passphrase");
    assert_eq!(&text[..], b"slowly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_passphrases_are_counted_exactly() {
    let server = Server::start_with(
        &[],
        "[limits]\nanonymous_requests_per_minute = 1000000\npassphrase_attempts_per_minute = 1000\n[connections]\nper_address = 1000\n",
    );
    let client = server.client();
    for round in 0..3 {
        let sent = client
            .send_text("raced", &with_passphrase(PASSPHRASE))
            .await
            .expect("send");
        let wisp_crypto::LinkSecret::Key(key) = sent.links[0].secret() else {
            panic!("whole key");
        };
        let status = client.status(&sent.created.id).await.expect("status");
        let header = PayloadHeader::from_base64url(&status.header).expect("header");
        let opener = wisp_crypto::Opener::new(key, Some(&SecretString::from("nope")), &header)
            .expect("opener");
        let link = opener.reveal_proof().to_base64url();
        let wrong = opener.passphrase_proof().expect("proof").to_base64url();
        let url = format!("{}/api/v1/secrets/{}/reveal", server.base, sent.created.id);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(64));
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let (url, link, wrong, barrier) =
                    (url.clone(), link.clone(), wrong.clone(), barrier.clone());
                tokio::spawn(async move {
                    let request = http()
                        .post(url)
                        .header("wisp-reveal-proof", link)
                        .header("wisp-passphrase-proof", wrong);
                    barrier.wait().await;
                    error_of(request.send().await.expect("post")).await
                })
            })
            .collect();
        let mut counted = Vec::new();
        let mut unavailable = 0;
        for t in tasks {
            match t.await.expect("task") {
                (403, body) if body.code == ErrorCode::WrongPassphrase => {
                    counted.push(body.attempts_left.expect("attempts_left"))
                }
                (404, body) if body.code == ErrorCode::SecretUnavailable => unavailable += 1,
                (status, body) => panic!("round {round}: {status} {body}"),
            }
        }
        counted.sort_unstable();
        assert_eq!(counted, (0..10).collect::<Vec<u32>>(), "round {round}");
        assert_eq!(unavailable, 54, "round {round}");
        let receipt = client
            .receipt(&sent.created.metadata_key)
            .await
            .expect("receipt");
        assert_eq!(receipt.state, ReceiptState::Burned);
        assert_eq!(receipt.wrong_attempts, 10);
        assert_eq!(receipt.burn_reason, Some(BurnReason::WrongPassphrase));
    }

    // The race for the last view of a passphrase secret still has exactly one winner.
    for round in 0..5 {
        let sent = client
            .send_text("one winner", &with_passphrase(PASSPHRASE))
            .await
            .expect("send");
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(32));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let (client, links, barrier) =
                    (client.clone(), sent.links.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    client
                        .reveal_bytes(&links, Some(&SecretString::from(PASSPHRASE)))
                        .await
                        .map(|(_, t)| t.to_vec())
                })
            })
            .collect();
        let mut winners = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(text) => {
                    assert_eq!(text, b"one winner");
                    winners += 1;
                }
                Err(e) => assert_eq!(code(&e), ErrorCode::SecretUnavailable, "{e}"),
            }
        }
        assert_eq!(winners, 1, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recipient_burn_needs_the_passphrase_too() {
    let server = Server::start();
    let client = server.client();
    let mut options = with_passphrase(PASSPHRASE);
    options.max_views = Some(Some(3));
    let sent = client.send_text("burn me", &options).await.expect("send");
    // The link alone (a leak without the passphrase) cannot destroy it; a wrong passphrase
    // counts as on a reveal.
    let err = client
        .burn_as_recipient(&sent.links, Some(&SecretString::from("wrong")))
        .await
        .expect_err("wrong passphrase");
    assert_eq!(code(&err), ErrorCode::WrongPassphrase);
    assert_eq!(err.attempts_left(), Some(9));
    client
        .burn_as_recipient(&sent.links, Some(&SecretString::from(PASSPHRASE)))
        .await
        .expect("burn");
    let receipt = client
        .receipt(&sent.created.metadata_key)
        .await
        .expect("receipt");
    assert_eq!(receipt.state, ReceiptState::Burned);
    assert_eq!(receipt.burn_reason, Some(BurnReason::Recipient));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_v1_payloads_are_refused() {
    let server = Server::start();
    let key = LinkKey::generate();
    let options = SealOptions {
        version: FormatVersion::V1,
        ..SealOptions::default()
    };
    let sealer = Sealer::with_options(&key, None, &options).expect("sealer");
    let mut payload = Vec::new();
    std::io::Read::read_to_end(
        &mut sealer.seal(&Metadata::text(2), &b"v1"[..]).expect("seal"),
        &mut payload,
    )
    .expect("read");
    let options = serde_json::json!({"verifier": sealer.reveal_proof().verifier().to_base64url()});
    let form = common::upload_form(&options, payload);
    let r = http()
        .post(format!("{}/api/v1/secrets", server.base))
        .multipart(form)
        .send()
        .await
        .expect("post");
    let (status, body) = error_of(r).await;
    assert_eq!(
        (status, body.code),
        (400, ErrorCode::OutdatedFormat),
        "{body}"
    );
    assert_eq!(server.payload_files(), 0, "the refused upload left nothing");
}

/// Copies the committed v1 store (written by the release before v2) into a fresh server.
fn v1_server(toml: &str) -> (Server, serde_json::Value) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/v1-store");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture.join("data"), &dir.path().join("data"));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("fixture.json")).expect("read"))
            .expect("json");
    (Server::start_in(dir, &[], &common::with_layers(toml)), meta)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn links(meta: &serde_json::Value, name: &str) -> Vec<Link> {
    meta[name]["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| Link::parse(l.as_str().expect("str")).expect("link"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_secrets_of_the_previous_release_still_open() {
    let (server, meta) = v1_server(OPEN_LIMITS);
    let client = server.client();
    let phrase = SecretString::from(meta["passphrase"].as_str().expect("passphrase"));

    let (_, text) = client
        .reveal_bytes(&links(&meta, "text"), None)
        .await
        .expect("v1 text");
    assert_eq!(&text[..], b"v1 text secret");
    let (file_meta, file) = client
        .reveal_bytes(&links(&meta, "file"), None)
        .await
        .expect("v1 file");
    assert_eq!(file_meta.name.as_deref(), Some("notes.txt"));
    assert_eq!(&file[..], b"file content of the v1 fixture\n");
    let split = links(&meta, "split");
    let (_, text) = client
        .reveal_bytes(&split[1..], None)
        .await
        .expect("v1 split");
    assert_eq!(&text[..], b"v1 split secret");

    // v1's rules: its key check tells a wrong passphrase locally (the weakness v2 removes)
    // and the server counts a wrong v1 proof on a secret with a passphrase.
    let pass = links(&meta, "text_passphrase");
    let err = client
        .reveal_bytes(&pass, Some(&SecretString::from("v1 passphrasf")))
        .await
        .expect_err("wrong");
    assert!(
        matches!(
            err,
            ClientError::Crypto(wisp_crypto::Error::WrongPassphrase)
        ),
        "{err}"
    );
    let id = pass[0].secret_id().as_str().to_owned();
    let r = http()
        .post(format!("{}/api/v1/secrets/{id}/reveal", server.base))
        .header("wisp-reveal-proof", random_proof())
        .send()
        .await
        .expect("post");
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code), (403, ErrorCode::WrongProof));
    assert_eq!(body.attempts_left, Some(9));
    let (_, text) = client
        .reveal_bytes(&pass, Some(&phrase))
        .await
        .expect("v1 passphrase");
    assert_eq!(&text[..], b"v1 secret with a passphrase");

    // A v1 secret without a passphrase: a wrong proof cannot come from the link's holder,
    // so it is not counted (the id-only kill switch is closed for v1 too).
    let three = links(&meta, "three_views");
    let id = three[0].secret_id().as_str().to_owned();
    for _ in 0..15 {
        let r = http()
            .post(format!("{}/api/v1/secrets/{id}/reveal", server.base))
            .header("wisp-reveal-proof", random_proof())
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404);
    }
    for left in [2, 1, 0] {
        let revealed = client.reveal(&three, None).await.expect("v1 three views");
        assert_eq!(revealed.views_left, Some(left));
    }

    // The Onetime Secret layer's v1 secret, with its passphrase, through its own API.
    let key = meta["onetime"]["secret_key"].as_str().expect("secret_key");
    let r = http()
        .post(format!("{}/api/v1/secret/{key}", server.base))
        .form(&[("passphrase", "ots")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["value"], "v1 onetime secret");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_key_proof_or_passphrase_on_disk_in_any_encoding() {
    let server = Server::start();
    let client = server.client();
    let plaintext = "V2-PLAINTEXT-MARKER-4d1e";
    let passphrase = "V2-PASSPHRASE-MARKER-90ab";
    let sent = client
        .send_text(plaintext, &with_passphrase(passphrase))
        .await
        .expect("send");
    let wisp_crypto::LinkSecret::Key(key) = sent.links[0].secret() else {
        panic!("whole key");
    };
    let status = client.status(&sent.created.id).await.expect("status");
    let header = PayloadHeader::from_base64url(&status.header).expect("header");
    let opener = wisp_crypto::Opener::new(key, Some(&SecretString::from(passphrase)), &header)
        .expect("opener");
    // A wrong attempt and a reveal first, so every code path that stores something ran.
    client
        .reveal_bytes(&sent.links, Some(&SecretString::from("wrong")))
        .await
        .expect_err("wrong");
    let link_proof = URL_SAFE_NO_PAD
        .decode(opener.reveal_proof().to_base64url())
        .expect("b64");
    let passphrase_proof = URL_SAFE_NO_PAD
        .decode(opener.passphrase_proof().expect("proof").to_base64url())
        .expect("b64");
    let metadata_key = sent.created.metadata_key.clone();
    client
        .reveal_bytes(&sent.links, Some(&SecretString::from(passphrase)))
        .await
        .expect("reveal");
    // Let the WAL settle into the file too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for (what, needle) in [
        ("link key", key.expose_bytes().to_vec()),
        ("link proof", link_proof),
        ("passphrase proof", passphrase_proof),
        ("plaintext", plaintext.as_bytes().to_vec()),
        ("passphrase", passphrase.as_bytes().to_vec()),
        ("metadata key", metadata_key.as_bytes().to_vec()),
    ] {
        assert!(
            !common::data_contains(&server, &needle),
            "the {what} is in the data directory in some encoding"
        );
    }
    // The check can fail: the verifier (SHA-256 of the link proof) *is* stored.
    let verifier = URL_SAFE_NO_PAD
        .decode(opener.reveal_proof().verifier().to_base64url())
        .expect("b64");
    assert!(common::data_contains(&server, &verifier));
}
