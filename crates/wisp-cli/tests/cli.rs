//! `wisp` end to end: the real binary against a real server bound to port 0 (the server
//! library's `serve`, in a thread of its own), plus help and error output.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

struct Server {
    base: String,
    dir: tempfile::TempDir,
}

fn server() -> Server {
    server_with(|_| {})
}

/// A server whose configuration `tune` changes first.
fn server_with(tune: impl FnOnce(&mut wisp_server::config::Config)) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = wisp_server::config::Config {
        data_dir: dir.path().join("data"),
        ..Default::default()
    };
    config.limits.anonymous_requests_per_minute = 100_000;
    tune(&mut config);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
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
        dir,
    }
}

fn wisp(server: &Server, args: &[&str]) -> Output {
    wisp_with(server, args, None, &[])
}

fn wisp_with(server: &Server, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wisp"));
    cmd.args(args)
        .env("WISP_SERVER", &server.base)
        .env_remove("WISP_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawn wisp");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "wisp failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json stdout")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

#[test]
fn help_lists_examples_and_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_wisp"))
        .arg("--help")
        .output()
        .expect("help");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(out.status.success());
    for needle in [
        "Examples:",
        "wisp send",
        "wisp get --yes",
        "Exit codes:",
        "3  secret unavailable",
        "WISP_SERVER",
    ] {
        assert!(text.contains(needle), "help lacks {needle:?}:\n{text}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(["send", "--help"])
        .output()
        .expect("help");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(
        text.contains("--passphrase-env")
            && text.contains("--split")
            && !text.contains("--passphrase <"),
        "{text}"
    );
}

#[test]
fn text_round_trip_view_once_and_exit_codes() {
    let s = server();
    let sent = json(&wisp(&s, &["send", "--json", "correct horse"]));
    let link = sent["links"][0].as_str().expect("link").to_owned();
    assert!(link.starts_with(&s.base) && link.contains('#'));
    assert_eq!(sent["max_views"], 1);

    // Status first: nothing spent.
    let status = json(&wisp(&s, &["get", "--json", &link]));
    assert_eq!(status["views_left"], 1);
    let out = wisp(&s, &["get", "--yes", &link]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"correct horse", "exactly the secret on a pipe");
    let again = wisp(&s, &["get", "--yes", &link]);
    assert_eq!(code(&again), 3, "unavailable after its view");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not available"));

    let receipt = json(&wisp(
        &s,
        &[
            "status",
            "--json",
            sent["metadata_key"].as_str().expect("key"),
        ],
    ));
    assert_eq!(receipt["state"], "viewed");
}

#[test]
fn stdin_passphrase_split_and_files() {
    let s = server();
    // stdin, with the trailing newline of `echo` dropped.
    let sent = json(&wisp_with(
        &s,
        &["send", "--json", "--passphrase-env", "PW"],
        Some(b"from stdin\n"),
        &[("PW", "open sesame")],
    ));
    let link = sent["links"][0].as_str().expect("link");
    let wrong = wisp_with(
        &s,
        &["get", "--yes", link, "--passphrase-env", "PW"],
        None,
        &[("PW", "nope")],
    );
    assert_eq!(code(&wrong), 4, "wrong passphrase");
    // Format v2: only the server can tell a wrong passphrase, and it counts it.
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        said.contains("Wrong passphrase.") && said.contains("9 attempts left"),
        "{said}"
    );
    let again = wisp_with(
        &s,
        &["get", "--yes", link, "--passphrase-env", "PW"],
        None,
        &[("PW", "still nope")],
    );
    assert_eq!(code(&again), 4);
    assert!(String::from_utf8_lossy(&again.stderr).contains("8 attempts left"));
    let missing = wisp(&s, &["get", "--yes", link]);
    assert_eq!(code(&missing), 4, "passphrase needed, none given");
    let ok = wisp_with(
        &s,
        &["get", "--yes", link, "--passphrase-env", "PW"],
        None,
        &[("PW", "open sesame")],
    );
    assert_eq!(ok.stdout, b"from stdin");

    // Split 2/3: one part is not enough, two are.
    let sent = json(&wisp(
        &s,
        &["send", "--json", "--split", "2/3", "split secret"],
    ));
    let parts: Vec<&str> = sent["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l.as_str().expect("str"))
        .collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(code(&wisp(&s, &["get", "--yes", parts[0]])), 4);
    let ok = wisp(&s, &["get", "--yes", parts[2], parts[0]]);
    assert_eq!(ok.stdout, b"split secret");

    // A file, saved under its own name in the chosen place.
    let dir = tempfile::tempdir().expect("dir");
    let src = dir.path().join("data.bin");
    let body: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&src, &body).expect("write");
    let sent = json(&wisp(
        &s,
        &[
            "send",
            "--json",
            "--file",
            src.to_str().expect("path"),
            "--views",
            "2",
        ],
    ));
    let link = sent["links"][0].as_str().expect("link");
    let dest = dir.path().join("copy.bin");
    let saved = json(&wisp(
        &s,
        &[
            "get",
            "--yes",
            "--json",
            link,
            "-o",
            dest.to_str().expect("path"),
        ],
    ));
    assert_eq!(saved["kind"], "file");
    assert_eq!(std::fs::read(&dest).expect("read"), body);
    let clash = wisp(
        &s,
        &["get", "--yes", link, "-o", dest.to_str().expect("path")],
    );
    assert_eq!(code(&clash), 2, "never overwrites");
}

#[test]
fn watch_reports_how_it_ended() {
    let s = server();
    let sent = json(&wisp(&s, &["send", "--json", "watch me"]));
    let key = sent["metadata_key"].as_str().expect("key").to_owned();
    let timeout = wisp(&s, &["watch", &key, "--timeout", "1s"]);
    assert_eq!(code(&timeout), 9);
    let link = sent["links"][0].as_str().expect("link").to_owned();
    let viewer = {
        let base = s.base.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(700));
            Command::new(env!("CARGO_BIN_EXE_wisp"))
                .args(["get", "--yes", &link])
                .env("WISP_SERVER", base)
                .output()
                .expect("get")
        })
    };
    let watched = wisp(&s, &["watch", &key, "--timeout", "20s"]);
    assert_eq!(
        code(&watched),
        0,
        "{}",
        String::from_utf8_lossy(&watched.stderr)
    );
    assert!(viewer.join().expect("viewer").status.success());

    let other = json(&wisp(&s, &["send", "--json", "burn me"]));
    let key = other["metadata_key"].as_str().expect("key");
    assert_eq!(code(&wisp(&s, &["burn", key])), 0);
    assert_eq!(code(&wisp(&s, &["watch", key, "--timeout", "10s"])), 7);
}

#[test]
fn bad_input_is_a_clear_usage_error() {
    let s = server();
    for (args, needle) in [
        (vec!["get", "https://x.example/s/short#AQ"], "secret id"),
        (vec!["get", "not a link"], "link"),
        (vec!["send", "--split", "1/3", "x"], "--split"),
        (vec!["send", "--views", "0", "x"], "--views"),
        (
            vec!["send", "--passphrase-env", "WISP_TEST_UNSET_VAR", "x"],
            "not set",
        ),
    ] {
        let out = wisp(&s, &args);
        assert_eq!(code(&out), 2, "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle) && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    let out = wisp_with(&s, &["send"], Some(b""), &[]);
    assert_eq!(code(&out), 2);
    let offline = Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(["send", "x", "--server", "http://127.0.0.1:9"])
        .output()
        .expect("run");
    assert_eq!(offline.status.code(), Some(5), "server unreachable");
    // Metadata keys are base64url: one that begins with '-' is a key, never a flag.
    for args in [
        vec!["status", "-gAbc"],
        vec!["burn", "-gAbc"],
        vec!["watch", "-gAbc", "--timeout", "1s"],
    ] {
        let out = wisp(&s, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            code(&out) != 2 && !err.contains("unexpected argument"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn readme_pipeline_example_runs() {
    let s = server();
    // The README's CI example: send from a pipeline, hand the link on, wait for the view.
    let script = r#"set -e
link=$(printf '%s' "$DB_PASSWORD" | wisp send --json --ttl 10m | tee sent.json | sed -n 's/.*"links":\["\([^"]*\)".*/\1/p')
key=$(sed -n 's/.*"metadata_key":"\([^"]*\)".*/\1/p' sent.json)
wisp get --yes "$link" > revealed.txt
wisp watch "$key" --timeout 30s
"#;
    let dir = tempfile::tempdir().expect("dir");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_wisp"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir.path())
        .env("PATH", path)
        .env("WISP_SERVER", &s.base)
        .env("DB_PASSWORD", "s3cr3t-from-ci")
        .output()
        .expect("sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("revealed.txt")).expect("revealed"),
        "s3cr3t-from-ci"
    );
}

#[test]
fn list_needs_a_token_and_shows_the_account_secrets() {
    let s = server();
    assert_eq!(
        code(&wisp(&s, &["list"])),
        6,
        "no token: refused by the server"
    );
    // An account token, made the way an operator would.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let token = "wisp_cli_test_token_0123456789abcdefghijklmnop";
    rt.block_on(async {
        let config = wisp_server::config::Config {
            data_dir: s.dir.path().join("data"),
            ..Default::default()
        };
        let store = wisp_server::open_store(&config).expect("store");
        store
            .create_token("cli", wisp_server::ids::sha256(token), 0)
            .await
            .expect("token");
    });
    let env = [("WISP_TOKEN", token)];
    let sent = json(&wisp_with(&s, &["send", "--json", "listed"], None, &env));
    let listed = json(&wisp_with(&s, &["list", "--json"], None, &env));
    assert_eq!(listed["secrets"][0]["id"], sent["id"]);
    let pending = wisp_with(&s, &["list", "--state", "pending"], None, &env);
    assert!(String::from_utf8_lossy(&pending.stdout).contains(sent["id"].as_str().expect("id")));
    assert_eq!(
        code(&wisp_with(&s, &["list", "--state", "nope"], None, &env)),
        2
    );
}

/// A server on the open internet refuses with codes of its own: each is a sentence on
/// stderr (never the code, never a stack) with its exit code.
#[test]
fn quotas_a_full_disk_and_the_anonymous_ttl_are_sentences_with_exit_codes() {
    let quota = server_with(|c| c.quota.anonymous_bytes_per_hour = 1);
    let full = server_with(|c| c.quota.min_free_disk_bytes = u64::MAX);
    let open = server();
    for (s, args, exit, needle) in [
        // Over what is left this hour, or (with a declared length) over the whole allowance.
        (
            &quota,
            vec!["send", "x"],
            6,
            &[
                "as much as this server allows",
                "larger than this server lets you store",
            ][..],
        ),
        (&full, vec!["send", "x"], 6, &["out of storage space"]),
        (
            &open,
            vec!["send", "--ttl", "30d", "x"],
            2,
            &["without an API token"],
        ),
    ] {
        let out = wisp(s, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), exit, "{args:?}: {err}");
        assert!(
            err.starts_with("wisp: ") && needle.iter().any(|n| err.contains(n)),
            "{args:?}: {err}"
        );
        for raw in [
            "quota_exceeded",
            "insufficient_storage",
            "invalid_options",
            "panicked",
        ] {
            assert!(!err.contains(raw), "{args:?}: {err}");
        }
        assert!(out.stdout.is_empty(), "no link printed");
    }
}
