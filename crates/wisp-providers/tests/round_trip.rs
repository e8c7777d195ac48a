//! Every provider against a real Wisp server on port 0 with only that kind's compatibility
//! layer on: create, status, reveal, receipts before and after a view, list (where the API
//! has one), burn, and a refused token as a typed error.

use secrecy::SecretString;
use wisp_accounts::ServerKind;
use wisp_providers::{connect_to, features, Provider, ProviderError, State, TextOptions};

struct Server {
    base: String,
    token: String,
    _dir: tempfile::TempDir,
}

/// A server with `layer` on (`None`: Wisp's own API only) and an API token named `alice`.
async fn server(layer: Option<&str>) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = wisp_server::config::Config {
        data_dir: dir.path().join("server"),
        ..Default::default()
    };
    config.limits.anonymous_requests_per_minute = 100_000;
    config.limits.requests_per_minute = 100_000;
    config.compat.onetime = layer == Some("onetime");
    config.compat.burn_the_secret = layer == Some("burn_the_secret");
    config.compat.seclink = layer == Some("seclink");
    config.compat.seecret = layer == Some("seecret");
    config.compat.anonymous_passphrase_per_minute = 10_000;
    config.compat.seclink_anonymous_per_hour = 10_000;
    config.compat.burn_min_ttl = 60;
    std::fs::create_dir_all(&config.data_dir).expect("data dir");
    let token = wisp_server::ids::random_token();
    {
        let store = wisp_server::open_store(&config).expect("store");
        store
            .create_token(
                "alice",
                wisp_server::ids::sha256(&token),
                wisp_server::now(),
            )
            .await
            .expect("token");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(wisp_server::serve(listener, config, std::future::pending()));
    Server {
        base,
        token,
        _dir: dir,
    }
}

fn connect(kind: ServerKind, s: &Server, token: &str) -> Box<dyn Provider> {
    connect_to(kind, &s.base, Some(SecretString::from(token.to_owned()))).expect("connect")
}

fn cheap() -> wisp_crypto::SealOptions {
    wisp_crypto::SealOptions {
        kdf: wisp_crypto::KdfParams {
            m_cost_kib: 256,
            t_cost: 1,
            p_cost: 1,
        },
        ..Default::default()
    }
}

fn options() -> TextOptions {
    TextOptions {
        ttl_secs: Some(3 * 86_400),
        seal: cheap(),
        ..Default::default()
    }
}

fn pass(p: &str) -> Option<SecretString> {
    Some(SecretString::from(p.to_owned()))
}

fn link(created: &wisp_providers::Created) -> Vec<String> {
    created.links.iter().map(|l| l.to_string()).collect()
}

async fn state_of(p: &dyn Provider, key: &str) -> (State, Option<u32>) {
    let receipts = p.receipts(&[key.to_owned()]).await.expect("receipts");
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0].key, key);
    (receipts[0].state, receipts[0].views)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_round_trip() {
    let s = server(None).await;
    let p = connect(ServerKind::Wisp, &s, &s.token);
    assert_eq!(p.kind(), ServerKind::Wisp);
    let checked = p.check().await.expect("check");
    assert!(checked.authenticated);
    assert_eq!(checked.account_name.as_deref(), Some("alice"));

    let created = p
        .create_text(
            "wisp secret",
            &TextOptions {
                passphrase: pass("pw"),
                note: Some("db".into()),
                ..options()
            },
        )
        .await
        .expect("create");
    let urls = link(&created);
    assert_eq!(wisp_providers::recognise(&urls[0]), Some(ServerKind::Wisp));
    let info = p.link_status(&urls[0]).await.expect("status");
    assert!(info.available && info.needs_passphrase);
    assert_eq!(state_of(&*p, &created.key).await.0, State::Pending);
    let err = p
        .reveal(&urls, pass("wrong").as_ref())
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    let revealed = p.reveal(&urls, pass("pw").as_ref()).await.expect("reveal");
    assert_eq!(revealed.content.as_slice(), b"wisp secret");
    assert_eq!(state_of(&*p, &created.key).await, (State::Viewed, Some(1)));
    assert!(!p.link_status(&urls[0]).await.expect("status").available);

    let split = p
        .create_text(
            "split secret",
            &TextOptions {
                split: Some((2, 3)),
                ..options()
            },
        )
        .await
        .expect("split");
    assert_eq!(split.links.len(), 3);
    let two = link(&split)[..2].to_vec();
    let revealed = p.reveal(&two, None).await.expect("reveal split");
    assert_eq!(revealed.content.as_slice(), b"split secret");

    let other = p.create_text("to burn", &options()).await.expect("create");
    let listed = p.list().await.expect("list");
    assert!(listed.iter().any(|l| l.id == other.id));
    p.burn(&other.key).await.expect("burn");
    assert_eq!(state_of(&*p, &other.key).await.0, State::Burned);

    let bad = connect(ServerKind::Wisp, &s, "not-a-token");
    assert!(matches!(
        bad.check().await,
        Err(ProviderError::Unauthorized(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onetime_secret_round_trip() {
    let s = server(Some("onetime")).await;
    let p = connect(ServerKind::OnetimeSecret, &s, &format!("alice:{}", s.token));
    let checked = p.check().await.expect("check");
    assert!(checked.authenticated);
    assert!(features(ServerKind::OnetimeSecret).server_reads_content);

    let created = p
        .create_text(
            "onetime secret",
            &TextOptions {
                passphrase: pass("pw"),
                ..options()
            },
        )
        .await
        .expect("create");
    let urls = link(&created);
    assert!(urls[0].contains("/secret/"), "{}", urls[0]);
    // Debug output (what a log line would show) carries no link, key or token.
    let shown = format!("{created:?} {p:?}");
    assert!(!shown.contains(&urls[0]) && !shown.contains(&created.key));
    assert!(!shown.contains(&s.token), "{shown}");
    assert_eq!(
        wisp_providers::recognise(&urls[0]),
        Some(ServerKind::OnetimeSecret)
    );
    assert_eq!(state_of(&*p, &created.key).await, (State::Pending, Some(0)));
    assert!(p
        .list()
        .await
        .expect("list")
        .iter()
        .any(|l| l.key.as_deref() == Some(&created.key)));
    let err = p
        .reveal(&urls, pass("wrong").as_ref())
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    let revealed = p.reveal(&urls, pass("pw").as_ref()).await.expect("reveal");
    assert_eq!(revealed.content.as_slice(), b"onetime secret");
    assert_eq!(state_of(&*p, &created.key).await, (State::Viewed, Some(1)));
    assert_eq!(
        p.reveal(&urls, None).await.expect_err("must fail").code(),
        "gone"
    );

    let other = p.create_text("to burn", &options()).await.expect("create");
    p.burn(&other.key).await.expect("burn");
    assert_eq!(state_of(&*p, &other.key).await.0, State::Burned);
    assert_eq!(
        p.burn(&other.key).await.expect_err("must fail").code(),
        "gone"
    );
    let unknown = p
        .receipts(&["0123456789abcdefghijklmnopqrstu".into()])
        .await
        .expect("receipts");
    assert!(!unknown[0].known);

    let err = p
        .create_text(
            "x",
            &TextOptions {
                split: Some((2, 2)),
                ..options()
            },
        )
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "unsupported");
    assert_eq!(
        p.link_status(&urls[0]).await.expect_err("must fail").code(),
        "unsupported"
    );

    let bad = connect(ServerKind::OnetimeSecret, &s, "alice:not-a-token");
    assert!(matches!(
        bad.check().await,
        Err(ProviderError::Unauthorized(_))
    ));
    assert!(matches!(
        connect_to(
            ServerKind::OnetimeSecret,
            &s.base,
            Some(SecretString::from("no-user".to_owned()))
        ),
        Err(ProviderError::Invalid(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burn_the_secret_round_trip() {
    let s = server(Some("burn_the_secret")).await;
    let p = connect(ServerKind::BurnTheSecret, &s, &s.token);
    assert!(p.check().await.expect("check").authenticated);

    let created = p
        .create_text(
            "burn secret",
            &TextOptions {
                passphrase: pass("pw"),
                max_views: Some(Some(2)),
                ..options()
            },
        )
        .await
        .expect("create");
    assert_eq!(created.max_views, Some(2));
    let urls = link(&created);
    assert_eq!(
        wisp_providers::recognise(&urls[0]),
        Some(ServerKind::BurnTheSecret)
    );
    let info = p.link_status(&urls[0]).await.expect("status");
    assert!(info.available && info.needs_passphrase);
    assert_eq!(info.views_left, Some(2));
    assert_eq!(state_of(&*p, &created.key).await, (State::Pending, Some(0)));
    let err = p
        .reveal(&urls, pass("wrong").as_ref())
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    let revealed = p.reveal(&urls, pass("pw").as_ref()).await.expect("reveal");
    assert_eq!(revealed.content.as_slice(), b"burn secret");
    assert_eq!(revealed.views_left, Some(1));
    assert_eq!(state_of(&*p, &created.key).await, (State::Viewed, Some(1)));
    p.burn(&created.key).await.expect("burn");
    assert_eq!(state_of(&*p, &created.key).await.0, State::Burned);
    assert!(!p.link_status(&urls[0]).await.expect("status").available);
    assert_eq!(
        p.burn(&created.key).await.expect_err("must fail").code(),
        "gone"
    );
    assert_eq!(p.list().await.expect_err("must fail").code(), "unsupported");

    let bad = connect(ServerKind::BurnTheSecret, &s, "not-a-token");
    assert!(matches!(
        bad.check().await,
        Err(ProviderError::Unauthorized(_))
    ));
    assert!(matches!(
        bad.create_text("x", &options()).await,
        Err(ProviderError::Unauthorized(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seclink_round_trip() {
    let s = server(Some("seclink")).await;
    let p = connect(ServerKind::Seclink, &s, &s.token);
    assert!(p.check().await.expect("check").authenticated);
    assert!(!p.features().server_reads_content);

    let created = p
        .create_text(
            "seclink secret",
            &TextOptions {
                passphrase: pass("pw"),
                ..options()
            },
        )
        .await
        .expect("create");
    assert_eq!(created.max_views, Some(1));
    let urls = link(&created);
    assert_eq!(
        wisp_providers::recognise(&urls[0]),
        Some(ServerKind::Seclink)
    );
    let err = p
        .reveal(&urls, pass("wrong").as_ref())
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    let revealed = p.reveal(&urls, pass("pw").as_ref()).await.expect("reveal");
    assert_eq!(revealed.content.as_slice(), b"seclink secret");
    let gone = p
        .reveal(&urls, pass("pw").as_ref())
        .await
        .expect_err("must fail");
    assert!(matches!(gone.code(), "gone" | "not_found"), "{gone}");

    // A timed secret opens more than once, and a wrong key does not open it.
    let timed = p
        .create_text(
            "timed",
            &TextOptions {
                max_views: Some(None),
                ttl_secs: Some(3600),
                ..options()
            },
        )
        .await
        .expect("create");
    let urls = link(&timed);
    for _ in 0..2 {
        assert_eq!(
            p.reveal(&urls, None)
                .await
                .expect("reveal")
                .content
                .as_slice(),
            b"timed"
        );
    }
    let (location, _) = urls[0].split_once('#').expect("fragment");
    let forged = format!("{location}#{}", "A".repeat(43));
    assert_eq!(
        p.reveal(&[forged], None)
            .await
            .expect_err("must fail")
            .code(),
        "crypto"
    );

    // SecLink has no sender-side status, burn or listing.
    for what in ["receipts", "burn", "list"] {
        let err = match what {
            "receipts" => p
                .receipts(std::slice::from_ref(&timed.key))
                .await
                .map(|_| ()),
            "burn" => p.burn(&timed.key).await,
            _ => p.list().await.map(|_| ()),
        }
        .expect_err("must fail");
        assert_eq!(err.code(), "unsupported", "{what}");
    }

    let bad = connect(ServerKind::Seclink, &s, "not-a-token");
    assert!(matches!(
        bad.check().await,
        Err(ProviderError::Unauthorized(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seecret_round_trip() {
    let s = server(Some("seecret")).await;
    let p = connect(ServerKind::Seecretit, &s, &s.token);
    let checked = p.check().await.expect("check");
    assert_eq!(checked.account_name.as_deref(), Some("alice"));

    let created = p
        .create_text(
            "seecret secret",
            &TextOptions {
                passphrase: pass("pw"),
                note: Some("for bob".into()),
                max_views: Some(Some(2)),
                ..options()
            },
        )
        .await
        .expect("create");
    let urls = link(&created);
    assert!(urls[0].contains("/_"), "{}", urls[0]);
    assert_eq!(
        wisp_providers::recognise(&urls[0]),
        Some(ServerKind::Seecretit)
    );
    let info = p.link_status(&urls[0]).await.expect("status");
    assert!(info.available && info.needs_passphrase);
    assert_eq!(state_of(&*p, &created.key).await, (State::Pending, Some(0)));
    let listed = p.list().await.expect("list");
    let mine = listed.iter().find(|l| l.id == created.id).expect("listed");
    assert_eq!(mine.note.as_deref(), Some("for bob"));
    let err = p
        .reveal(&urls, pass("wrong").as_ref())
        .await
        .expect_err("must fail");
    assert_eq!(err.code(), "wrong_passphrase", "{err}");
    let revealed = p.reveal(&urls, pass("pw").as_ref()).await.expect("reveal");
    assert_eq!(revealed.content.as_slice(), b"seecret secret");
    assert_eq!(state_of(&*p, &created.key).await, (State::Viewed, Some(1)));

    let split = p
        .create_text(
            "split",
            &TextOptions {
                split: Some((2, 2)),
                ..options()
            },
        )
        .await
        .expect("split");
    assert_eq!(split.links.len(), 2);
    let revealed = p.reveal(&link(&split), None).await.expect("reveal split");
    assert_eq!(revealed.content.as_slice(), b"split");

    p.burn(&created.key).await.expect("burn");
    assert_eq!(state_of(&*p, &created.key).await.0, State::Burned);
    assert!(!p.link_status(&urls[0]).await.expect("status").available);
    let unknown = p.receipts(&["nope".into()]).await.expect("receipts");
    assert!(!unknown[0].known);

    let bad = connect(ServerKind::Seecretit, &s, "not-a-token");
    assert!(matches!(
        bad.check().await,
        Err(ProviderError::Unauthorized(_))
    ));
    let anonymous = connect_to(ServerKind::Seecretit, &s.base, None).expect("connect");
    assert_eq!(
        anonymous.list().await.expect_err("must fail").code(),
        "unauthorized"
    );
}
