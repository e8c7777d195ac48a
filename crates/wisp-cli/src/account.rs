//! `wisp account …` and choosing the server: the same `accounts.toml` and OS keyring as the
//! desktop app, so an account set up in one is there in the other. In CI, where there is no
//! keyring, `WISP_SERVER` and `WISP_TOKEN` take over.

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use secrecy::SecretString;
use wisp_accounts::{AccountDraft, Accounts, KeyringVault, ServerKind};

use crate::args::{AccountCommand, TokenSource};
use crate::exit::Exit;
use crate::output::Out;
use crate::Failure;

/// The accounts of this user.
pub fn store() -> Accounts {
    Accounts::new(
        wisp_accounts::config_dir(),
        Arc::new(KeyringVault::default()),
    )
}

fn local(e: impl std::fmt::Display) -> Failure {
    Failure {
        exit: Exit::Local,
        message: e.to_string(),
    }
}

impl From<wisp_accounts::AccountError> for Failure {
    fn from(e: wisp_accounts::AccountError) -> Self {
        match e {
            wisp_accounts::AccountError::Invalid(m) => Failure {
                exit: Exit::Usage,
                message: m,
            },
            wisp_accounts::AccountError::NotFound(_) => Failure {
                exit: Exit::Usage,
                message: format!("{e} (see `wisp account list`)"),
            },
            other => local(format!(
                "{other}. Without a keyring, set WISP_SERVER and WISP_TOKEN instead."
            )),
        }
    }
}

/// Where to send: `--server`/`WISP_SERVER` (token from `WISP_TOKEN`) wins; otherwise the
/// account named by `--account`, or the default account; otherwise a local server.
pub fn resolve(
    server: Option<&str>,
    kind: &str,
    account: Option<&str>,
) -> Result<(ServerKind, String, Option<SecretString>), Failure> {
    let env_token = || {
        std::env::var("WISP_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .map(SecretString::from)
    };
    if let Some(server) = server {
        let kind: ServerKind = kind.parse().map_err(|m: String| Failure {
            exit: Exit::Usage,
            message: m,
        })?;
        return Ok((kind, server.to_owned(), env_token()));
    }
    let accounts = store();
    let book = accounts.load()?;
    let chosen = match account {
        Some(name) => Some(
            book.find(name)
                .ok_or_else(|| wisp_accounts::AccountError::NotFound(name.to_owned()))?,
        ),
        None => book.default_account(),
    };
    match chosen {
        Some(a) => {
            let token = match env_token() {
                Some(t) => Some(t),
                None => accounts.token(&a.id)?,
            };
            Ok((a.kind, a.url.clone(), token))
        }
        None => Ok((
            ServerKind::Wisp,
            "http://127.0.0.1:8787".into(),
            env_token(),
        )),
    }
}

/// Reads a token from where `source` says (never from an argument: shell history, `ps`).
fn token(source: &TokenSource) -> Result<Option<SecretString>, Failure> {
    let usage = |m: String| Failure {
        exit: Exit::Usage,
        message: m,
    };
    if let Some(var) = &source.token_env {
        let value = std::env::var(var)
            .map_err(|_| usage(format!("the environment variable {var} is not set")))?;
        return Ok(Some(SecretString::from(value.trim().to_owned())));
    }
    if source.token_stdin {
        let mut text = String::new();
        if std::io::stdin().is_terminal() {
            text = rpassword::prompt_password("API token: ")
                .map_err(|e| usage(format!("cannot read the token: {e}")))?;
        } else {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| usage(format!("cannot read the token from stdin: {e}")))?;
        }
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(usage("the token read from stdin is empty".into()));
        }
        return Ok(Some(SecretString::from(text)));
    }
    Ok(None)
}

/// Runs `wisp account …`.
pub fn run(command: AccountCommand, out: &Out) -> Result<Exit, Failure> {
    let accounts = store();
    match command {
        AccountCommand::Add {
            name,
            server,
            kind,
            token: source,
        } => {
            let kind: ServerKind = kind.parse().map_err(|m: String| Failure {
                exit: Exit::Usage,
                message: m,
            })?;
            let draft = AccountDraft {
                name,
                kind,
                url: server,
                default_ttl_secs: None,
                default_max_views: None,
                notifications: true,
            };
            let account = accounts.add(draft, token(&source)?)?;
            out.account_added(&account);
        }
        AccountCommand::List => {
            let book = accounts.load()?;
            let default = book.default_account().map(|a| a.id.clone());
            let rows: Vec<_> = book
                .accounts
                .iter()
                .map(|a| {
                    let has_token = accounts.token(&a.id).map(|t| t.is_some());
                    (a, default.as_deref() == Some(a.id.as_str()), has_token.ok())
                })
                .collect();
            out.accounts(&rows);
        }
        AccountCommand::Remove { name } => {
            let account = accounts.remove(&name)?;
            out.account_done("removed", &account);
        }
        AccountCommand::Default { name } => {
            let account = accounts.set_default(&name)?;
            out.account_done("is now the default", &account);
        }
    }
    Ok(Exit::Ok)
}
