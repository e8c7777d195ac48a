//! `wisp send/get/status/burn/list` with servers of every kind (WISP_SERVER + WISP_KIND +
//! WISP_TOKEN, the same target an account of that kind resolves to), against a real server
//! with every compatibility layer on.

use std::process::{Command, Output, Stdio};

struct Server {
    base: String,
    token: String,
    _dir: tempfile::TempDir,
}

fn server() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = wisp_server::config::Config {
        data_dir: dir.path().join("data"),
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
    let token = wisp_server::ids::random_token();
    let (tx, rx) = std::sync::mpsc::channel();
    let hash = wisp_server::ids::sha256(&token);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            std::fs::create_dir_all(&config.data_dir).expect("data dir");
            {
                let store = wisp_server::open_store(&config).expect("store");
                store
                    .create_token("alice", hash, wisp_server::now())
                    .await
                    .expect("token");
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            wisp_server::serve(listener, config, std::future::pending())
                .await
                .expect("serve");
        });
    });
    let addr = rx.recv().expect("addr");
    Server {
        base: format!("http://{addr}"),
        token,
        _dir: dir,
    }
}

fn wisp(server: &Server, kind: &str, token: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(args)
        .env("WISP_SERVER", &server.base)
        .env("WISP_KIND", kind)
        .env("WISP_TOKEN", token)
        .env("WISP_CONFIG_DIR", server._dir.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run wisp")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "wisp failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json stdout")
}

#[test]
fn every_kind_sends_reveals_follows_lists_and_burns() {
    let s = server();
    let cases = [
        ("onetime_secret", format!("alice:{}", s.token), true, true),
        ("burn_the_secret", s.token.clone(), true, false),
        ("seclink", s.token.clone(), false, false),
        ("seecretit", s.token.clone(), true, true),
    ];
    for (kind, token, receipts, list) in cases {
        let sent = json(&wisp(&s, kind, &token, &["--json", "send", "hunter2"]));
        assert_eq!(sent["kind"], kind);
        let link = sent["links"][0].as_str().expect("link").to_owned();
        let key = sent["metadata_key"].as_str().expect("key").to_owned();

        let status = wisp(&s, kind, &token, &["status", &key]);
        if receipts {
            assert_eq!(
                json(&wisp(&s, kind, &token, &["--json", "status", &key]))["state"],
                "pending"
            );
        } else {
            assert_eq!(
                status.status.code(),
                Some(2),
                "{kind}: unsupported is a usage error"
            );
        }

        // `get` recognises the link's kind, whatever the target.
        let peek = wisp(&s, "wisp", "", &["get", &link]);
        assert!(
            peek.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&peek.stderr)
        );
        let got = wisp(&s, "wisp", "", &["get", "--yes", &link]);
        assert!(
            got.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&got.stdout), "hunter2", "{kind}");
        let again = wisp(&s, "wisp", "", &["get", "--yes", &link]);
        assert_eq!(again.status.code(), Some(3), "{kind}: gone after one view");

        if receipts {
            let after = json(&wisp(&s, kind, &token, &["--json", "status", &key]));
            assert_eq!(after["state"], "viewed", "{kind}");
        }

        let listed = wisp(&s, kind, &token, &["--json", "list"]);
        if list {
            let listed = json(&listed);
            assert!(
                !listed["secrets"].as_array().expect("secrets").is_empty(),
                "{kind}"
            );
        } else {
            assert_eq!(listed.status.code(), Some(2), "{kind}");
        }

        let second = json(&wisp(&s, kind, &token, &["--json", "send", "to burn"]));
        let key = second["metadata_key"].as_str().expect("key").to_owned();
        let burned = wisp(&s, kind, &token, &["burn", &key]);
        if receipts {
            assert!(
                burned.status.success(),
                "{kind}: {}",
                String::from_utf8_lossy(&burned.stderr)
            );
            let after = json(&wisp(&s, kind, &token, &["--json", "status", &key]));
            assert_eq!(after["state"], "burned", "{kind}");
        } else {
            assert_eq!(burned.status.code(), Some(2), "{kind}");
        }
    }
}

#[test]
fn refused_tokens_files_and_bad_kinds_have_exit_codes() {
    let s = server();
    let bad = wisp(&s, "burn_the_secret", "wrong", &["send", "x"]);
    assert_eq!(
        bad.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("credentials"));
    let no_user = wisp(&s, "onetime_secret", "no-user", &["send", "x"]);
    assert_eq!(no_user.status.code(), Some(2));
    let file = wisp(&s, "seecretit", &s.token, &["send", "--file", "Cargo.toml"]);
    assert_eq!(file.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&file.stderr).contains("text only"));
    let split = wisp(
        &s,
        "onetime_secret",
        &format!("alice:{}", s.token),
        &["send", "--split", "2/3", "x"],
    );
    assert_eq!(split.status.code(), Some(2));
    let kind = wisp(&s, "pastebin", "", &["send", "x"]);
    assert_eq!(kind.status.code(), Some(2));
}

/// Saved accounts of another kind resolve to their own API (token in the OS keyring). Runs
/// inside `scripts/with-session.sh` (a private Secret Service); skipped elsewhere.
#[test]
fn saved_accounts_of_every_kind_work() {
    if std::env::var_os("WISP_TEST_KEYRING").is_none() {
        eprintln!("WISP_TEST_KEYRING not set: no Secret Service session, skipped");
        return;
    }
    let s = server();
    let config = tempfile::tempdir().expect("config dir");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wisp"));
        cmd.args(args)
            .env_remove("WISP_SERVER")
            .env_remove("WISP_TOKEN")
            .env_remove("WISP_KIND")
            .env_remove("WISP_ACCOUNT")
            .env("WISP_CONFIG_DIR", config.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run wisp")
    };
    let onetime = format!("alice:{}", s.token);
    for (name, kind, token) in [
        ("ots", "onetime_secret", onetime.as_str()),
        ("bts", "burn_the_secret", s.token.as_str()),
        ("sl", "seclink", s.token.as_str()),
        ("sc", "seecretit", s.token.as_str()),
    ] {
        let added = run(
            &[
                "account",
                "add",
                name,
                "--server",
                &s.base,
                "--kind",
                kind,
                "--token-env",
                "T",
            ],
            &[("T", token)],
        );
        assert!(
            added.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        let sent = json(&run(
            &["--account", name, "--json", "send", "from an account"],
            &[],
        ));
        assert_eq!(sent["kind"], kind);
        let link = sent["links"][0].as_str().expect("link").to_owned();
        let got = run(&["get", "--yes", &link], &[]);
        assert_eq!(
            String::from_utf8_lossy(&got.stdout),
            "from an account",
            "{kind}"
        );
    }
}
