//! What `wisp` prints: sentences for people (colour only on a terminal, `NO_COLOR`
//! honoured), a stable JSON schema with `--json`, progress bars only on a terminal.

use std::io::IsTerminal;
use std::pin::Pin;
use std::task::{Context, Poll};

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use tokio::io::{AsyncRead, ReadBuf};
use wisp_api::{Receipt, SecretStatus};
use wisp_client::Sent;
use wisp_crypto::Metadata;

use crate::exit::Exit;

/// The output channel of one invocation.
pub struct Out {
    pub json: bool,
    color: bool,
    tty_err: bool,
}

impl Out {
    pub fn new(json: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Out {
            json,
            color: !no_color && std::io::stdout().is_terminal(),
            tty_err: std::io::stderr().is_terminal(),
        }
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn print_json(&self, value: serde_json::Value) {
        println!("{value}");
    }

    pub fn error(&self, message: &str) {
        if self.json {
            eprintln!("{}", json!({ "error": message }));
        } else {
            eprintln!("wisp: {message}");
        }
    }

    /// A progress bar on stderr when it is a terminal (and not in JSON mode); hidden otherwise.
    pub fn progress(&self, total: u64, what: &str) -> ProgressBar {
        if !self.tty_err || self.json || total == 0 {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
        bar
    }

    pub fn sent(&self, sent: &Sent, qr: bool) -> Exit {
        let links: Vec<String> = sent
            .links
            .iter()
            .map(|l| l.expose_url().to_string())
            .collect();
        if self.json {
            self.print_json(json!({
                "links": links,
                "id": sent.created.id,
                "metadata_key": sent.created.metadata_key,
                "expires_at": sent.created.expires_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "max_views": sent.created.max_views,
                "size": sent.created.size,
            }));
            return Exit::Ok;
        }
        if links.len() == 1 {
            println!("{}", links[0]);
        } else {
            for (i, link) in links.iter().enumerate() {
                println!("{} {link}", self.bold(&format!("part {}:", i + 1)));
            }
        }
        if qr && std::io::stdout().is_terminal() {
            for link in &links {
                if let Ok(code) = qrcode::QrCode::new(link.as_bytes()) {
                    println!(
                        "\n{}",
                        code.render::<qrcode::render::unicode::Dense1x2>()
                            .quiet_zone(true)
                            .build()
                    );
                }
            }
        }
        let views = match sent.created.max_views {
            Some(1) => "one view".to_owned(),
            Some(n) => format!("{n} views"),
            None => "unlimited views".to_owned(),
        };
        eprintln!(
            "{views}, expires {}. Receipt key (keep it to check or burn): {}",
            sent.created
                .expires_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            sent.created.metadata_key
        );
        Exit::Ok
    }

    pub fn status(&self, status: &SecretStatus) {
        if self.json {
            self.print_json(json!({
                "id": status.id,
                "available": true,
                "needs_passphrase": status.needs_passphrase,
                "views_left": status.views_left,
                "expires_at": status.expires_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "size": status.size,
                "split": status.split.map(|s| json!({"needed": s.needed, "total": s.total})),
            }));
            return;
        }
        let views = status.views_left.map_or("unlimited views".to_owned(), |n| {
            format!("{n} view(s) left")
        });
        let split = status
            .split
            .map(|s| format!(", split: {} of {} parts needed", s.needed, s.total))
            .unwrap_or_default();
        let phrase = if status.needs_passphrase {
            ", needs a passphrase"
        } else {
            ""
        };
        println!(
            "Available: {views}, about {}{split}{phrase}.",
            human_size(status.size)
        );
        println!("Reveal it with --yes (this uses one view).");
    }

    pub fn text(&self, text: &str) {
        if self.json {
            self.print_json(json!({ "kind": "text", "text": text }));
        } else if std::io::stdout().is_terminal() {
            println!("{text}");
        } else {
            // Exactly the secret, byte for byte, for pipes.
            print!("{text}");
        }
    }

    pub fn saved(&self, path: &std::path::Path, bytes: u64, metadata: &Metadata) {
        if self.json {
            self.print_json(
                json!({ "kind": "file", "name": metadata.name, "path": path, "size": bytes }),
            );
        } else {
            eprintln!("Saved {} ({bytes} bytes).", path.display());
        }
    }

    pub fn receipt(&self, receipt: &Receipt) {
        if self.json {
            self.print_json(serde_json::to_value(receipt).unwrap_or_default());
            return;
        }
        let left = receipt
            .views_left
            .map_or("unlimited".to_owned(), |n| n.to_string());
        println!(
            "{}: {} view(s) used, {left} left",
            self.bold(receipt.state.as_str()),
            receipt.views_used
        );
        for v in &receipt.view_log {
            let at =
                v.at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
            println!(
                "  viewed {at} by client {}{}",
                v.client,
                v.country
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            );
        }
    }

    pub fn list(&self, page: &wisp_api::SecretList) {
        if self.json {
            self.print_json(serde_json::to_value(page).unwrap_or_default());
            return;
        }
        if page.secrets.is_empty() {
            eprintln!("No secrets.");
        }
        for r in &page.secrets {
            let created = r
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            let left = r
                .views_left
                .map_or("unlimited".to_owned(), |n| n.to_string());
            println!(
                "{}  {:<8}  {} used, {left} left  created {created}",
                r.id,
                r.state.as_str(),
                r.views_used
            );
        }
    }

    pub fn account_added(&self, a: &wisp_accounts::Account) {
        if self.json {
            self.print_json(account_json(a, None, None));
        } else {
            eprintln!(
                "Account {} added ({} at {}).",
                self.bold(&a.name),
                a.kind.label(),
                a.url
            );
        }
    }

    /// `account list`: each account, whether it is the default, whether it has a token
    /// (`None` when the keyring could not say).
    pub fn accounts(&self, rows: &[(&wisp_accounts::Account, bool, Option<bool>)]) {
        if self.json {
            let list: Vec<_> = rows
                .iter()
                .map(|(a, default, token)| account_json(a, Some(*default), *token))
                .collect();
            self.print_json(json!({ "accounts": list }));
            return;
        }
        if rows.is_empty() {
            eprintln!("No accounts yet: wisp account add NAME --server URL");
        }
        for (a, default, token) in rows {
            let token = match token {
                Some(true) => "token",
                Some(false) => "no token",
                None => "keyring unavailable",
            };
            println!(
                "{} {:<16} {:<16} {:<40} {token}",
                if *default { "*" } else { " " },
                a.name,
                a.kind.label(),
                a.url
            );
        }
    }

    pub fn account_done(&self, what: &str, a: &wisp_accounts::Account) {
        if self.json {
            self.print_json(account_json(a, None, None));
        } else {
            eprintln!("Account {} {what}.", self.bold(&a.name));
        }
    }

    pub fn burned(&self) {
        if self.json {
            self.print_json(json!({ "burned": true }));
        } else {
            eprintln!("Burned.");
        }
    }
}

fn account_json(
    a: &wisp_accounts::Account,
    default: Option<bool>,
    has_token: Option<bool>,
) -> serde_json::Value {
    let mut value = json!({
        "id": a.id,
        "name": a.name,
        "kind": a.kind.as_str(),
        "url": a.url,
    });
    if let Some(d) = default {
        value["default"] = json!(d);
    }
    if let Some(t) = has_token {
        value["has_token"] = json!(t);
    }
    value
}

/// Sizes as people read them (decimal units, like file managers).
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{b} bytes"),
    }
}

/// Counts bytes read into a progress bar.
pub struct Counted<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R> Counted<R> {
    pub fn new(inner: R, bar: ProgressBar) -> Self {
        Counted { inner, bar }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Counted<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        let n = buf.filled().len() - before;
        self.bar.inc(n as u64);
        poll
    }
}
