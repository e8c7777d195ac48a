//! The commands for accounts of the other kinds (Onetime Secret, Burn the Secret, SecLink,
//! Seecret.it), each through its own API via `wisp-providers`; and `get` for their links,
//! recognised by shape. Wisp accounts keep the streaming path in `main.rs`.

use std::io::IsTerminal;

use secrecy::SecretString;
use serde_json::json;
use tokio::io::AsyncReadExt;
use wisp_accounts::ServerKind;
use wisp_providers::{Provider, ProviderError, State, TextOptions};
use zeroize::Zeroizing;

use crate::args::{self, Command, GetArgs, SendArgs};
use crate::exit::{self, Exit};
use crate::output::Out;
use crate::{usage, Failure};

impl From<ProviderError> for Failure {
    fn from(e: ProviderError) -> Self {
        Failure {
            exit: exit::of_provider(&e),
            message: e.to_string(),
        }
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Pending => "pending",
        State::Viewed => "viewed",
        State::Burned => "burned",
        State::Expired => "expired",
    }
}

/// The kind of pasted links, when it is not Wisp's.
pub fn foreign(links: &[String]) -> Option<ServerKind> {
    match wisp_providers::recognise(links.first()?)? {
        ServerKind::Wisp => None,
        kind => Some(kind),
    }
}

/// `send`, `status`, `burn`, `list`, `watch` on an account of another kind.
pub async fn run(
    kind: ServerKind,
    server: &str,
    token: Option<SecretString>,
    command: Command,
    out: &Out,
) -> Result<Exit, Failure> {
    let provider = wisp_providers::connect_to(kind, server, token)?;
    match command {
        Command::Send(args) => send(&*provider, args, out).await,
        Command::Status { metadata_key } => {
            let receipt = one_receipt(&*provider, &metadata_key).await?;
            print_receipt(out, &receipt);
            Ok(Exit::Ok)
        }
        Command::Burn { metadata_key } => {
            provider.burn(&metadata_key).await?;
            out.burned();
            Ok(Exit::Ok)
        }
        Command::List { state, limit } => {
            let wanted = state.as_deref();
            if wanted.is_some_and(|s| !["pending", "viewed", "burned", "expired"].contains(&s)) {
                return Err(usage("--state is pending, viewed, burned or expired"));
            }
            let listed: Vec<_> = provider
                .list()
                .await?
                .into_iter()
                .filter(|l| wanted.is_none_or(|w| state_name(l.state) == w))
                .take(limit.clamp(1, 200) as usize)
                .collect();
            print_list(out, &listed);
            Ok(Exit::Ok)
        }
        Command::Watch {
            metadata_key,
            timeout,
        } => {
            // No push outside Wisp: poll the kind's own status call.
            let follow = async {
                let mut wait = std::time::Duration::from_secs(1);
                loop {
                    let receipt = one_receipt(&*provider, &metadata_key).await?;
                    let exit = match receipt.state {
                        State::Pending => None,
                        State::Viewed => Some(Exit::Ok),
                        State::Burned => Some(Exit::Burned),
                        State::Expired => Some(Exit::Expired),
                    };
                    if let Some(exit) = exit {
                        return Ok::<_, Failure>((exit, receipt));
                    }
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(30));
                }
            };
            let (exit, receipt) = match timeout {
                Some(t) => tokio::time::timeout(t, follow)
                    .await
                    .map_err(|_| Failure {
                        exit: Exit::Timeout,
                        message: "timed out before the secret was viewed".into(),
                    })??,
                None => follow.await?,
            };
            print_receipt(out, &receipt);
            Ok(exit)
        }
        Command::Get(_) | Command::Account(_) => Err(usage("not an account command")),
    }
}

async fn one_receipt(
    provider: &dyn Provider,
    key: &str,
) -> Result<wisp_providers::Receipt, Failure> {
    if key.contains("://") || key.contains('#') || key.contains('/') {
        return Err(usage(
            "this command takes the key printed by `wisp send`, not a link",
        ));
    }
    let receipt = provider
        .receipts(&[key.to_owned()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| usage("the server said nothing about this key"))?;
    if !receipt.known {
        return Err(Failure {
            exit: Exit::Unavailable,
            message: "the server does not know this key (gone, or never existed)".into(),
        });
    }
    Ok(receipt)
}

async fn send(provider: &dyn Provider, args: SendArgs, out: &Out) -> Result<Exit, Failure> {
    if args.file.is_some() {
        return Err(usage(format!(
            "{} accounts send text only: files go through Wisp accounts",
            provider.kind().label()
        )));
    }
    let mut options = TextOptions {
        ttl_secs: args.ttl.map(|d| d.as_secs()),
        note: args.note.clone(),
        passphrase: args::passphrase(&args.passphrase).map_err(usage)?,
        ..TextOptions::default()
    };
    if args.unlimited {
        options.max_views = Some(None);
    } else if let Some(v) = args.views {
        if !(1..=999).contains(&v) {
            return Err(usage("--views must be between 1 and 999"));
        }
        options.max_views = Some(Some(v));
    }
    if let Some(s) = &args.split {
        let split = args::split(s).map_err(usage)?;
        options.split = Some((split.needed, split.total));
    }
    let text: Zeroizing<String> = match &args.text {
        Some(t) => Zeroizing::new(t.clone()),
        None => {
            if std::io::stdin().is_terminal() {
                return Err(usage(
                    "nothing to send: give the text as an argument or pipe it to stdin",
                ));
            }
            let mut bytes = Zeroizing::new(Vec::new());
            tokio::io::stdin()
                .take(1 << 20 | 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|e| usage(format!("cannot read stdin: {e}")))?;
            if bytes.len() > 1 << 20 {
                return Err(usage("more than 1 MiB of text: use a Wisp account"));
            }
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| usage("stdin is not text: use a Wisp account for files"))?;
            let text = text
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(text);
            Zeroizing::new(text.to_owned())
        }
    };
    if text.is_empty() {
        return Err(usage("nothing to send: the text is empty"));
    }
    let created = provider.create_text(&text, &options).await?;
    let links: Vec<&str> = created.links.iter().map(|l| l.as_str()).collect();
    if out.json {
        println!(
            "{}",
            json!({
                "kind": provider.kind().as_str(),
                "links": links,
                "id": created.id,
                "metadata_key": created.key,
                "expires_at": rfc3339(created.expires_at),
                "max_views": created.max_views,
            })
        );
        return Ok(Exit::Ok);
    }
    if links.len() == 1 {
        println!("{}", links[0]);
    } else {
        for (i, link) in links.iter().enumerate() {
            println!("part {}: {link}", i + 1);
        }
    }
    let features = provider.features();
    let follow = if features.receipts {
        format!("Receipt key (keep it to check or burn): {}", created.key)
    } else {
        format!(
            "{} cannot tell the sender about views or burn.",
            provider.kind().label()
        )
    };
    eprintln!("Expires {}. {follow}", rfc3339(created.expires_at));
    if features.server_reads_content {
        eprintln!(
            "Note: {} servers receive the content in the clear.",
            provider.kind().label()
        );
    }
    Ok(Exit::Ok)
}

/// `get` for links of another kind: status (where the API can tell), or with --yes reveal.
pub async fn get(kind: ServerKind, args: GetArgs, out: &Out) -> Result<Exit, Failure> {
    let first = &args.links[0];
    let origin = {
        let after = first.find("://").map_or(0, |i| i + 3);
        let end = first[after..]
            .find(['/', '#', '?'])
            .map_or(first.len(), |i| after + i);
        first[..end].to_owned()
    };
    let provider = wisp_providers::connect_to(kind, &origin, None)?;
    if !args.yes {
        match provider.link_status(first).await {
            Ok(info) => {
                if out.json {
                    println!(
                        "{}",
                        json!({
                            "kind": kind.as_str(),
                            "available": info.available,
                            "needs_passphrase": info.needs_passphrase,
                            "views_left": info.views_left,
                            "expires_at": info.expires_at.map(rfc3339),
                        })
                    );
                } else if info.available {
                    let views = info.views_left.map_or("unlimited views".to_owned(), |n| {
                        format!("{n} view(s) left")
                    });
                    let phrase = if info.needs_passphrase {
                        ", needs a passphrase"
                    } else {
                        ""
                    };
                    println!("Available ({}): {views}{phrase}.", kind.label());
                    println!("Reveal it with --yes (this uses one view).");
                } else {
                    println!("Gone: viewed, burned or expired.");
                }
                return Ok(if info.available {
                    Exit::Ok
                } else {
                    Exit::Unavailable
                });
            }
            Err(ProviderError::Unsupported { .. }) => {
                if out.json {
                    println!("{}", json!({ "kind": kind.as_str(), "available": null }));
                } else {
                    println!(
                        "A {} link: its API cannot tell whether it is still there without opening it.",
                        kind.label()
                    );
                    println!("Reveal it with --yes (this uses one view).");
                }
                return Ok(Exit::Ok);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let passphrase = args::passphrase(&args.passphrase).map_err(usage)?;
    let revealed = provider.reveal(&args.links, passphrase.as_ref()).await?;
    match &args.output {
        Some(path) => {
            if path.exists() {
                return Err(usage(format!("{} already exists", path.display())));
            }
            std::fs::write(path, revealed.content.as_slice()).map_err(|e| Failure {
                exit: Exit::Failure,
                message: format!("cannot write {}: {e}", path.display()),
            })?;
            eprintln!(
                "Saved {} ({} bytes).",
                path.display(),
                revealed.content.len()
            );
        }
        None => out.text(&String::from_utf8_lossy(&revealed.content)),
    }
    Ok(Exit::Ok)
}

fn print_receipt(out: &Out, r: &wisp_providers::Receipt) {
    if out.json {
        println!(
            "{}",
            json!({
                "state": state_name(r.state),
                "views_used": r.views,
                "expires_at": r.expires_at.map(rfc3339),
            })
        );
        return;
    }
    let views = r
        .views
        .map(|v| format!(": {v} view(s) used"))
        .unwrap_or_default();
    println!("{}{views}", state_name(r.state));
}

fn print_list(out: &Out, listed: &[wisp_providers::Listed]) {
    if out.json {
        let secrets: Vec<_> = listed
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "metadata_key": l.key,
                    "state": state_name(l.state),
                    "views_used": l.views,
                    "max_views": l.max_views,
                    "created_at": l.created_at.map(rfc3339),
                    "expires_at": l.expires_at.map(rfc3339),
                })
            })
            .collect();
        println!("{}", json!({ "secrets": secrets }));
        return;
    }
    if listed.is_empty() {
        eprintln!("No secrets.");
    }
    for l in listed {
        let created = l.created_at.map(rfc3339).unwrap_or_default();
        let views = l.views.map_or("?".to_owned(), |v| v.to_string());
        println!(
            "{}  {:<8}  {views} used  created {created}",
            l.id,
            state_name(l.state)
        );
    }
}
