//! A walk through Wisp's core, printed: seal a text, make a link and a 2-of-3 split,
//! combine the parts, open the payload, and show what a tampered payload says.
//! Run it with `scripts/run.sh` (or `cargo run -p wisp-crypto --example demo`).

use std::io::Read;

use wisp_crypto::{
    combine_links, open_text, split_key, Link, LinkKey, LinkSecret, Metadata, PayloadHeader,
    Sealer, SecretId, SecretString,
};

fn main() -> Result<(), wisp_crypto::Error> {
    let secret = "The vault code is 4-8-15-16-23-42";
    let key = LinkKey::generate();
    let passphrase = SecretString::from("correct horse");
    let started = std::time::Instant::now();
    let sealer = Sealer::new(&key, Some(&passphrase))?;
    let mut payload = Vec::new();
    sealer
        .seal(&Metadata::text(secret.len() as u64), secret.as_bytes())?
        .read_to_end(&mut payload)
        .map_err(wisp_crypto::Error::from_io)?;
    println!(
        "Sealed {} bytes of text into a {}-byte payload (Argon2id + AES-256-GCM, {:?}).",
        secret.len(),
        payload.len(),
        started.elapsed()
    );
    println!(
        "What a server stores: the payload and the reveal verifier {}…",
        &sealer.reveal_proof().verifier().to_base64url()[..12]
    );

    let id = SecretId::parse("DemoSecretId0123456789")?;
    let link = Link::new(
        "https://wisp.example",
        id.clone(),
        LinkSecret::Key(key.clone()),
    )?;
    println!(
        "\nLink (the key is only after #):\n  {}",
        link.expose_url().as_str()
    );

    let parts = split_key(&key, 2, 3)?;
    let part_links: Vec<Link> = parts
        .into_iter()
        .map(|p| Link::new("https://wisp.example", id.clone(), LinkSecret::Part(p)))
        .collect::<Result<_, _>>()?;
    println!("\nSplit into 3 parts, any 2 open it:");
    for l in &part_links {
        println!("  {}", l.expose_url().as_str());
    }
    let err = combine_links(&part_links[..1]).expect_err("one part is not enough");
    println!("With one part: {err}");
    let combined = combine_links(&[part_links[2].clone(), part_links[0].clone()])?;
    let text = open_text(&combined, Some(&passphrase), &payload)?;
    println!("With parts 3 and 1 and the passphrase: {:?}", text.as_str());

    let (header, _) = PayloadHeader::parse(&payload)?;
    println!(
        "\nPublic header: passphrase needed = {}, segment size = {} bytes",
        header.needs_passphrase(),
        header.segment_size
    );
    let wrong = open_text(
        &combined,
        Some(&SecretString::from("wrong horse")),
        &payload,
    )
    .expect_err("wrong");
    println!("Wrong passphrase: {wrong}");
    let mut tampered = payload.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    println!(
        "One bit flipped:  {}",
        open_text(&combined, Some(&passphrase), &tampered).expect_err("tampered")
    );
    println!(
        "Cut short:        {}",
        open_text(&combined, Some(&passphrase), &payload[..200]).expect_err("cut")
    );
    Ok(())
}
