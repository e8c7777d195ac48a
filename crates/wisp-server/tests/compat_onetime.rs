//! The Onetime Secret v1 layer against a real server process: every example request of the
//! service's two API documents (seeds 002 and 003), every documented attribute and its JSON
//! type, the behaviours docs/compat.md promises, and bad input in the service's own shape.
//!
//! Where the documents are silent or out of date (they show numbers as strings), the
//! expectations come from the live service's v1 code, public as onetimesecret/onetimesecret
//! (`apps/api/v1/`, frozen on the v0.23 contract): cited per test as "upstream FILE".

mod common;

use common::{assert_json, data_contains, http, Server};
use reqwest::StatusCode;
use serde_json::Value;

const USER: &str = "USERNAME";

struct Ots {
    server: Server,
    http: reqwest::Client,
    token: String,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Ots {
    fn start() -> Self {
        Self::start_with(&[], "")
    }

    fn start_with(env: &[(&str, &str)], toml: &str) -> Self {
        let server = Server::start_compat(env, toml);
        let token = server.token(USER);
        Ots {
            server,
            http: http(),
            token,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request");
        assert_json(&response);
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.json().await.expect("JSON body");
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `curl -X POST [-u USERNAME:APITOKEN] -H 'Content-Type: application/json' -d '{…}' URL`.
    async fn post_json(&self, path: &str, auth: bool, body: &Value) -> Reply {
        let mut request = self.http.post(self.url(path)).json(body);
        if auth {
            request = request.basic_auth(USER, Some(&self.token));
        }
        self.send(request).await
    }

    /// `curl -X POST [-u USERNAME:APITOKEN] -d 'a=b&…' URL`.
    async fn post(&self, path: &str, auth: bool, form: &[(&str, &str)]) -> Reply {
        let mut request = self.http.post(self.url(path)).form(form);
        if auth {
            request = request.basic_auth(USER, Some(&self.token));
        }
        self.send(request).await
    }

    /// `curl [-u USERNAME:APITOKEN] URL`.
    async fn get(&self, path: &str, auth: bool) -> Reply {
        let mut request = self.http.get(self.url(path));
        if auth {
            request = request.basic_auth(USER, Some(&self.token));
        }
        self.send(request).await
    }
}

fn is_key(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 31
            && s.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// A JSON integer, never a string: the live service sends `ttl`, `metadata_ttl`,
/// `secret_ttl`, `created`, `updated` and `received` as integers (upstream
/// `controllers/class_methods.rb`, `coerce_v1_types`; `spec/integration/
/// v1_response_contract_spec.rb`: `expect(body['ttl']).to be_a(Integer)`), and typed clients
/// fail to decode strings there.
fn is_int(v: &Value) -> bool {
    v.is_i64() && v.as_i64().is_some_and(|n| n >= 0)
}

fn num(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("integer expected, got {v}"))
}

/// Every attribute the documents list for share/generate/metadata, with its type.
fn assert_metadata(body: &Value, custid: &str, ttl: i64) {
    assert_eq!(body["custid"], custid, "{body}");
    assert!(is_key(&body["metadata_key"]), "{body}");
    assert!(is_key(&body["secret_key"]), "{body}");
    assert_eq!(body["ttl"], ttl, "{body}");
    assert!(is_int(&body["metadata_ttl"]), "{body}");
    assert!(is_int(&body["secret_ttl"]), "{body}");
    assert!(num(&body["secret_ttl"]) <= num(&body["ttl"]), "{body}");
    assert!(
        num(&body["metadata_ttl"]) >= num(&body["secret_ttl"]),
        "{body}"
    );
    assert!(body["recipient"].is_array(), "{body}");
    assert!(is_int(&body["created"]), "{body}");
    assert!(is_int(&body["updated"]), "{body}");
    assert!(body["passphrase_required"].is_boolean(), "{body}");
    assert!(body["share_domain"].is_string(), "{body}");
    assert_eq!(body["state"], "new", "{body}");
}

fn assert_error(reply: &Reply, message: &str) {
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert_eq!(reply.body["message"], message, "{}", reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_is_nominal_anonymous_or_authenticated() {
    let ots = Ots::start();
    for auth in [false, true] {
        let reply = ots.get("/status", auth).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["status"], "nominal");
        assert_eq!(reply.body["locale"], "en");
    }
}

/// Seed 002 and 003, "Create a Secret": the authenticated and the anonymous example.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_examples_return_every_documented_attribute() {
    let ots = Ots::start();
    // $ curl -X POST -u 'USERNAME:APITOKEN' -d 'secret=SECRET&ttl=NUMBER_IN_SECONDS' …/api/v1/share
    let reply = ots
        .post("/share", true, &[("secret", "SECRET"), ("ttl", "3600")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_metadata(&reply.body, USER, 3600);
    assert_eq!(reply.body["share_domain"], "");
    assert_eq!(reply.body["passphrase_required"], false);
    assert_eq!(reply.body["recipient"], serde_json::json!([]));
    assert_eq!(reply.body["created"], reply.body["updated"]);
    assert!(reply.headers.get("x-request-id").is_some());
    // No value on share: only generate shows one.
    assert!(reply.body.get("value").is_none());

    // $ curl -X POST -d 'secret=SECRET&ttl=3600' …/api/v1/share
    let reply = ots
        .post("/share", false, &[("secret", "SECRET"), ("ttl", "3600")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_metadata(&reply.body, "anon", 3600);

    // `create` is the service's other name for share.
    let reply = ots.post("/create", true, &[("secret", "x")]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_metadata(&reply.body, USER, 604_800);
}

/// "Generate a Secret": authenticated and anonymous examples, `value` shown once here and
/// retrievable once through the secret key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_examples_show_the_value_and_store_it() {
    let ots = Ots::start();
    for (auth, custid) in [(true, USER), (false, "anon")] {
        let reply = ots.post("/generate", auth, &[("ttl", "3600")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_metadata(&reply.body, custid, 3600);
        let value = reply.body["value"].as_str().expect("value").to_owned();
        assert_eq!(value.chars().count(), 12);
        let key = reply.body["secret_key"].as_str().expect("key");
        let shown = ots.post(&format!("/secret/{key}"), auth, &[]).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.body["value"], value.as_str());
    }
    // With a passphrase (seed 003 lists it for generate).
    let reply = ots
        .post("/generate", true, &[("passphrase", "pw"), ("ttl", "600")])
        .await;
    assert_eq!(reply.body["passphrase_required"], true);
}

/// "Retrieve a Secret": `value` and `secret_key`, exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_is_shown_once() {
    let ots = Ots::start();
    let created = ots
        .post(
            "/share",
            true,
            &[("secret", "s3cr3t ünïcode ✓"), ("ttl", "3600")],
        )
        .await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    // $ curl -X POST -u 'USERNAME:APITOKEN' …/api/v1/secret/SECRET_KEY
    let reply = ots.post(&format!("/secret/{key}"), true, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["value"], "s3cr3t ünïcode ✓");
    assert_eq!(reply.body["secret_key"], key.as_str());
    assert_eq!(reply.headers["cache-control"], "no-store");
    let again = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_error(&again, "Unknown secret");
    assert_eq!(again.body["secret_key"], key.as_str());
}

/// The passphrase gate: missing or wrong answers like an unknown secret and spends nothing;
/// the right one reveals. Enough wrong ones burn the secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrase_gates_without_spending_the_view() {
    let ots = Ots::start_with(&[], "[limits]\nwrong_proof_limit = 3\n");
    let created = ots
        .post(
            "/share",
            false,
            &[("secret", "behind a door"), ("passphrase", "open sesame")],
        )
        .await;
    assert_eq!(created.body["passphrase_required"], true);
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let path = format!("/secret/{key}");
    assert_error(&ots.post(&path, false, &[]).await, "Unknown secret");
    assert_error(
        &ots.post(&path, false, &[("passphrase", "wrong")]).await,
        "Unknown secret",
    );
    let reply = ots
        .post(&path, false, &[("passphrase", "open sesame")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["value"], "behind a door");

    // Three wrong passphrases (the configured limit) burn it.
    let created = ots
        .post("/share", false, &[("secret", "x"), ("passphrase", "right")])
        .await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let metadata_key = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    for _ in 0..3 {
        let wrong = ots
            .post(&format!("/secret/{key}"), false, &[("passphrase", "nope")])
            .await;
        assert_error(&wrong, "Unknown secret");
    }
    let right = ots
        .post(&format!("/secret/{key}"), false, &[("passphrase", "right")])
        .await;
    assert_error(&right, "Unknown secret");
    let meta = ots.get(&format!("/private/{metadata_key}"), false).await;
    assert_eq!(meta.body["state"], "burned");
}

/// "Retrieve Metadata" (GET and POST, `private/` and `metadata/`), before and after the
/// secret is received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_shows_state_and_received() {
    let ots = Ots::start();
    let created = ots
        .post("/share", true, &[("secret", "SECRET"), ("ttl", "7200")])
        .await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();

    // $ curl -X POST -u 'USERNAME:APITOKEN' …/api/v1/private/METADATA_KEY
    let reply = ots.post(&format!("/private/{mkey}"), true, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_metadata(&reply.body, USER, 7200);
    assert_eq!(reply.body["metadata_key"], mkey.as_str());
    assert_eq!(reply.body["secret_key"], key.as_str());
    assert!(reply.body.get("received").is_none());
    assert!(reply.body.get("value").is_none());
    for path in [format!("/private/{mkey}"), format!("/metadata/{mkey}")] {
        let reply = ots.get(&path, false).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body["secret_key"], key.as_str());
    }

    assert_eq!(
        ots.post(&format!("/secret/{key}"), false, &[]).await.status,
        StatusCode::OK
    );
    let reply = ots.post(&format!("/private/{mkey}"), true, &[]).await;
    assert_eq!(reply.body["state"], "received", "{}", reply.body);
    assert!(is_int(&reply.body["received"]), "{}", reply.body);
    assert!(num(&reply.body["received"]) >= num(&reply.body["created"]));
    assert!(reply.body.get("secret_key").is_none());
    assert!(reply.body.get("secret_ttl").is_none());
    assert_eq!(reply.body["passphrase_required"], false);
}

/// An unknown metadata key, on `private/KEY` (GET or POST, and its `metadata/` alias) and
/// on `private/KEY/burn`: the service's `404 {"message":"Unknown secret","secret_key":KEY}`,
/// not a message of its own. Upstream: `logic/secrets/show_receipt.rb` and `burn_secret.rb`
/// raise `OT::MissingSecret` for a missing metadata record, which `controllers/helpers.rb`
/// (`carefully`) answers with `secret_not_found_response` from `controllers/base.rb`:
/// `not_found_response "Unknown secret", :secret_key => req.params[:key]` (status 404).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_metadata_key_is_an_unknown_secret() {
    let ots = Ots::start();
    let key = "doesnotexist0000000000000000000";
    for auth in [true, false] {
        for reply in [
            ots.post(&format!("/private/{key}"), auth, &[]).await,
            ots.get(&format!("/private/{key}"), auth).await,
            ots.get(&format!("/metadata/{key}"), auth).await,
            ots.post(&format!("/private/{key}/burn"), auth, &[]).await,
        ] {
            assert_error(&reply, "Unknown secret");
            assert_eq!(reply.body["secret_key"], key, "{}", reply.body);
            assert_eq!(
                reply.body.as_object().map(|o| o.len()),
                Some(2),
                "{}",
                reply.body
            );
        }
    }
}

/// "Burn a secret": the metadata attributes with state `burned` (seed 003), nested under
/// `state` next to `secret_shortkey`, as the live service answers (upstream
/// `controllers/index.rb`, `burn_secret`: `json :state => receipt_hsh(…),
/// :secret_shortkey => …`; `v1_response_contract_spec.rb`: `body['state']` is a Hash and
/// `body['secret_shortkey']` a String). Inside, `receipt_hsh` without options: no
/// `passphrase_required`; `secret_ttl` 0 (nil through `coerce_v1_types`); `secret_key` ""
/// (`models/metadata.rb`, `burned!` clears it). Only an unread secret burns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burn_burns_an_unread_secret() {
    let ots = Ots::start();
    let created = ots.post("/share", true, &[("secret", "SECRET")]).await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    // $ curl -X POST -u 'USERNAME:APITOKEN' …/api/v1/private/METADATA_KEY/burn
    let reply = ots.post(&format!("/private/{mkey}/burn"), true, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let top = reply.body.as_object().expect("object");
    let mut names: Vec<&str> = top.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["secret_shortkey", "state"], "{}", reply.body);
    let state = &reply.body["state"];
    assert!(state.is_object(), "{}", reply.body);
    assert_eq!(state["state"], "burned");
    assert_eq!(state["custid"], USER);
    assert_eq!(state["metadata_key"], mkey.as_str());
    assert_eq!(state["secret_key"], "");
    assert_eq!(state["ttl"], 604_800);
    assert_eq!(state["secret_ttl"], 0);
    assert!(is_int(&state["metadata_ttl"]), "{state}");
    assert!(is_int(&state["created"]), "{state}");
    assert!(is_int(&state["updated"]), "{state}");
    assert!(num(&state["updated"]) >= num(&state["created"]));
    assert_eq!(state["recipient"], serde_json::json!([]));
    assert_eq!(state["share_domain"], "");
    assert!(state.get("passphrase_required").is_none(), "{state}");
    assert!(state.get("received").is_none(), "{state}");
    // The first 8 characters (v0.24; v0.23 showed 6).
    let short = reply.body["secret_shortkey"].as_str().expect("shortkey");
    assert_eq!(short.len(), 8);
    assert!(key.starts_with(short));
    // The metadata says burned too, with the secret key cleared.
    let meta = ots.get(&format!("/private/{mkey}"), true).await;
    assert_eq!(meta.body["state"], "burned", "{}", meta.body);
    assert_eq!(meta.body["secret_key"], "", "{}", meta.body);
    assert_error(
        &ots.post(&format!("/secret/{key}"), false, &[]).await,
        "Unknown secret",
    );
    // Burning twice, or a received secret: unknown secret.
    assert_error(
        &ots.post(&format!("/private/{mkey}/burn"), true, &[]).await,
        "Unknown secret",
    );
    let created = ots.post("/share", false, &[("secret", "read me")]).await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_error(
        &ots.post(&format!("/private/{mkey}/burn"), false, &[]).await,
        "Unknown secret",
    );
}

/// A secret with a passphrase burns only with it: missing or wrong is `404 {"message":
/// "Incorrect passphrase"}` and leaves the secret readable; the right one burns it.
/// Upstream `logic/secrets/burn_secret.rb`: `correct_passphrase = !has_passphrase? ||
/// passphrase?(passphrase)`; when not correct, `raise_form_error` with the locale's
/// `error_passphrase` or `'Incorrect passphrase'`, answered by `carefully` as
/// `error_response` (status 404, `{"message"}`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burn_needs_the_passphrase_of_a_protected_secret() {
    let ots = Ots::start();
    let created = ots
        .post(
            "/share",
            true,
            &[("secret", "guarded"), ("passphrase", "open sesame")],
        )
        .await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    let burn = format!("/private/{mkey}/burn");
    for form in [
        vec![],
        vec![("passphrase", "")],
        vec![("passphrase", "wrong")],
    ] {
        let reply = ots.post(&burn, true, &form).await;
        assert_error(&reply, "Incorrect passphrase");
        assert_eq!(
            reply.body.as_object().map(|o| o.len()),
            Some(1),
            "{}",
            reply.body
        );
    }
    let meta = ots.get(&format!("/private/{mkey}"), true).await;
    assert_eq!(meta.body["state"], "new", "{}", meta.body);
    let reply = ots
        .post(&burn, true, &[("passphrase", "open sesame")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["state"]["state"], "burned", "{}", reply.body);
    let gone = ots
        .post(
            &format!("/secret/{key}"),
            false,
            &[("passphrase", "open sesame")],
        )
        .await;
    assert_error(&gone, "Unknown secret");
}

/// "Retrieve Recent Metadata": the account's secrets, newest first, secret keys null;
/// credentials required.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recent_lists_the_accounts_metadata() {
    let ots = Ots::start();
    let first = ots.post("/share", true, &[("secret", "one")]).await;
    let second = ots
        .post("/share", true, &[("secret", "two"), ("passphrase", "p")])
        .await;
    ots.post("/share", false, &[("secret", "anonymous")]).await;
    // $ curl -u 'USERNAME:APITOKEN' …/api/v1/private/recent
    let reply = ots.get("/private/recent", true).await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = reply.body.as_array().expect("array");
    assert_eq!(list.len(), 2, "{}", reply.body);
    let keys: Vec<&Value> = list.iter().map(|m| &m["metadata_key"]).collect();
    assert!(keys.contains(&&first.body["metadata_key"]));
    assert!(keys.contains(&&second.body["metadata_key"]));
    for item in list {
        assert_eq!(item["custid"], USER);
        assert!(item["secret_key"].is_null(), "{item}");
        assert!(item.as_object().expect("object").contains_key("secret_key"));
        assert!(is_int(&item["ttl"]), "{item}");
        assert!(is_int(&item["metadata_ttl"]), "{item}");
        assert!(is_int(&item["created"]), "{item}");
        assert!(is_int(&item["updated"]), "{item}");
        assert!(item["recipient"].is_array());
        assert!(item["state"].is_string());
    }
    let alias = ots.get("/metadata/recent", true).await;
    assert_eq!(alias.body, reply.body);
    // The metadata keys it lists are the real ones.
    let listed = list[0]["metadata_key"].as_str().expect("key");
    assert_eq!(
        ots.get(&format!("/private/{listed}"), true).await.status,
        StatusCode::OK
    );
    assert_error(&ots.get("/private/recent", false).await, "Not authorized");
}

/// `ttl`: absent is 7 days; anything given is read with Ruby's `to_i` and clamped to
/// 60 s .. 30 days (without an account, Wisp's anonymous maximum of 7 days), so zero, negative or unparsable values give the 60 s minimum (the safe
/// direction), never a long TTL. Upstream `logic/secrets/base_secret_action.rb`,
/// `process_ttl` (`V1_MIN_TTL = 60`, `V1_MAX_TTL = 2_592_000`, `ttl.to_i` then
/// `ttl.clamp(min_ttl, effective_max_ttl)`), and `spec/logic/secrets/
/// v1_validation_boundaries_spec.rb` ("clamps ttl=0 up to V1_MIN_TTL", "clamps ttl below
/// V1_MIN_TTL up to 60").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ttl_defaults_and_clamps() {
    let ots = Ots::start();
    for (given, expected) in [
        (None, 604_800),
        (Some("abc"), 60),
        (Some(""), 60),
        (Some("0"), 60),
        (Some("-5"), 60),
        (Some("-604800"), 60),
        (Some("1"), 60),
        (Some("5"), 60),
        (Some("60"), 60),
        (Some("90"), 90),
        (Some("3600.9"), 3600),
        (Some("2592000"), 2_592_000),
        (Some("2678400"), 2_592_000),
        (Some("999999999"), 2_592_000),
        (Some("99999999999999999999999"), 2_592_000),
    ] {
        for (generate, account) in [(false, true), (true, true), (false, false)] {
            let mut form = vec![];
            if !generate {
                form.push(("secret", "x"));
            }
            if let Some(t) = given {
                form.push(("ttl", t));
            }
            // Without an account Wisp's `limits.anonymous_max_ttl` (7 days by default) caps
            // it, as it caps every anonymous secret on the server.
            let expected = if account {
                expected
            } else {
                expected.min(604_800)
            };
            let path = if generate { "/generate" } else { "/share" };
            let reply = ots.post(path, account, &form).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            assert_eq!(
                reply.body["ttl"], expected,
                "{path} ttl={given:?} account={account}"
            );
            assert!(num(&reply.body["secret_ttl"]) <= expected);
            assert!(num(&reply.body["secret_ttl"]) >= expected - 5);
        }
    }
}

/// The server's own `limits.min_ttl` is a floor too: a small, zero or unparsable `ttl` is
/// never below it (nor above `limits.max_ttl`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ttl_never_goes_below_the_servers_minimum() {
    let ots = Ots::start_with(
        &[],
        "[limits]\nmin_ttl = 300\nmax_ttl = 7200\ndefault_ttl = 3600\n",
    );
    for (given, expected) in [
        (None, 7200),
        (Some("0"), 300),
        (Some("nope"), 300),
        (Some("-1"), 300),
        (Some("120"), 300),
        (Some("600"), 600),
        (Some("86400"), 7200),
    ] {
        let mut form = vec![("secret", "x")];
        if let Some(t) = given {
            form.push(("ttl", t));
        }
        let reply = ots.post("/share", true, &form).await;
        assert_eq!(reply.body["ttl"], expected, "ttl={given:?}: {}", reply.body);
    }
}

/// `generate` honours `length`: absent is 12 characters, up to 128 as asked; over 128 is
/// refused before anything is generated. Upstream `logic/secrets/generate_secret.rb`
/// (`length = payload['length']&.to_i || … || 12`; `max_length = (… || 128)`; above it
/// `raise_form_error "Generated password length must be no more than #{max_length}
/// characters"`, which `carefully` answers as `404 {"message"}`) and
/// `spec/logic/secrets/generate_secret_spec.rb` (exactly the ceiling succeeds; 50000000 is
/// refused). Zero or less fails on the service too (its generator raises on a length that
/// is not positive); Wisp refuses it with a message of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_honours_length() {
    let ots = Ots::start();
    for (given, expected) in [
        (None, 12),
        (Some("1"), 1),
        (Some("20"), 20),
        (Some("64"), 64),
        (Some("128"), 128),
        (Some(" 32"), 32),
    ] {
        let mut form = vec![("ttl", "600")];
        if let Some(l) = given {
            form.push(("length", l));
        }
        let reply = ots.post("/generate", true, &form).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let value = reply.body["value"].as_str().expect("value").to_owned();
        assert_eq!(value.chars().count(), expected, "length={given:?}");
        // Stored as shown: the secret key reveals the same value.
        let key = reply.body["secret_key"].as_str().expect("key");
        let shown = ots.post(&format!("/secret/{key}"), false, &[]).await;
        assert_eq!(shown.body["value"], value.as_str());
    }
    for too_long in ["129", "50000000", "99999999999999999999999"] {
        let reply = ots.post("/generate", false, &[("length", too_long)]).await;
        assert_error(
            &reply,
            "Generated password length must be no more than 128 characters",
        );
    }
    for not_positive in ["0", "-3", "abc", ""] {
        let reply = ots
            .post("/generate", false, &[("length", not_positive)])
            .await;
        assert_error(
            &reply,
            "Generated password length must be at least 1 character",
        );
    }
    // `length` means nothing to share: the secret is stored as given.
    let shared = ots
        .post("/share", false, &[("secret", "abc"), ("length", "200")])
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);
}

/// JSON request bodies, which the live service takes (`Rack::JSONBodyParser`; its
/// `COMPAT.md`: v0.23 took only form posts, v0.24 JSON too) with the form's names: share,
/// generate, reveal and burn, numbers as JSON numbers or strings, the query string merged
/// under the body (Rack's `params`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_bodies_are_accepted() {
    let ots = Ots::start();
    let reply = ots
        .post_json(
            "/share",
            true,
            &serde_json::json!({"secret": "from json ✓", "ttl": 3600, "passphrase": "pw"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_metadata(&reply.body, USER, 3600);
    assert_eq!(reply.body["passphrase_required"], true);
    let key = reply.body["secret_key"].as_str().expect("key").to_owned();
    let wrong = ots
        .post_json(
            &format!("/secret/{key}"),
            false,
            &serde_json::json!({"passphrase": "nope"}),
        )
        .await;
    assert_error(&wrong, "Unknown secret");
    let shown = ots
        .post_json(
            &format!("/secret/{key}"),
            false,
            &serde_json::json!({"passphrase": "pw"}),
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.body["value"], "from json ✓");

    // Numbers as strings, `null` as absent, names the layer does not know skipped.
    let reply = ots
        .post_json(
            "/share",
            false,
            &serde_json::json!({"secret": "s", "ttl": "7200", "passphrase": null,
                                "share_domain": null, "kind": {"x": [1, 2]}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_metadata(&reply.body, "anon", 7200);
    assert_eq!(reply.body["passphrase_required"], false);
    // The ttl rules hold for JSON numbers too.
    for (ttl, expected) in [
        (serde_json::json!(0), 60),
        (serde_json::json!(-5), 60),
        (serde_json::json!(90.7), 90),
        (serde_json::json!(null), 604_800),
    ] {
        let reply = ots
            .post_json(
                "/share",
                false,
                &serde_json::json!({"secret": "s", "ttl": ttl}),
            )
            .await;
        assert_eq!(reply.body["ttl"], expected, "ttl={ttl}: {}", reply.body);
    }
    // The body over the query string.
    let reply = ots
        .send(
            ots.http
                .post(ots.url("/share?ttl=120&secret=query"))
                .json(&serde_json::json!({"secret": "body"})),
        )
        .await;
    assert_eq!(reply.body["ttl"], 120, "{}", reply.body);
    let key = reply.body["secret_key"].as_str().expect("key");
    let shown = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_eq!(shown.body["value"], "body");

    // generate with a JSON `length`, burn with a JSON passphrase.
    let reply = ots
        .post_json(
            "/generate",
            true,
            &serde_json::json!({"length": 40, "passphrase": "pp"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["value"].as_str().map(str::len), Some(40));
    let mkey = reply.body["metadata_key"].as_str().expect("key").to_owned();
    let burned = ots
        .post_json(
            &format!("/private/{mkey}/burn"),
            true,
            &serde_json::json!({"passphrase": "pp"}),
        )
        .await;
    assert_eq!(burned.status, StatusCode::OK, "{}", burned.body);
    assert_eq!(burned.body["state"]["state"], "burned");

    // Nothing to share is still that, in JSON.
    assert_error(
        &ots.post_json("/share", true, &serde_json::json!({})).await,
        "You did not provide anything to share",
    );
    assert_error(
        &ots.post_json("/share", true, &serde_json::json!({"secret": ""}))
            .await,
        "You did not provide anything to share",
    );
}

/// A JSON body must be one object of the known names with scalar values: an array, a
/// string, a number, `null` or broken JSON is the layer's error for an unreadable request,
/// and a body larger than the form cap (2 MiB) is refused with the layer's size error,
/// before it is read when its length is declared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_bodies_must_be_small_objects() {
    let ots = Ots::start();
    for body in [
        r#"[{"secret":"x"}]"#,
        r#""secret""#,
        "42",
        "null",
        r#"{"secret":"x""#,
        r#"{"secret":["x"]}"#,
        r#"{"secret":{"v":"x"}}"#,
        r#"{"secret":"a","secret":"b"}"#,
    ] {
        let reply = ots
            .send(
                ots.http
                    .post(ots.url("/share"))
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_error(&reply, "The request could not be read");
    }
    let big = serde_json::json!({"secret": "x".repeat(2 * 1024 * 1024)});
    assert_error(
        &ots.post_json("/share", false, &big).await,
        "Secret is too long",
    );
    let host = ots.server.base.trim_start_matches("http://");
    let answer = common::answer_without_body(
        &ots.server.base,
        &format!(
            "POST /api/v1/share HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n\r\n"
        ),
    )
    .await
    .expect("an answer without the body being sent");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(answer.contains("Secret is too long"), "{answer}");
}

/// A form of many fields (`a&a&a&…`) is refused at the field cap in the layer's shape,
/// and the server goes on answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_of_many_fields_are_refused() {
    let ots = Ots::start();
    let body = "a&".repeat(512 * 1024);
    let reply = ots
        .send(
            ots.http
                .post(ots.url("/share"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await;
    assert_error(&reply, "The request could not be read");
    let fine = ots.post("/share", false, &[("secret", "x")]).await;
    assert_eq!(fine.status, StatusCode::OK);
}

/// Parameters may come in the query string or as multipart fields too, as Rack reads them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_from_query_and_multipart() {
    let ots = Ots::start();
    let reply = ots
        .send(
            ots.http
                .post(ots.url("/share?secret=from%20query&ttl=120"))
                .basic_auth(USER, Some(&ots.token)),
        )
        .await;
    assert_eq!(reply.body["ttl"], 120);
    let key = reply.body["secret_key"].as_str().expect("key").to_owned();
    let shown = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_eq!(shown.body["value"], "from query");

    // curl -F 'ttl=7200' -F 'secret=…'
    let form = reqwest::multipart::Form::new()
        .text("secret", "from multipart")
        .text("ttl", "7200");
    let reply = ots
        .send(ots.http.post(ots.url("/share")).multipart(form))
        .await;
    assert_eq!(reply.body["ttl"], 7200, "{}", reply.body);
    let key = reply.body["secret_key"].as_str().expect("key").to_owned();
    let shown = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_eq!(shown.body["value"], "from multipart");
}

/// `share_domain` is kept and echoed; an invalid one is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_domain_is_echoed() {
    let ots = Ots::start();
    let reply = ots
        .post(
            "/share",
            true,
            &[("secret", "x"), ("share_domain", "secrets.example.com")],
        )
        .await;
    assert_eq!(reply.body["share_domain"], "secrets.example.com");
    let mkey = reply.body["metadata_key"].as_str().expect("key");
    let meta = ots.get(&format!("/private/{mkey}"), true).await;
    assert_eq!(meta.body["share_domain"], "secrets.example.com");
    let bad = ots
        .post(
            "/share",
            true,
            &[("secret", "x"), ("share_domain", "not a domain/")],
        )
        .await;
    assert_error(&bad, "Invalid share domain.");
}

/// `recipient`: needs an account and a mail server; an obfuscated address on the metadata;
/// the e-mail carries the secret link, never the secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recipient_rules_without_mail() {
    let ots = Ots::start();
    let anon = ots
        .post(
            "/share",
            false,
            &[("secret", "x"), ("recipient", "a@example.com")],
        )
        .await;
    assert_error(&anon, "An account is required to send emails.");
    let no_mail = ots
        .post(
            "/share",
            true,
            &[("secret", "x"), ("recipient", "a@example.com")],
        )
        .await;
    assert_error(&no_mail, "E-mail is not enabled on this server.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recipient_gets_the_link_by_email() {
    let smtp = common::smtp::start();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let ots = Ots::start_with(&[("WISP_SMTP_URL", url.as_str())], "");
    let bad = ots
        .post("/share", true, &[("secret", "x"), ("recipient", "nope")])
        .await;
    assert_error(&bad, "Recipient must be a valid email address.");
    let reply = ots
        .post(
            "/share",
            true,
            &[
                ("secret", "mailed secret value"),
                ("recipient", "friend@example.com"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.body["recipient"],
        serde_json::json!(["fr*****@example.com"])
    );
    let key = reply.body["secret_key"].as_str().expect("key");
    let mail = smtp.messages(1).await;
    assert!(mail[0].contains(&format!("/secret/{key}")), "{}", mail[0]);
    assert!(!mail[0].contains("mailed secret value"));
}

/// Wrong credentials, wrong scheme, unknown paths and methods, missing fields: the service's
/// `404 {"message"}`, never Wisp's own error shape, never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_answers_in_the_services_shape() {
    let ots = Ots::start();
    // Missing secret.
    assert_error(
        &ots.post("/share", true, &[("ttl", "3600")]).await,
        "You did not provide anything to share",
    );
    assert_error(
        &ots.post("/share", true, &[("secret", "")]).await,
        "You did not provide anything to share",
    );
    // Wrong token, wrong user for a good token, empty parts, another scheme.
    let wrong_token = ots
        .send(
            ots.http
                .post(ots.url("/share"))
                .basic_auth(USER, Some("wisp_wrong"))
                .form(&[("secret", "x")]),
        )
        .await;
    assert_error(&wrong_token, "Not authorized");
    let wrong_user = ots
        .send(
            ots.http
                .get(ots.url("/status"))
                .basic_auth("someone-else", Some(&ots.token)),
        )
        .await;
    assert_error(&wrong_user, "Not authorized");
    let empty = ots
        .send(ots.http.get(ots.url("/status")).basic_auth(USER, Some("")))
        .await;
    assert_error(&empty, "Not authorized");
    let bearer = ots
        .send(ots.http.get(ots.url("/status")).bearer_auth(&ots.token))
        .await;
    assert_error(&bearer, "Not authorized");
    let garbage = ots
        .send(
            ots.http
                .get(ots.url("/status"))
                .header("authorization", "Basic !!!notbase64"),
        )
        .await;
    assert_error(&garbage, "Not authorized");
    // Unknown operation and wrong method.
    assert_error(&ots.get("/share", false).await, "Not Found");
    assert_error(&ots.post("/status", false, &[]).await, "Not Found");
    assert_error(
        &ots.post("/private/abc/unknown", false, &[]).await,
        "Not Found",
    );
    assert_error(&ots.get("/secret/abc", false).await, "Not Found");
    // Malformed keys.
    assert_error(
        &ots.post("/secret/bad%20key!", false, &[]).await,
        "Unknown secret",
    );
    assert_error(
        &ots.post("/private/x/burn", false, &[]).await,
        "Unknown secret",
    );
    // Not even UTF-8 once decoded: still the service's answer, not a plain-text 400.
    assert_error(&ots.post("/secret/%FF", false, &[]).await, "Unknown secret");
    assert_error(&ots.get("/private/%FF", false).await, "Unknown secret");
    // Too large.
    let big = "x".repeat(1024 * 1024 + 1);
    assert_error(
        &ots.post("/share", false, &[("secret", big.as_str())]).await,
        "Secret is too long",
    );
    // Wisp's own routes still answer in Wisp's shape.
    let native = http()
        .get(format!("{}/api/v1/nothing-here", ots.server.base))
        .send()
        .await
        .expect("request");
    let body: Value = native.json().await.expect("json");
    assert_eq!(body["code"], "not_found");
}

/// A server that refuses anonymous secrets refuses them here too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_creation_follows_the_server_setting() {
    let ots = Ots::start_with(&[("WISP_ANONYMOUS", "false")], "");
    assert_error(
        &ots.post("/share", false, &[("secret", "x")]).await,
        "Not authorized",
    );
    assert_error(&ots.post("/generate", false, &[]).await, "Not authorized");
    assert_eq!(
        ots.post("/share", true, &[("secret", "x")]).await.status,
        StatusCode::OK
    );
}

/// Over the limit: the service's `404 "Cripes! You have been rate limited."`, plus
/// `Retry-After`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_in_the_services_shape() {
    let ots = Ots::start_with(&[], "[limits]\nanonymous_requests_per_minute = 2\n");
    ots.get("/status", false).await;
    ots.get("/status", false).await;
    let limited = ots.get("/status", false).await;
    assert_error(&limited, "Cripes! You have been rate limited.");
    assert!(limited.headers.get("retry-after").is_some());
    // An account has its own bucket (Basic credentials count as a token).
    assert_eq!(ots.get("/status", true).await.status, StatusCode::OK);
}

/// The layer can be switched off: its paths are then Wisp's "nothing here".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layer_can_be_switched_off() {
    let server = Server::start_with(&[("WISP_COMPAT", "none")], "");
    let response = http()
        .post(format!("{}/api/v1/share", server.base))
        .form(&[("secret", "x")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "not_found");
    let server = Server::start_compat(&[], "[compat]\nonetime = false\n");
    let response = http()
        .get(format!("{}/api/v1/status", server.base))
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "not_found");
}

/// The plaintext layers are off unless the operator turns them on; SecLink (ciphertext
/// from the client) is on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plaintext_layers_are_off_by_default() {
    let server = Server::start();
    let client = http();
    let share = client
        .post(format!("{}/api/v1/share", server.base))
        .form(&[("secret", "x")])
        .send()
        .await
        .expect("request");
    let body: Value = share.json().await.expect("json");
    assert_eq!(body["code"], "not_found", "{body}");
    let burn = client
        .post(format!("{}/api/secrets", server.base))
        .json(&serde_json::json!({"secret": "x"}))
        .send()
        .await
        .expect("request");
    let body: Value = burn.json().await.expect("json");
    assert_eq!(body["code"], "not_found", "{body}");
    let seecret = client
        .post(format!("{}/api", server.base))
        .form(&[("operation", "get_account")])
        .send()
        .await
        .expect("request");
    let body: Value = seecret.json().await.expect("json");
    assert!(body.get("CODE").is_none(), "{body}");
    let seclink = client
        .post(format!("{}/compat/seclink/api/v1/secrets", server.base))
        .json(&serde_json::json!({"encryptedBlob": "abc", "iv": "def", "expiryType": "1hour"}))
        .send()
        .await
        .expect("request");
    assert_eq!(seclink.status(), StatusCode::OK);
    let server = Server::start_with(&[("WISP_COMPAT", "onetime")], "");
    let status = client
        .get(format!("{}/api/v1/status", server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(status.status(), StatusCode::OK);
}

/// At rest there is no plaintext, no secret key, no metadata key, no passphrase: a dump of
/// the data directory reveals nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_readable_on_disk() {
    let ots = Ots::start();
    let plaintext = "PLAINTEXT-MARKER-7f3a9c";
    let passphrase = "PASSPHRASE-MARKER-51e2";
    let mut keys = Vec::new();
    for (auth, pass) in [(true, None), (false, Some(passphrase))] {
        let mut form = vec![("secret", plaintext)];
        if let Some(p) = pass {
            form.push(("passphrase", p));
        }
        let reply = ots.post("/share", auth, &form).await;
        keys.push(reply.body["secret_key"].as_str().expect("key").to_owned());
        keys.push(reply.body["metadata_key"].as_str().expect("key").to_owned());
    }
    let generated = ots.post("/generate", true, &[]).await;
    let value = generated.body["value"].as_str().expect("value").to_owned();
    // Let the WAL settle into the file too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for needle in [plaintext, passphrase, value.as_str()]
        .into_iter()
        .chain(keys.iter().map(String::as_str))
    {
        assert!(
            !data_contains(&ots.server, needle.as_bytes()),
            "{needle} found in the data directory"
        );
    }
}

/// The secret link `/secret/KEY` opens the reveal page (key in the fragment) and spends
/// nothing; the secret stays revealable through the API, and the status the page reads is
/// Wisp's own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_link_opens_the_reveal_page() {
    let ots = Ots::start();
    let created = ots.post("/share", false, &[("secret", "page me")]).await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let response = ots
        .http
        .get(format!("{}/secret/{key}", ots.server.base))
        .send()
        .await
        .expect("page");
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().expect("location");
    let (path, fragment) = location.split_once('#').expect("fragment");
    let id = path.strip_prefix("/s/").expect("reveal page path");
    assert!(!fragment.is_empty());
    // The page's own status call works on it, and says a passphrase is not needed.
    let status: Value = ots
        .http
        .get(format!("{}/api/v1/secrets/{id}", ots.server.base))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(status["needs_passphrase"], false, "{status}");
    assert_eq!(status["views_left"], 1);
    // The Wisp client opens the same link: the payload is an ordinary Wisp payload.
    let link = wisp_crypto::Link::parse(&format!("{}{location}", ots.server.base)).expect("link");
    let (_, text) = ots
        .server
        .client()
        .reveal_bytes(&[link], None)
        .await
        .expect("reveal through Wisp's API");
    assert_eq!(&text[..], b"page me");
    let again = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_error(&again, "Unknown secret");
}

/// Secrets made through this layer are in Wisp's receipt machinery too: the batch and push
/// routes the desktop app watches accept Onetime Secret metadata keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_receipts_follow_onetime_secrets() {
    let ots = Ots::start();
    let created = ots.post("/share", true, &[("secret", "watched")]).await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    let batch = |http: reqwest::Client, url: String, mkey: String| async move {
        let body: Value = http
            .post(url)
            .json(&serde_json::json!({"keys": [mkey]}))
            .send()
            .await
            .expect("batch")
            .json()
            .await
            .expect("json");
        body
    };
    let url = ots.url("/receipts/batch");
    let before = batch(ots.http.clone(), url.clone(), mkey.clone()).await;
    assert_eq!(before["receipts"][0]["key"], mkey.as_str(), "{before}");
    assert_eq!(before["receipts"][0]["state"], "pending");
    // The push channel: subscribe, reveal through the layer, see the change.
    let mut events = ots
        .http
        .post(ots.url("/receipts/events"))
        .json(&serde_json::json!({"keys": [mkey]}))
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::OK);
    let first = events.chunk().await.expect("chunk").expect("snapshot");
    assert!(String::from_utf8_lossy(&first).contains("\"pending\""));
    ots.post(&format!("/secret/{key}"), false, &[]).await;
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("\"viewed\"") {
        assert!(
            std::time::Instant::now() < deadline,
            "no push event: {seen}"
        );
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), events.chunk())
            .await
            .expect("in time")
            .expect("chunk")
            .expect("more");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let after = batch(ots.http.clone(), url, mkey).await;
    assert_eq!(after["receipts"][0]["state"], "viewed");
}

/// The metadata key reads and burns through Wisp's receipt routes, but cannot change the
/// secret there: `PATCH` (unlimited views, longer TTL) and `PUT …/payload` (another
/// payload) would bypass the service's rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wisp_receipts_cannot_change_onetime_secrets() {
    let ots = Ots::start();
    let created = ots.post("/share", false, &[("secret", "once only")]).await;
    let key = created.body["secret_key"].as_str().expect("key").to_owned();
    let mkey = created.body["metadata_key"]
        .as_str()
        .expect("key")
        .to_owned();
    let patched = ots
        .http
        .patch(ots.url(&format!("/receipts/{mkey}")))
        .json(&serde_json::json!({"max_views": null, "ttl": 86_400}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), StatusCode::FORBIDDEN);
    let body: Value = patched.json().await.expect("json");
    assert_eq!(body["code"], "not_allowed", "{body}");
    let form = reqwest::multipart::Form::new().text("options", "{}");
    let replaced = ots
        .http
        .put(ots.url(&format!("/receipts/{mkey}/payload")))
        .multipart(form)
        .send()
        .await
        .expect("put");
    assert_eq!(replaced.status(), StatusCode::FORBIDDEN);
    // Still exactly one view, of the original content.
    let first = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_eq!(first.body["value"], "once only", "{}", first.body);
    let second = ots.post(&format!("/secret/{key}"), false, &[]).await;
    assert_error(&second, "Unknown secret");
    // Burning with the metadata key is the sender's right, here as through the layer.
    let other = ots.post("/share", false, &[("secret", "burn me")]).await;
    let other_mkey = other.body["metadata_key"].as_str().expect("key");
    let burned = ots
        .http
        .delete(ots.url(&format!("/receipts/{other_mkey}")))
        .send()
        .await
        .expect("delete");
    assert_eq!(burned.status(), StatusCode::NO_CONTENT);
    let meta = ots.get(&format!("/private/{other_mkey}"), false).await;
    assert_eq!(meta.body["state"], "burned", "{}", meta.body);
}

/// `recent` lists the account's last Onetime Secret secrets even when the account made many
/// secrets through other APIs since.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recent_finds_secrets_behind_other_layers() {
    let ots = Ots::start();
    let first = ots.post("/share", true, &[("secret", "older")]).await;
    for _ in 0..105 {
        let made = ots
            .http
            .post(format!("{}/compat/seclink/api/v1/secrets", ots.server.base))
            .bearer_auth(&ots.token)
            .json(&serde_json::json!({"encryptedBlob": "abc", "iv": "def", "expiryType": "1hour"}))
            .send()
            .await
            .expect("seclink");
        assert_eq!(made.status(), StatusCode::OK);
    }
    let reply = ots.get("/private/recent", true).await;
    let list = reply.body.as_array().expect("array");
    assert_eq!(list.len(), 1, "{}", reply.body);
    assert_eq!(list[0]["metadata_key"], first.body["metadata_key"]);
}

/// Anonymous requests with a passphrase (the server runs Argon2id for them) have their own,
/// tighter per-minute limit, answered in the service's rate-limit shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_passphrases_have_a_tighter_limit() {
    let ots = Ots::start_with(&[], "[compat]\nanonymous_passphrase_per_minute = 1\n");
    let first = ots
        .post("/share", false, &[("secret", "s"), ("passphrase", "p")])
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = ots
        .post("/share", false, &[("secret", "s"), ("passphrase", "p")])
        .await;
    assert_error(&second, "Cripes! You have been rate limited.");
    assert!(second.headers.get("retry-after").is_some());
    let key = first.body["secret_key"].as_str().expect("key");
    let guess = ots
        .post(&format!("/secret/{key}"), false, &[("passphrase", "q")])
        .await;
    assert_error(&guess, "Cripes! You have been rate limited.");
    let plain = ots.post("/share", false, &[("secret", "s")]).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    let keyed = ots
        .post("/share", true, &[("secret", "s"), ("passphrase", "p")])
        .await;
    assert_eq!(keyed.status, StatusCode::OK, "{}", keyed.body);
}
