//! `wisp`: the command-line client. Same core as the desktop app: with Wisp servers (and
//! SecLink) encryption happens here and the server only ever receives ciphertext; accounts
//! of the plaintext kinds (Onetime Secret, Burn the Secret, Seecret.it) go through their own
//! API (`kinds.rs`), and `wisp send` says so.

mod account;
mod args;
mod exit;
mod kinds;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use secrecy::SecretString;
use tokio::io::AsyncReadExt;
use wisp_client::{Client, ClientError, SendOptions};
use wisp_crypto::{Link, Metadata};
use zeroize::Zeroizing;

use crate::args::{Cli, Command, GetArgs, SendArgs};
use crate::exit::Exit;
use crate::output::Out;

/// Text read from stdin up to this size is sent as text; more is streamed as a file.
const STDIN_TEXT_LIMIT: usize = 1 << 20;

/// A failure with the exit code it maps to.
struct Failure {
    exit: Exit,
    message: String,
}

impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Self {
        let message = match &e {
            ClientError::Api(api) => match (api.code, api.attempts_left) {
                // The server counts wrong passphrases: say how many tries remain.
                (_, Some(0)) => format!("{} {}", api.error, api.hint),
                (wisp_api::ErrorCode::PassphraseRequired, _) => {
                    format!("{} {}", api.error, api.hint)
                }
                (_, Some(1)) => format!(
                    "{} 1 attempt left before the secret is destroyed. {}",
                    api.error, api.hint
                ),
                (_, Some(n)) => format!(
                    "{} {n} attempts left before the secret is destroyed. {}",
                    api.error, api.hint
                ),
                (_, None) => format!("{} {}", api.error, api.hint),
            },
            other => other.to_string(),
        };
        Failure {
            exit: exit::of(&e),
            message,
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        exit: Exit::Usage,
        message: message.into(),
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure {
            exit: Exit::Failure,
            message: format!("{e:#}"),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out::new(cli.json);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            out.error(&format!("cannot start: {e}"));
            return Exit::Failure.into();
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(cli, &out) => r,
            _ = tokio::signal::ctrl_c() => Err(Failure { exit: Exit::Interrupted, message: "interrupted; nothing was left half-sent".into() }),
        }
    });
    match result {
        Ok(code) => code.into(),
        Err(f) => {
            out.error(&f.message);
            f.exit.into()
        }
    }
}

async fn run(cli: Cli, out: &Out) -> Result<Exit, Failure> {
    let target = || account::resolve(cli.server.as_deref(), &cli.kind, cli.account.as_deref());
    let client = || -> Result<Client, Failure> {
        let (_, server, token) = target()?;
        Ok(Client::new(&server, token)?)
    };
    match &cli.command {
        Command::Account(_) => {}
        // A link says which kind of server it is on, whatever the account.
        Command::Get(args) => {
            if let Some(kind) = kinds::foreign(&args.links) {
                let Command::Get(args) = cli.command else {
                    unreachable!()
                };
                return kinds::get(kind, args, out).await;
            }
        }
        _ => {
            let (kind, server, token) = target()?;
            if kind != wisp_accounts::ServerKind::Wisp {
                return kinds::run(kind, &server, token, cli.command, out).await;
            }
        }
    }
    match cli.command {
        Command::Account(command) => account::run(command, out),
        Command::Send(args) => send(&client()?, args, out).await,
        Command::Get(args) => get(&client()?, args, out).await,
        Command::Status { metadata_key } => {
            not_a_link(&metadata_key, "status")?;
            let receipt = client()?.receipt(&metadata_key).await?;
            out.receipt(&receipt);
            Ok(Exit::Ok)
        }
        Command::Burn { metadata_key } => {
            not_a_link(&metadata_key, "burn")?;
            client()?.burn(&metadata_key).await?;
            out.burned();
            Ok(Exit::Ok)
        }
        Command::List { state, limit } => {
            let state = match state.as_deref() {
                None => None,
                Some(s) => Some(
                    wisp_api::ReceiptState::parse(s)
                        .ok_or_else(|| usage("--state is pending, viewed, burned or expired"))?,
                ),
            };
            let page = client()?.list(state, limit.clamp(1, 200), None).await?;
            out.list(&page);
            Ok(Exit::Ok)
        }
        Command::Watch {
            metadata_key,
            timeout,
        } => {
            not_a_link(&metadata_key, "watch")?;
            watch(&client()?, &metadata_key, timeout, out).await
        }
    }
}

async fn send(client: &Client, args: SendArgs, out: &Out) -> Result<Exit, Failure> {
    let mut options = SendOptions {
        ttl: args.ttl.map(|d| d.as_secs()),
        note: args.note.clone(),
        passphrase: args::passphrase(&args.passphrase).map_err(usage)?,
        ..SendOptions::default()
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
        options.split = Some(args::split(s).map_err(usage)?);
    }
    let sent = if let Some(path) = &args.file {
        let file = tokio::fs::File::open(path)
            .await
            .with_context(|| format!("cannot open {}", path.display()))?;
        let size = file
            .metadata()
            .await
            .context("cannot read the file's size")?
            .len();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        let progress = out.progress(size, "encrypting and uploading");
        let reader = output::Counted::new(file, progress.clone());
        let sent = client
            .send(Metadata::file(name, None, Some(size)), reader, &options)
            .await;
        progress.finish_and_clear();
        sent?
    } else if let Some(text) = &args.text {
        client.send_text(text, &options).await?
    } else {
        if std::io::stdin().is_terminal() {
            return Err(usage(
                "nothing to send: give the text as an argument, pipe it to stdin, or use --file",
            ));
        }
        let mut stdin = tokio::io::stdin();
        let mut head = Zeroizing::new(Vec::new());
        (&mut stdin)
            .take(STDIN_TEXT_LIMIT as u64 + 1)
            .read_to_end(&mut head)
            .await
            .context("cannot read stdin")?;
        if head.is_empty() {
            return Err(usage("nothing to send: stdin was empty"));
        }
        if head.len() <= STDIN_TEXT_LIMIT {
            if let Ok(text) = std::str::from_utf8(&head) {
                // `echo secret | wisp send` should send "secret", not "secret\n".
                let text = text
                    .strip_suffix('\n')
                    .map(|t| t.strip_suffix('\r').unwrap_or(t))
                    .unwrap_or(text);
                let sent = client.send_text(text, &options).await?;
                return Ok(out.sent(&sent, args.qr));
            }
        }
        // Large or binary input: stream it without holding it in memory.
        let rest = std::io::Cursor::new(std::mem::take(&mut *head)).chain(stdin);
        client
            .send(Metadata::file("stdin", None, None), rest, &options)
            .await?
    };
    Ok(out.sent(&sent, args.qr))
}

async fn get(client: &Client, args: GetArgs, out: &Out) -> Result<Exit, Failure> {
    let links = args
        .links
        .iter()
        .map(|l| Link::parse(l))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| usage(e.to_string()))?;
    let id = links[0].secret_id().as_str().to_owned();
    let client = if client.base() == links[0].base() {
        client.clone()
    } else {
        Client::new(links[0].base(), None)?
    };
    let status = client.status(&id).await?;
    if !args.yes {
        out.status(&status);
        return Ok(Exit::Ok);
    }
    let passphrase = match args::passphrase(&args.passphrase).map_err(usage)? {
        Some(p) => Some(p),
        None if status.needs_passphrase && std::io::stdin().is_terminal() => {
            Some(SecretString::from(
                rpassword::prompt_password("Passphrase: ").context("cannot read the passphrase")?,
            ))
        }
        None if status.needs_passphrase => {
            return Err(Failure {
                exit: Exit::Denied,
                message:
                    "this secret needs a passphrase: use --passphrase-env or --passphrase-file"
                        .into(),
            })
        }
        None => None,
    };
    let revealed = client.reveal(&links, passphrase.as_ref()).await?;
    let metadata = revealed.metadata.clone();
    let is_text = metadata.kind == wisp_crypto::ContentKind::Text;
    if is_text && args.output.is_none() {
        let bytes = wisp_crypto::async_io::read_to_end(revealed.content)
            .await
            .map_err(ClientError::from)?;
        let text = String::from_utf8_lossy(&bytes);
        out.text(&text);
        return Ok(Exit::Ok);
    }
    let path = match &args.output {
        Some(p) => p.clone(),
        None => std::path::PathBuf::from(metadata.safe_file_name()),
    };
    let written = save(revealed.content, &path, metadata.size, out).await?;
    out.saved(&path, written, &metadata);
    Ok(Exit::Ok)
}

/// Streams into `path` through a temporary file renamed only once the whole payload
/// authenticated: a cut or tampered download never leaves a plausible-looking file.
async fn save(
    mut content: wisp_crypto::async_io::PipelineReader,
    path: &std::path::Path,
    size: Option<u64>,
    out: &Out,
) -> Result<u64, Failure> {
    use tokio::io::AsyncWriteExt;
    if path.exists() {
        return Err(usage(format!(
            "{} already exists; choose another name with --output",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let temp = dir.join(format!(
        ".{}.wisp-partial",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let progress = out.progress(size.unwrap_or(0), "downloading and decrypting");
    let result = async {
        let mut file = tokio::fs::File::create(&temp).await?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = content.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            file.write_all(&buf[..n]).await?;
            total += n as u64;
            progress.set_position(total);
        }
        file.sync_all().await?;
        tokio::fs::rename(&temp, path).await?;
        Ok::<u64, std::io::Error>(total)
    }
    .await;
    progress.finish_and_clear();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Failure::from(ClientError::Crypto(wisp_crypto::Error::from_io(e)))
    })
}

/// A file name from a sender is untrusted: keep the last component, drop control characters.
/// `status`/`burn`/`watch` take the sender's metadata key; a pasted link would otherwise
/// reach the server as a path and come back as a puzzling 404.
fn not_a_link(key: &str, command: &str) -> Result<(), Failure> {
    if key.contains("://") || key.contains('#') || key.contains('/') {
        return Err(usage(format!(
            "`wisp {command}` takes the metadata key printed by `wisp send`, not a link. \
             To check a link without opening it: wisp get LINK"
        )));
    }
    Ok(())
}

async fn watch(
    client: &Client,
    key: &str,
    timeout: Option<std::time::Duration>,
    out: &Out,
) -> Result<Exit, Failure> {
    let follow = async {
        let mut backoff = std::time::Duration::from_millis(500);
        loop {
            // Push first; if the stream breaks, fall back to one receipt read, then retry.
            if let Ok(mut events) = client.watch(&[key.to_owned()]).await {
                while let Some(event) = events.next().await {
                    let Ok(event) = event else { break };
                    if let Some(exit) = outcome(&event.receipt) {
                        return Ok((exit, event.receipt));
                    }
                }
            }
            let receipt = client.receipt(key).await?;
            if let Some(exit) = outcome(&receipt) {
                return Ok((exit, receipt));
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(std::time::Duration::from_secs(30));
        }
    };
    let result: Result<(Exit, wisp_api::Receipt), ClientError> = match timeout {
        Some(t) => match tokio::time::timeout(t, follow).await {
            Ok(r) => r,
            Err(_) => {
                return Err(Failure {
                    exit: Exit::Timeout,
                    message: "timed out before the secret was viewed".into(),
                })
            }
        },
        None => follow.await,
    };
    let (exit, receipt) = result?;
    out.receipt(&receipt);
    Ok(exit)
}

fn outcome(receipt: &wisp_api::Receipt) -> Option<Exit> {
    match receipt.state {
        wisp_api::ReceiptState::Pending => None,
        wisp_api::ReceiptState::Viewed => Some(Exit::Ok),
        wisp_api::ReceiptState::Burned => Some(Exit::Burned),
        wisp_api::ReceiptState::Expired => Some(Exit::Expired),
    }
}
