//! The share URLs the compatibility layers return open the reveal page in a real browser
//! (headless chromium, driven by `reveal/e2e/reveal.e2e.mjs` like `reveal_page.rs`): Onetime
//! Secret's `/secret/KEY` with a passphrase, Burn the Secret's `secretUrl`, Seecret.it's
//! `/_ID#KEY` and its split links. Each opens on the status screen without spending a view,
//! reveals on the click, and the service's own API then reports the view.

mod common;

use std::process::Command;

use common::{http, Server};
use serde_json::{json, Value};

/// Where a service URL lands: `/s/ID` (the id), following one redirect.
async fn landing_id(client: &reqwest::Client, url: &str) -> String {
    let page = url.split_once('#').map_or(url, |(p, _)| p);
    let response = client.get(page).send().await.expect("open");
    assert!(
        response.status().is_redirection(),
        "{url}: {}",
        response.status()
    );
    let location = response.headers()["location"].to_str().expect("location");
    let path = location.split_once('#').map_or(location, |(p, _)| p);
    path.strip_prefix("/s/").expect("reveal page").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_urls_open_the_reveal_page_in_chromium() {
    let server = Server::start_compat(&[], "");
    let token = server.token("pages@example.com");
    let client = http();
    let base = &server.base;

    // Onetime Secret, with a passphrase.
    let ots: Value = client
        .post(format!("{base}/api/v1/share"))
        .basic_auth("pages@example.com", Some(&token))
        .form(&[
            ("secret", "onetime through the page"),
            ("passphrase", "open sesame"),
        ])
        .send()
        .await
        .expect("share")
        .json()
        .await
        .expect("json");
    let ots_url = format!("{base}/secret/{}", ots["secret_key"].as_str().expect("key"));
    let ots_id = landing_id(&client, &ots_url).await;

    // Burn the Secret.
    let bts: Value = client
        .post(format!("{base}/api/secrets"))
        .bearer_auth(&token)
        .json(&json!({"secret": "burn through the page"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let bts_url = bts["secretUrl"].as_str().expect("url").to_owned();
    let bts_id = landing_id(&client, &bts_url).await;

    // Seecret.it, whole and split.
    let seecret = |form: Vec<(&'static str, &'static str)>| {
        let client = client.clone();
        let token = token.clone();
        let url = format!("{base}/api");
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .form(&form)
                .send()
                .await
                .expect("api")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    let sc = seecret(vec![
        ("operation", "create_seecret"),
        ("seecret", "seecret through the page"),
    ])
    .await;
    let sc_url = sc["data"]["url"].as_str().expect("url").to_owned();
    let sc_id = sc["data"]["id"].as_str().expect("id").to_owned();
    assert_eq!(landing_id(&client, &sc_url).await, sc_id);
    let split = seecret(vec![
        ("operation", "create_seecret"),
        ("seecret", "seecret in parts"),
        ("split_link", "3"),
        ("split_link_required", "2"),
    ])
    .await;
    let parts: Vec<String> = split["data"]["urls"]
        .as_array()
        .expect("urls")
        .iter()
        .map(|u| u.as_str().expect("url").to_owned())
        .collect();

    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join("compat-pages-e2e");
    std::fs::create_dir_all(&shots).expect("shots dir");
    let spec = json!({
        "base": base,
        "screenshots": shots,
        "cases": [
            {"name": "onetime", "open": ots_url, "id": ots_id, "links": [ots_url],
             "passphrase": "open sesame", "wrong_passphrase": "open sesam",
             // The server's documented default wrong_proof_limit is 10: one wrong try leaves 9.
             "wrong_passphrase_attempts_left": 9,
             "expect": {"kind": "text", "text": "onetime through the page"}},
            {"name": "burn", "open": bts_url, "id": bts_id, "links": [bts_url],
             "expect": {"kind": "text", "text": "burn through the page"}},
            {"name": "seecret", "open": sc_url, "id": sc_id, "links": [sc_url],
             "expect": {"kind": "text", "text": "seecret through the page"}},
            {"name": "seecret-split", "links": [parts[1], parts[2]],
             "expect": {"kind": "text", "text": "seecret in parts"}},
        ],
    });
    let spec_path = server.dir.path().join("e2e.json");
    std::fs::write(&spec_path, serde_json::to_vec_pretty(&spec).expect("json")).expect("spec");
    let page_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reveal");
    let status = Command::new("node")
        .current_dir(&page_dir)
        .arg("e2e/reveal.e2e.mjs")
        .arg(&spec_path)
        .status()
        .expect("run node");
    assert!(
        status.success(),
        "the browser test failed (screenshots in {})",
        shots.display()
    );

    // Each service's own API saw the view.
    let meta: Value = client
        .post(format!(
            "{base}/api/v1/private/{}",
            ots["metadata_key"].as_str().expect("key")
        ))
        .send()
        .await
        .expect("metadata")
        .json()
        .await
        .expect("json");
    assert_eq!(meta["state"], "received", "{meta}");
    let status: Value = client
        .get(format!(
            "{base}/api/secrets/{}",
            bts["metadata"]["key"].as_str().expect("key")
        ))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(status["viewCount"], 1, "{status}");
    for id in [sc_id.as_str(), split["data"]["id"].as_str().expect("id")] {
        let got = seecret_get(&client, base, &token, id).await;
        assert_eq!(got["data"]["views_count"], 1, "{got}");
    }
}

async fn seecret_get(client: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    client
        .post(format!("{base}/api"))
        .bearer_auth(token)
        .form(&[("operation", "get_seecret"), ("id", id)])
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}
