//! Command tests through Tauri's mock runtime: real IPC requests (JSON bodies, the app's own
//! capability and ACL) into the real command handler and desk, against a real Wisp server.

use std::sync::Arc;

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use wisp_desk::Desk;
use wisp_vault::MemoryVault;

struct Fixture {
    window: WebviewWindow<MockRuntime>,
    base: String,
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
}

/// A Wisp server on port 0 (own thread and runtime: IPC calls block the test thread) and
/// the app on the mock runtime with the real context, hence the real capability.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = wisp_server::config::Config {
        data_dir: dir.path().join("server"),
        ..Default::default()
    };
    config.limits.anonymous_requests_per_minute = 100_000;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let _ = tx.send(listener.local_addr().expect("addr"));
            let _ = wisp_server::serve(listener, config, std::future::pending()).await;
        });
    });
    let base = format!("http://{}", rx.recv().expect("server address"));
    let desk = Arc::new(Desk::new(
        &dir.path().join("config"),
        &dir.path().join("data"),
        Arc::new(MemoryVault::default()),
    ));
    let app = crate::app(mock_builder(), desk)
        .build(tauri::generate_context!())
        .expect("app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    Fixture {
        window,
        base,
        _dir: dir,
        _app: app,
    }
}

impl Fixture {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("json response"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

fn request() -> Value {
    json!({
        "account_id": null, "ttl_secs": 3600, "max_views": 1, "passphrase": null,
        "split": null, "note": "staging db", "recipient_email": null, "keep_link": false
    })
}

#[test]
fn an_account_a_sent_text_its_history_and_its_reveal_cross_ipc() {
    let f = fixture();
    assert_eq!(f.ok("list_accounts", json!({})), json!([]));
    let account = f.ok(
        "add_account",
        json!({"input": {"name": "Local", "kind": "wisp", "url": f.base, "token": null,
            "default_ttl_secs": null, "default_max_views": null, "notifications": true}}),
    );
    assert_eq!(account["is_default"], json!(true));
    assert_eq!(account["has_token"], json!(false));

    let sent = f.ok(
        "send_text",
        json!({"text": "correct horse battery staple", "request": request()}),
    );
    let link = sent["links"][0]["url"].as_str().expect("link").to_owned();
    assert!(link.starts_with(&f.base) && link.contains('#'), "{link}");
    assert!(sent["links"][0]["qr_svg"]
        .as_str()
        .is_some_and(|s| s.starts_with("<?xml") || s.starts_with("<svg")));

    let history = f.ok(
        "list_history",
        json!({"filter": {"account_id": null, "state": null}}),
    );
    assert_eq!(history.as_array().map(Vec::len), Some(1));
    assert_eq!(history[0]["state"], json!("pending"));
    assert_eq!(history[0]["note"], json!("staging db"));
    assert_eq!(
        history[0]["links"],
        Value::Null,
        "links kept only when asked"
    );

    let status = f.ok("inspect_links", json!({"links": [link]}));
    assert_eq!(status["available"], json!(true));
    let revealed = f.ok("reveal", json!({"links": [link], "passphrase": null}));
    assert_eq!(revealed["kind"], json!("text"));
    assert_eq!(revealed["text"], json!("correct horse battery staple"));

    let changed = f.ok("refresh_history", json!({}));
    assert_eq!(changed[0]["state"], json!("viewed"));
}

#[test]
fn errors_cross_as_a_typed_code_and_a_sentence() {
    let f = fixture();
    let empty = f
        .invoke("send_text", json!({"text": "  ", "request": request()}))
        .expect_err("empty text");
    assert_eq!(empty["code"], json!("invalid_input"));
    let no_account = f
        .invoke("send_text", json!({"text": "x", "request": request()}))
        .expect_err("no account");
    assert_eq!(no_account["code"], json!("not_found"));
    assert!(no_account["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Add an account")));
    let bad_link = f
        .invoke(
            "inspect_links",
            json!({"links": ["https://example.com/nothing"]}),
        )
        .expect_err("not a link");
    assert_eq!(bad_link["code"], json!("invalid_input"));
    // Missing arguments are refused by the IPC layer before the desk sees them.
    assert!(f.invoke("send_text", json!({})).is_err());
}

#[test]
fn the_window_gets_only_wisps_commands_not_the_plugins() {
    let f = fixture();
    // The dialog and clipboard plugins are used from Rust only; the capability grants the
    // webview none of their commands, so a compromised page cannot read the clipboard.
    for cmd in [
        "plugin:clipboard-manager|read_text",
        "plugin:dialog|open",
        "plugin:dialog|save",
    ] {
        let refused = f.invoke(cmd, json!({})).expect_err(cmd);
        assert!(
            refused.as_str().is_some_and(|m| m.contains("not allowed")),
            "{cmd}: {refused}"
        );
    }
    assert!(f.invoke("list_accounts", json!({})).is_ok());
}
