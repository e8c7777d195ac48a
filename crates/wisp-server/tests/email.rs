//! E-mail through a real SMTP server (Python's aiosmtpd, started by the test): a view notice
//! to the sender, and a link to the recipient that never carries a whole key.

mod common;

use common::{fast_options, smtp, Server};
use wisp_api::Split;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_notice_and_recipient_link_by_email() {
    let smtp = smtp::start();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let server = Server::start_with(
        &[
            ("WISP_SMTP_URL", url.as_str()),
            ("WISP_MAIL_FROM", "Wisp <wisp@example.org>"),
        ],
        "",
    );
    // E-mail is only for token holders (an anonymous caller is refused: tests/hostile.rs).
    let token = server.token("mailer");
    let client = wisp_client::Client::new(&server.base, Some(secrecy::SecretString::from(token)))
        .expect("client");
    let mut options = fast_options();
    options.notify_email = Some("sender@example.org".into());
    options.send_to = Some("recipient@example.org".into());
    options.split = Some(Split {
        needed: 2,
        total: 2,
    });
    let sent = client.send_text("mailed", &options).await.expect("send");

    // The recipient's e-mail has the second part only.
    let mail = smtp.messages(1).await;
    assert_eq!(mail.len(), 1, "recipient e-mail");
    let part_url = sent.links[1].expose_url().to_string();
    let whole = &mail[0];
    assert!(whole.contains("To: recipient@example.org"), "{whole}");
    assert!(
        whole.contains(&part_url) || whole.replace("=\n", "").contains(&part_url),
        "{whole}"
    );
    assert!(
        !whole.contains(sent.links[0].expose_url().split('#').nth(1).unwrap_or("-")),
        "first part leaked"
    );

    // Viewing sends the sender a notice without link or content.
    client
        .reveal_bytes(&sent.links, None)
        .await
        .expect("reveal");
    let mail = smtp.messages(2).await;
    let notice = mail
        .iter()
        .find(|m| m.contains("To: sender@example.org"))
        .expect("view notice");
    assert!(notice.contains("was viewed"), "{notice}");
    assert!(
        !notice.contains("/s/") && !notice.contains("mailed"),
        "{notice}"
    );

    // Without e-mail configured, asking for it is a clear error.
    let plain = Server::start();
    let mut options = fast_options();
    options.notify_email = Some("sender@example.org".into());
    let err = plain
        .client()
        .send_text("x", &options)
        .await
        .expect_err("no smtp");
    assert_eq!(err.api_code(), Some(wisp_api::ErrorCode::InvalidOptions));
}
