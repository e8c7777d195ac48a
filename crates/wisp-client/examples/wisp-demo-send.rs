//! Sends a first secret to a running server and prints its link (used by `scripts/run.sh`).

use wisp_client::{Client, SendOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8787".into());
    let client = Client::new(&base, None)?;
    let options = SendOptions {
        ttl: Some(3600),
        ..SendOptions::default()
    };
    let sent = client
        .send_text(
            "Welcome to Wisp. This message burns after you read it.",
            &options,
        )
        .await?;
    println!(
        "\nA first secret (one view, one hour). Open it in a browser:\n\n  {}\n",
        sent.links[0].expose_url().as_str()
    );
    println!(
        "Its receipt key (for status and burning): {}\n",
        sent.created.metadata_key
    );
    Ok(())
}
