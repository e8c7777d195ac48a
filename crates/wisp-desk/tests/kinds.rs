//! The desk with accounts of every kind but Wisp (whose own path `desk.rs` covers), against a
//! real server with every compatibility layer on: send text, received links, refresh after a
//! view, server-side listing, burn, connection tests, and the features each account shows.

use std::path::PathBuf;
use std::sync::Arc;

use wisp_desk::views::{
    AccountInput, HistoryFilter, RevealOutcome, SecretState, SendRequest, ServerKind,
};
use wisp_desk::{Desk, ErrorCode, NoticeEvent};
use wisp_vault::MemoryVault;

struct Fixture {
    desk: Desk,
    base: String,
    token: String,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = wisp_server::config::Config {
        data_dir: dir.path().join("server"),
        ..Default::default()
    };
    config.limits.anonymous_requests_per_minute = 100_000;
    config.limits.requests_per_minute = 100_000;
    config.compat.onetime = true;
    config.compat.burn_the_secret = true;
    config.compat.seclink = true;
    config.compat.seecret = true;
    config.compat.anonymous_passphrase_per_minute = 10_000;
    config.compat.seclink_anonymous_per_hour = 10_000;
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
    let desk = Desk::new(
        &dir.path().join("config"),
        &dir.path().join("data"),
        Arc::new(MemoryVault::default()),
    );
    Fixture {
        desk,
        base,
        token,
        _dir: dir,
    }
}

fn account(name: &str, kind: ServerKind, url: &str, token: Option<String>) -> AccountInput {
    AccountInput {
        name: name.into(),
        kind,
        url: url.into(),
        token,
        default_ttl_secs: None,
        default_max_views: None,
        notifications: true,
    }
}

fn request(account_id: &str) -> SendRequest {
    SendRequest {
        account_id: Some(account_id.into()),
        ttl_secs: Some(2 * 86_400),
        max_views: Some(1),
        passphrase: None,
        split: None,
        note: None,
        recipient_email: None,
        keep_link: true,
    }
}

async fn no_file(_: String) -> Option<PathBuf> {
    None
}

fn history_state(desk: &Desk, id: &str) -> SecretState {
    desk.list_history(&HistoryFilter {
        account_id: None,
        state: None,
    })
    .expect("history")
    .into_iter()
    .find(|h| h.id == id)
    .expect("in history")
    .state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_sends_follows_and_burns() {
    let f = fixture().await;
    let cases = [
        (ServerKind::OnetimeSecret, format!("alice:{}", f.token)),
        (ServerKind::BurnTheSecret, f.token.clone()),
        (ServerKind::Seclink, f.token.clone()),
        (ServerKind::Seecretit, f.token.clone()),
    ];
    for (kind, token) in cases {
        let name = format!("{kind:?}");
        let input = account(&name, kind.clone(), &f.base, Some(token));
        let report = f.desk.test_connection(&input, None).await.expect("test");
        assert!(
            report.reachable && report.authenticated,
            "{name}: {report:?}"
        );
        let added = f.desk.add_account(input).expect("add");
        let features = &added.features;
        assert_eq!(features.server_reads_content, added.server_reads_content);
        assert!(!features.files, "{name}: files go through Wisp only");

        // Send, then open the link as a recipient would.
        let sent = f
            .desk
            .send_text("hunter2".to_owned().into(), &request(&added.id))
            .await
            .unwrap_or_else(|e| panic!("{name}: send: {e:?}"));
        assert_eq!(sent.links.len(), 1);
        let link = vec![sent.links[0].url.clone()];
        let status = f.desk.inspect_links(&link).await.expect("inspect");
        assert!(status.available, "{name}");
        match f.desk.reveal(&link, None, no_file).await {
            Ok(RevealOutcome::Text { text, .. }) => assert_eq!(text, "hunter2", "{name}"),
            other => panic!("{name}: expected text, got {other:?}"),
        }

        // The history learns about the view through the kind's own API.
        let changed = f.desk.refresh_account(&added.id).await.expect("refresh");
        if features.receipts {
            assert_eq!(changed.len(), 1, "{name}");
            assert_eq!(
                history_state(&f.desk, &sent.history_id),
                SecretState::Viewed
            );
        } else {
            assert!(changed.is_empty(), "{name}");
        }
        // What the watcher would announce: one "viewed" notice, where the API tells.
        let notices = f.desk.take_notices().expect("notices");
        if features.receipts {
            assert_eq!(notices.len(), 1, "{name}: {notices:?}");
            assert_eq!(notices[0].history_id, sent.history_id, "{name}");
            assert_eq!(notices[0].account_name, name);
            assert!(
                matches!(notices[0].event, NoticeEvent::Viewed { views: 1, .. }),
                "{name}: {notices:?}"
            );
        } else {
            assert!(notices.is_empty(), "{name}: {notices:?}");
        }

        // Server-side listing where the API has one.
        match f.desk.list_server(&added.id).await {
            Ok(listed) => {
                assert!(features.list, "{name}");
                assert!(listed.iter().any(|s| s.in_history), "{name}: {listed:?}");
            }
            Err(e) => {
                assert!(!features.list, "{name}: {e:?}");
                assert_eq!(e.code, ErrorCode::Unsupported);
            }
        }

        // Burn an unread one.
        let second = f
            .desk
            .send_text("to burn".to_owned().into(), &request(&added.id))
            .await
            .expect("send");
        match f.desk.burn(&second.history_id).await {
            Ok(item) => {
                assert!(features.burn, "{name}");
                assert_eq!(item.state, SecretState::Burned);
                let link = vec![second.links[0].url.clone()];
                let err = f
                    .desk
                    .reveal(&link, None, no_file)
                    .await
                    .expect_err("burned");
                assert_eq!(err.code, ErrorCode::Unavailable, "{name}");
            }
            Err(e) => {
                assert!(!features.burn, "{name}: {e:?}");
                assert_eq!(e.code, ErrorCode::Unsupported);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_and_unsupported_options_read_as_sentences() {
    let f = fixture().await;
    let input = account(
        "Burn",
        ServerKind::BurnTheSecret,
        &f.base,
        Some("wrong".into()),
    );
    let report = f.desk.test_connection(&input, None).await.expect("test");
    assert!(report.reachable && !report.authenticated, "{report:?}");
    assert!(report.message.contains("Burn the Secret"), "{report:?}");

    let added = f
        .desk
        .add_account(account(
            "OTS",
            ServerKind::OnetimeSecret,
            &f.base,
            Some(format!("alice:{}", f.token)),
        ))
        .expect("add");
    let mut split = request(&added.id);
    split.split = Some(wisp_desk::views::SplitInput {
        needed: 2,
        total: 3,
    });
    let err = f
        .desk
        .send_text("x".to_owned().into(), &split)
        .await
        .expect_err("no split");
    assert_eq!(err.code, ErrorCode::Unsupported);
    assert!(err.message.contains("split"), "{err:?}");

    // Unlimited views chosen explicitly: refused; coming from the defaults: one view.
    let mut unlimited = request(&added.id);
    unlimited.max_views = Some(0);
    let err = f
        .desk
        .send_text("x".to_owned().into(), &unlimited)
        .await
        .expect_err("no unlimited views");
    assert_eq!(err.code, ErrorCode::Unsupported);
    let mut settings = f.desk.settings();
    settings.default_max_views = 0;
    f.desk.save_settings(&settings).expect("settings");
    let mut defaults = request(&added.id);
    defaults.max_views = None;
    defaults.note = Some("kept here".into());
    let sent = f
        .desk
        .send_text("x".to_owned().into(), &defaults)
        .await
        .expect("defaults adapt to the kind");
    assert_eq!(sent.max_views, Some(1));
    let history = f
        .desk
        .list_history(&HistoryFilter {
            account_id: Some(added.id.clone()),
            state: None,
        })
        .expect("history");
    assert_eq!(history[0].note.as_deref(), Some("kept here"));
}
