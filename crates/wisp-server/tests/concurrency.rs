//! Views are claimed atomically: of 64 concurrent reveals of a view-once secret exactly one
//! succeeds, every time; of an N-view secret exactly N.

mod common;

use common::{fast_options, Server};
use futures_util::future::join_all;
use wisp_crypto::{combine_links, Opener, PayloadHeader};

const CONCURRENT: usize = 64;

async fn race(server: &Server, http: &reqwest::Client, max_views: u32) -> usize {
    let client = server.client();
    let mut options = fast_options();
    options.max_views = Some(Some(max_views));
    let sent = client.send_text("race", &options).await.expect("send");
    let status = client.status(&sent.created.id).await.expect("status");
    let header = PayloadHeader::from_base64url(&status.header).expect("header");
    let key = combine_links(&sent.links).expect("key");
    let proof = Opener::new(&key, None, &header)
        .expect("opener")
        .reveal_proof()
        .to_base64url();
    let url = format!("{}/api/v1/secrets/{}/reveal", server.base, sent.created.id);
    let attempts = (0..CONCURRENT).map(|_| {
        let request = http
            .post(&url)
            .header("wisp-reveal-proof", proof.as_str())
            .send();
        async move {
            let response = request.await.expect("reveal request");
            match response.status().as_u16() {
                200 => {
                    // The whole payload must arrive, not just the status line.
                    let body = response.bytes().await.expect("body");
                    assert!(body.starts_with(b"WISP"));
                    1
                }
                404 => 0,
                other => panic!("unexpected status {other}"),
            }
        }
    });
    join_all(attempts).await.into_iter().sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exactly_one_of_64_concurrent_reveals_wins_1000_times() {
    let server = Server::start_with(
        &[],
        "[limits]\nanonymous_requests_per_minute = 10000000\n[connections]\nper_address = 1000\n",
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENT)
        .build()
        .expect("http");
    for round in 0..1000 {
        assert_eq!(race(&server, &http, 1).await, 1, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exactly_n_of_64_concurrent_reveals_win() {
    let server = Server::start_with(
        &[],
        "[limits]\nanonymous_requests_per_minute = 10000000\n[connections]\nper_address = 1000\n",
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENT)
        .build()
        .expect("http");
    for round in 0..200 {
        let n = 2 + (round % 9) as u32;
        assert_eq!(
            race(&server, &http, n).await,
            n as usize,
            "round {round}, {n} views"
        );
    }
}
