//! The Seecret.it layer against a real server process: every example of the service's API
//! document (seed 000: the PHP create, update, get, list, delete and account replies, and the
//! Python create), every documented field and its JSON type, the options (password, split
//! links, country blocks, view notification, recipient e-mail, webhooks on consultation, view
//! log), and bad input in the `{CODE, MESSAGE}` shape.

mod common;

use std::time::Duration;

use axum::http::HeaderMap;
use common::{assert_json, data_contains, http, Server};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::sync::mpsc;
use wisp_crypto::{Link, SecretString};

/// The seed's e-mail addresses are Cloudflare-obfuscated (`[email protected]`); real ones here.
const ACCOUNT: &str = "admin@example.com";

struct Seecret {
    server: Server,
    http: reqwest::Client,
    token: String,
}

struct Reply {
    status: StatusCode,
    body: Value,
}

impl Seecret {
    fn start_with(env: &[(&str, &str)], toml: &str) -> Self {
        let server = Server::start_compat(env, toml);
        let token = server.token(ACCOUNT);
        Seecret {
            server,
            http: http(),
            token,
        }
    }

    fn start() -> Self {
        Self::start_with(&[], "")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        assert_json(&response);
        let status = response.status();
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(
            body["CODE"],
            status.as_u16(),
            "CODE is the HTTP status: {body}"
        );
        assert!(body["MESSAGE"].is_string(), "{body}");
        Reply { status, body }
    }

    /// `POST /api` with `Authorization: Bearer TOKEN` and a form body.
    async fn call(&self, form: &[(&str, &str)]) -> Reply {
        self.call_as(&self.token, form).await
    }

    async fn call_as(&self, token: &str, form: &[(&str, &str)]) -> Reply {
        self.send(
            self.http
                .post(format!("{}/api", self.server.base))
                .bearer_auth(token)
                .form(form),
        )
        .await
    }

    /// The reveal-page link behind a Seecret URL (`/_ID#KEY` redirects to `/s/ID`; split
    /// parts are already `/s/ID#PART`).
    async fn link(&self, url: &str) -> Link {
        if url.contains("/s/") {
            return Link::parse(url).expect("link");
        }
        let (page, fragment) = url.split_once('#').expect("fragment");
        let response = self.http.get(page).send().await.expect("page");
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()["location"].to_str().expect("location");
        Link::parse(&format!("{}{location}#{fragment}", self.server.base)).expect("link")
    }

    async fn reveal(&self, urls: &[&str], password: Option<&str>) -> Result<String, String> {
        let mut links = Vec::new();
        for url in urls {
            links.push(self.link(url).await);
        }
        let password = password.map(|p| SecretString::from(p.to_owned()));
        self.server
            .client()
            .reveal_bytes(&links, password.as_ref())
            .await
            .map(|(_, bytes)| String::from_utf8(bytes.to_vec()).expect("utf8"))
            .map_err(|e| e.to_string())
    }
}

fn in_days(days: i64) -> String {
    let date = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).expect("date")
}

fn assert_error(reply: &Reply, status: StatusCode) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert!(reply.body["MESSAGE"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// The Python example: lang, seecret, number_view; the page URL opens and reveals once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_example_creates_a_link_that_reveals_once() {
    let sc = Seecret::start();
    let reply = sc
        .call(&[
            ("operation", "create_seecret"),
            ("lang", "en"),
            ("seecret", "VPN password: s3cr3t!"),
            ("number_view", "1"),
        ])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["MESSAGE"], "Secret created successfully");
    let data = &reply.body["data"];
    let id = data["id"].as_str().expect("id");
    let url = data["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/_{id}#", sc.server.base)),
        "{url}"
    );
    assert!(data["url_short"].is_string());
    // Default expiry: +7 days, at 00:00 UTC of that day, in milliseconds.
    let date = time::OffsetDateTime::now_utc().date() + time::Duration::days(7);
    assert_eq!(
        data["expires_at"].as_i64().expect("ms"),
        date.midnight().assume_utc().unix_timestamp() * 1000
    );
    assert_eq!(
        sc.reveal(&[url], None).await.expect("reveal"),
        "VPN password: s3cr3t!"
    );
    assert!(sc.reveal(&[url], None).await.is_err(), "one view only");
}

/// The PHP example (every parameter it sends), then get_seecret, list_seecrets, the view log
/// after a consultation, the view-notification e-mail and the recipient e-mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_example_and_its_follow_ups() {
    let smtp = common::smtp::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let sc = Seecret::start_with(
        &[
            ("WISP_SMTP_URL", smtp_url.as_str()),
            ("WISP_TRUST_PROXY", "true"),
        ],
        "",
    );
    let expiration = in_days(7);
    let reply = sc
        .call(&[
            ("operation", "create_seecret"),
            ("lang", "en"),
            ("seecret", "SSH password: s3cr3t!"),
            ("expiration_date", expiration.as_str()),
            ("number_view", "1"),
            ("view_notification", "1"),
            ("note", "Production server access"),
            ("recipient_email", "client@example.com"),
        ])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let url = reply.body["data"]["url"].as_str().expect("url").to_owned();
    // The recipient got the link.
    let mail = smtp.messages(1).await;
    assert!(mail
        .iter()
        .any(|m| m.contains("client@example.com") && m.contains(&format!("/_{id}#"))));

    // get_seecret: the documented fields and types, plus the note (creator only).
    let got = sc.call(&[("operation", "get_seecret"), ("id", &id)]).await;
    assert_eq!(got.status, StatusCode::OK);
    let d = &got.body["data"];
    assert_eq!(d["id"], id.as_str());
    assert_eq!(d["status"], "pending");
    assert_eq!(d["url"], url.as_str());
    assert_eq!(d["expiration_date"], expiration.as_str());
    assert_eq!(d["views_count"], 0);
    assert_eq!(d["views_max"], 1);
    assert_eq!(d["has_password"], false);
    assert_eq!(d["note"], "Production server access");
    assert_eq!(d["lang"], "en");
    assert!(d["view_log"].as_array().is_some_and(Vec::is_empty));

    // A consultation from France, through the page's own API.
    let link = sc.link(&url).await;
    reveal_from(&sc, &link, Some("FR")).await.expect("reveal");
    let got = sc.call(&[("operation", "get_seecret"), ("id", &id)]).await;
    let d = &got.body["data"];
    assert_eq!(d["status"], "viewed");
    assert_eq!(d["views_count"], 1);
    let log = d["view_log"].as_array().expect("view log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["country"], "FR");
    assert!(log[0]["date"].as_str().is_some_and(|s| s.len() == 19));
    // No key in the URL once it can no longer be opened.
    assert!(!d["url"].as_str().expect("url").contains('#'));
    // The account was told, without a link.
    let mail = smtp.messages(2).await;
    assert!(mail
        .iter()
        .any(|m| m.contains(ACCOUNT) && m.contains("was viewed")));

    // list_seecrets: {total, page, limit, secrets}.
    let listed = sc.call(&[("operation", "list_seecrets")]).await;
    assert_eq!(listed.status, StatusCode::OK);
    let d = &listed.body["data"];
    assert_eq!(d["total"], 1);
    assert_eq!(d["page"], 1);
    assert_eq!(d["limit"], 20);
    assert_eq!(d["secrets"][0]["id"], id.as_str());
}

/// Reveals through Wisp's own reveal endpoint (what the page does), as if from `country`.
async fn reveal_from(sc: &Seecret, link: &Link, country: Option<&str>) -> Result<(), Value> {
    reveal_with(sc, link, country, None).await
}

/// Reveals with a `CF-IPCountry` and/or an `X-Forwarded-For` address.
async fn reveal_with(
    sc: &Seecret,
    link: &Link,
    country: Option<&str>,
    address: Option<&str>,
) -> Result<(), Value> {
    let id = link.secret_id().as_str();
    let status: Value = sc
        .http
        .get(format!("{}/api/v1/secrets/{id}", sc.server.base))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    let header =
        wisp_crypto::PayloadHeader::from_base64url(status["header"].as_str().expect("header"))
            .expect("header");
    let wisp_crypto::LinkSecret::Key(key) = link.secret() else {
        panic!("whole key expected")
    };
    let opener = wisp_crypto::Opener::new(key, None, &header).expect("opener");
    let mut request = sc
        .http
        .post(format!("{}/api/v1/secrets/{id}/reveal", sc.server.base))
        .header(
            wisp_api::HEADER_REVEAL_PROOF,
            opener.reveal_proof().to_base64url(),
        );
    if let Some(c) = country {
        request = request.header("cf-ipcountry", c);
    }
    if let Some(a) = address {
        request = request.header("x-forwarded-for", a);
    }
    let response = request.send().await.expect("reveal");
    if response.status().is_success() {
        Ok(())
    } else {
        Err(response.json().await.expect("json"))
    }
}

/// update_seecret example: new content under the same URL, with the `cle`; only before the
/// first view; a wrong `cle` is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_example_re_encrypts_under_the_same_link() {
    let sc = Seecret::start();
    let created = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "old"),
            ("password", "pw1"),
        ])
        .await;
    let id = created.body["data"]["id"].as_str().expect("id").to_owned();
    let url = created.body["data"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let cle = url.split_once('#').expect("fragment").1.to_owned();
    // Changing the content of a protected secret needs the password again.
    let no_password = sc
        .call(&[
            ("operation", "update_seecret"),
            ("id", &id),
            ("cle", &cle),
            ("seecret", "x"),
        ])
        .await;
    assert_error(&no_password, StatusCode::BAD_REQUEST);
    let wrong = sc
        .call(&[
            ("operation", "update_seecret"),
            ("id", &id),
            ("cle", "AQ"),
            ("seecret", "x"),
            ("delete_password", "1"),
        ])
        .await;
    assert_error(&wrong, StatusCode::FORBIDDEN);
    // The documented example (plus delete_password, since this one had a password).
    let updated = sc
        .call(&[
            ("operation", "update_seecret"),
            ("id", &id),
            ("cle", &cle),
            ("lang", "fr"),
            ("seecret", "New password: N3wPwd!"),
            ("delete_password", "1"),
            ("number_view", "2"),
            ("expiration_date", &in_days(30)),
        ])
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["MESSAGE"], "Secret updated successfully");
    let d = &updated.body["data"];
    assert_eq!(d["has_password"], false);
    assert_eq!(d["views_max"], 2);
    assert_eq!(d["lang"], "fr");
    assert_eq!(d["expiration_date"], in_days(30).as_str());
    assert_eq!(
        sc.reveal(&[&url], None).await.expect("reveal"),
        "New password: N3wPwd!"
    );
    // Viewed: no longer modifiable.
    let updated = sc
        .call(&[
            ("operation", "update_seecret"),
            ("id", &id),
            ("number_view", "3"),
        ])
        .await;
    assert_error(&updated, StatusCode::FORBIDDEN);
    let created = sc
        .call(&[("operation", "create_seecret"), ("seecret", "a")])
        .await;
    let id = created.body["data"]["id"].as_str().expect("id").to_owned();
    let url = created.body["data"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let cle = url.split_once('#').expect("fragment").1.to_owned();
    let updated = sc
        .call(&[
            ("operation", "update_seecret"),
            ("id", &id),
            ("cle", &cle),
            ("seecret", "b"),
            ("password", "pw2"),
        ])
        .await;
    assert_eq!(updated.body["data"]["has_password"], true);
    assert!(sc.reveal(&[&url], Some("wrong")).await.is_err());
    assert_eq!(sc.reveal(&[&url], Some("pw2")).await.expect("reveal"), "b");
}

/// delete_seecret and get_account examples.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_and_account_examples() {
    let sc = Seecret::start();
    let a = sc
        .call(&[("operation", "create_seecret"), ("seecret", "one")])
        .await;
    sc.call(&[("operation", "create_seecret"), ("seecret", "two")])
        .await;
    let id = a.body["data"]["id"].as_str().expect("id").to_owned();
    let url = a.body["data"]["url"].as_str().expect("url").to_owned();
    let deleted = sc
        .call(&[("operation", "delete_seecret"), ("id", &id)])
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body["MESSAGE"], "Secret deleted successfully");
    assert!(sc.reveal(&[&url], None).await.is_err());
    let got = sc.call(&[("operation", "get_seecret"), ("id", &id)]).await;
    assert_eq!(got.body["data"]["status"], "deleted");
    // Deleting again is fine (it is revoked either way).
    assert_eq!(
        sc.call(&[("operation", "delete_seecret"), ("id", &id)])
            .await
            .status,
        StatusCode::OK
    );

    let account = sc.call(&[("operation", "get_account")]).await;
    assert_eq!(account.status, StatusCode::OK);
    let d = &account.body["data"];
    assert_eq!(d["email"], ACCOUNT);
    assert_eq!(d["subscription_active"], true);
    assert_eq!(d["api_token"], sc.token.as_str());
    assert_eq!(d["stats"]["total"], 2);
    assert_eq!(d["stats"]["pending"], 1);
    assert_eq!(d["stats"]["viewed"], 0);
}

/// list_seecrets: pages, status filter, text search over notes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_filters_and_searches() {
    let sc = Seecret::start();
    let mut ids = Vec::new();
    for i in 0..5 {
        let note = format!("note {i} {}", if i % 2 == 0 { "even" } else { "odd" });
        let r = sc
            .call(&[
                ("operation", "create_seecret"),
                ("seecret", "x"),
                ("note", &note),
            ])
            .await;
        ids.push(r.body["data"]["id"].as_str().expect("id").to_owned());
    }
    sc.call(&[("operation", "delete_seecret"), ("id", &ids[0])])
        .await;
    let page = sc
        .call(&[
            ("operation", "list_seecrets"),
            ("page", "2"),
            ("limit", "2"),
        ])
        .await;
    assert_eq!(page.body["data"]["total"], 5);
    assert_eq!(page.body["data"]["page"], 2);
    assert_eq!(page.body["data"]["limit"], 2);
    assert_eq!(
        page.body["data"]["secrets"].as_array().expect("list").len(),
        2
    );
    let pending = sc
        .call(&[("operation", "list_seecrets"), ("status", "pending")])
        .await;
    assert_eq!(pending.body["data"]["total"], 4);
    let deleted = sc
        .call(&[("operation", "list_seecrets"), ("status", "deleted")])
        .await;
    assert_eq!(deleted.body["data"]["secrets"][0]["id"], ids[0].as_str());
    let even = sc
        .call(&[("operation", "list_seecrets"), ("search", "EVEN")])
        .await;
    assert_eq!(even.body["data"]["total"], 3);
    // Another account sees none of them.
    let other = sc.server.token("other@example.com");
    let theirs = sc.call_as(&other, &[("operation", "list_seecrets")]).await;
    assert_eq!(theirs.body["data"]["total"], 0);
    let peek = sc
        .call_as(&other, &[("operation", "get_seecret"), ("id", &ids[1])])
        .await;
    assert_error(&peek, StatusCode::BAD_REQUEST);
    let delete = sc
        .call_as(&other, &[("operation", "delete_seecret"), ("id", &ids[1])])
        .await;
    assert_error(&delete, StatusCode::BAD_REQUEST);
}

/// split_link / split_link_required: N links, any K open it, fewer do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_links() {
    let sc = Seecret::start();
    let r = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "split me"),
            ("split_link", "3"),
            ("split_link_required", "2"),
            ("number_view", "2"),
        ])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let urls: Vec<String> = r.body["data"]["urls"]
        .as_array()
        .expect("urls")
        .iter()
        .map(|u| u.as_str().expect("url").to_owned())
        .collect();
    assert_eq!(urls.len(), 3);
    assert_eq!(r.body["data"]["url"], urls[0].as_str());
    let id = r.body["data"]["id"].as_str().expect("id");
    assert!(urls
        .iter()
        .all(|u| u.starts_with(&format!("{}/s/{id}#", sc.server.base))));
    assert!(
        sc.reveal(&[&urls[0]], None).await.is_err(),
        "one part is not enough"
    );
    assert_eq!(
        sc.reveal(&[&urls[0], &urls[2]], None)
            .await
            .expect("2 of 3"),
        "split me"
    );
    let got = sc.call(&[("operation", "get_seecret"), ("id", id)]).await;
    assert_eq!(got.body["data"]["split_link"], 3);
    assert_eq!(got.body["data"]["split_link_required"], 2);
    // No single copy of the key exists: the URL has no fragment.
    assert!(!got.body["data"]["url"].as_str().expect("url").contains('#'));
}

/// country_block[]: visitors from a blocked country (per the trusted proxy's CF-IPCountry)
/// cannot open it, and no view is spent; others can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn country_block() {
    let sc = Seecret::start_with(&[("WISP_TRUST_PROXY", "true")], "");
    let r = sc
        .send(
            sc.http
                .post(format!("{}/api", sc.server.base))
                .bearer_auth(&sc.token)
                .body("operation=create_seecret&seecret=geo&country_block%5B%5D=fr&country_block%5B%5D=RU")
                .header("content-type", "application/x-www-form-urlencoded"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["data"]["id"].as_str().expect("id").to_owned();
    let link = sc.link(r.body["data"]["url"].as_str().expect("url")).await;
    let refused = reveal_from(&sc, &link, Some("FR"))
        .await
        .expect_err("blocked");
    assert_eq!(refused["code"], "not_allowed", "{refused}");
    // Without the link's key, a visitor learns nothing about the block: a wrong proof from
    // a blocked country is answered as for an unknown id (format v2).
    let id_only = link.secret_id().as_str().to_owned();
    let probe: Value = sc
        .http
        .post(format!(
            "{}/api/v1/secrets/{id_only}/reveal",
            sc.server.base
        ))
        .header(wisp_api::HEADER_REVEAL_PROOF, "A".repeat(43))
        .header("cf-ipcountry", "FR")
        .send()
        .await
        .expect("probe")
        .json()
        .await
        .expect("json");
    assert_eq!(probe["code"], "secret_unavailable", "{probe}");
    let got = sc.call(&[("operation", "get_seecret"), ("id", &id)]).await;
    assert_eq!(got.body["data"]["views_count"], 0);
    assert_eq!(
        got.body["data"]["country_block"],
        serde_json::json!(["FR", "RU"])
    );
    reveal_from(&sc, &link, Some("DE")).await.expect("allowed");
    let bad = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("country_block[]", "France"),
        ])
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST);
}

/// Without a country header, a MaxMind-format database (`country_db`) gives the country:
/// for country blocks and the view log. The database is GeoLite2-shaped (IPv6 tree, IPv4
/// under `::/96`), written by mmdb-writer (`tests/geo.rs` says more).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn country_block_from_a_country_database() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/geo/country-v6-24.mmdb"
    );
    let parsed = wisp_server::geo::CountryDb::open(path.as_ref()).expect("db");
    assert_eq!(
        parsed
            .country("203.0.113.9".parse().expect("ip"))
            .as_deref(),
        Some("FR")
    );
    assert_eq!(
        parsed
            .country("198.51.100.1".parse().expect("ip"))
            .as_deref(),
        Some("DE")
    );
    assert_eq!(parsed.country("192.0.2.1".parse().expect("ip")), None);
    assert_eq!(
        parsed
            .country("::ffff:203.0.113.9".parse().expect("ip"))
            .as_deref(),
        Some("FR")
    );
    let sc = Seecret::start_with(
        &[("WISP_TRUST_PROXY", "true"), ("WISP_COUNTRY_DB", path)],
        "",
    );
    let r = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "geo"),
            ("country_block[]", "FR"),
        ])
        .await;
    let id = r.body["data"]["id"].as_str().expect("id").to_owned();
    let link = sc.link(r.body["data"]["url"].as_str().expect("url")).await;
    let refused = reveal_with(&sc, &link, None, Some("203.0.113.7"))
        .await
        .expect_err("blocked by the database");
    assert_eq!(refused["code"], "not_allowed");
    reveal_with(&sc, &link, None, Some("198.51.100.9"))
        .await
        .expect("allowed");
    let got = sc.call(&[("operation", "get_seecret"), ("id", &id)]).await;
    assert_eq!(got.body["data"]["view_log"][0]["country"], "DE");
}

/// Webhooks on consultation: the server's signed webhook fires for each view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_on_consultation() {
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Value)>();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let tx = tx.clone();
            async move {
                let signature = headers
                    .get("wisp-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let _ = tx.send((signature, serde_json::from_slice(&body).unwrap_or_default()));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let toml = format!("[compat]\nseecret_webhook_url = \"{hook}\"\n");
    let sc = Seecret::start_with(&[], &toml);
    let r = sc
        .call(&[("operation", "create_seecret"), ("seecret", "hooked")])
        .await;
    let id = r.body["data"]["id"].as_str().expect("id").to_owned();
    sc.reveal(&[r.body["data"]["url"].as_str().expect("url")], None)
        .await
        .expect("reveal");
    let (signature, event) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("webhook in time")
        .expect("webhook");
    assert!(
        signature.starts_with("t=") && signature.contains(",v1="),
        "{signature}"
    );
    assert_eq!(event["event"], "secret.viewed");
    assert_eq!(event["id"], id.as_str());
}

/// Bad input: token, operation, fields, types, ranges, state; always `{CODE, MESSAGE}`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input() {
    let sc = Seecret::start();
    // No token, a wrong one, another scheme.
    let none = sc
        .send(
            sc.http
                .post(format!("{}/api", sc.server.base))
                .form(&[("operation", "get_account")]),
        )
        .await;
    assert_error(&none, StatusCode::UNAUTHORIZED);
    assert_error(
        &sc.call_as("wisp_wrong", &[("operation", "get_account")])
            .await,
        StatusCode::UNAUTHORIZED,
    );
    let basic = sc
        .send(
            sc.http
                .post(format!("{}/api", sc.server.base))
                .basic_auth("u", Some(&sc.token))
                .form(&[("operation", "get_account")]),
        )
        .await;
    assert_error(&basic, StatusCode::UNAUTHORIZED);
    // Operation.
    assert_error(&sc.call(&[]).await, StatusCode::BAD_REQUEST);
    assert_error(
        &sc.call(&[("operation", "steal_seecret")]).await,
        StatusCode::BAD_REQUEST,
    );
    // Fields of create_seecret.
    let past = in_days(-1);
    let far = in_days(61);
    let today = in_days(0);
    for form in [
        vec![("operation", "create_seecret")],
        vec![("operation", "create_seecret"), ("seecret", "")],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("lang", "de"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("expiration_date", "01/06/2026"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("expiration_date", past.as_str()),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("expiration_date", today.as_str()),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("expiration_date", far.as_str()),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("number_view", "abc"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("number_view", "0"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("view_notification", "2"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("view_notification", "1"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("recipient_email", "nope"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("domain", "not a domain"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("split_link", "11"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("split_link", "3"),
            ("split_link_required", "4"),
        ],
        vec![
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("split_link", "3"),
            ("split_link_required", "1"),
        ],
    ] {
        let reply = sc.call(&form).await;
        assert_error(&reply, StatusCode::BAD_REQUEST);
    }
    // Ids.
    assert_error(
        &sc.call(&[("operation", "get_seecret")]).await,
        StatusCode::BAD_REQUEST,
    );
    assert_error(
        &sc.call(&[("operation", "get_seecret"), ("id", "aB3kZ9")])
            .await,
        StatusCode::BAD_REQUEST,
    );
    // list parameters.
    assert_error(
        &sc.call(&[("operation", "list_seecrets"), ("page", "0")])
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert_error(
        &sc.call(&[("operation", "list_seecrets"), ("status", "lost")])
            .await,
        StatusCode::BAD_REQUEST,
    );
    // Other methods on /api.
    let get = sc
        .send(sc.http.get(format!("{}/api", sc.server.base)))
        .await;
    assert_error(&get, StatusCode::BAD_REQUEST);
}

/// Custom domain: the URL is branded with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_brands_the_url() {
    let sc = Seecret::start();
    let r = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "x"),
            ("domain", "Secrets.Example.com"),
        ])
        .await;
    let id = r.body["data"]["id"].as_str().expect("id");
    let url = r.body["data"]["url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("https://secrets.example.com/_{id}#")),
        "{url}"
    );
}

/// At rest: no plaintext, password, note or key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_readable_on_disk() {
    let sc = Seecret::start();
    let r = sc
        .call(&[
            ("operation", "create_seecret"),
            ("seecret", "SC-PLAINTEXT-MARKER-91ab"),
            ("password", "SC-PASSWORD-MARKER-77"),
            ("note", "SC-NOTE-MARKER-33"),
        ])
        .await;
    let url = r.body["data"]["url"].as_str().expect("url");
    let fragment = url.split_once('#').expect("fragment").1.to_owned();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for needle in [
        "SC-PLAINTEXT-MARKER-91ab",
        "SC-PASSWORD-MARKER-77",
        "SC-NOTE-MARKER-33",
        fragment.as_str(),
        sc.token.as_str(),
    ] {
        assert!(
            !data_contains(&sc.server, needle.as_bytes()),
            "{needle} on disk"
        );
    }
}

/// The layer can be switched off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layer_can_be_switched_off() {
    let server = Server::start_with(&[("WISP_COMPAT", "onetime")], "");
    let response = http()
        .post(format!("{}/api", server.base))
        .form(&[("operation", "get_account")])
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    // Wisp's own shape ("/api" is then just a path Wisp serves pages on, for GET only).
    assert!(
        body["code"].is_string() && body.get("CODE").is_none(),
        "{body}"
    );
}

/// A huge `page` is an empty page, not an overflow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_page_numbers_are_empty_pages() {
    let sc = Seecret::start();
    sc.call(&[("operation", "create_seecret"), ("seecret", "one")])
        .await;
    let page = i64::MAX.to_string();
    let r = sc
        .call(&[
            ("operation", "list_seecrets"),
            ("page", &page),
            ("limit", "100"),
        ])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["data"]["total"], 1, "{}", r.body);
    assert_eq!(
        r.body["data"]["secrets"],
        serde_json::json!([]),
        "{}",
        r.body
    );
}
