//! E-mail through a real SMTP server (Python's aiosmtpd, started by the test): a view notice
//! to the sender, and a link to the recipient that never carries a whole key.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{fast_options, Server};
use wisp_api::Split;

struct Smtp {
    child: Child,
    maildir: tempfile::TempDir,
    port: u16,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    std::env::var_os("WISP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"))
}

fn start_smtp() -> Smtp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let maildir = tempfile::tempdir().expect("maildir");
    let child = Command::new(python())
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir.path().join("box"))
        .spawn()
        .expect("start aiosmtpd (scripts/setup.sh installs it into .venv)");
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "aiosmtpd did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Smtp {
        child,
        maildir,
        port,
    }
}

/// Waits until `n` messages arrived; returns their raw text.
async fn messages(smtp: &Smtp, n: usize) -> Vec<String> {
    let dir = smtp.maildir.path().join("box").join("new");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn view_notice_and_recipient_link_by_email() {
    let smtp = start_smtp();
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let server = Server::start_with(
        &[
            ("WISP_SMTP_URL", url.as_str()),
            ("WISP_MAIL_FROM", "Wisp <wisp@example.org>"),
        ],
        "",
    );
    let client = server.client();
    let mut options = fast_options();
    options.notify_email = Some("sender@example.org".into());
    options.send_to = Some("recipient@example.org".into());
    options.split = Some(Split {
        needed: 2,
        total: 2,
    });
    let sent = client.send_text("mailed", &options).await.expect("send");

    // The recipient's e-mail has the second part only.
    let mail = messages(&smtp, 1).await;
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
    let mail = messages(&smtp, 2).await;
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
