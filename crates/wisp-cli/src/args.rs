//! Command-line arguments in two stages: what clap parses ([`Cli`]), then what the commands
//! need ([`Checked`] values), so every "does this make sense" check lives in one place and
//! fails with exit code 2 and a sentence.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;

use crate::exit::TABLE;

const EXAMPLES: &str = "Examples:
  wisp send 'hunter2'                                 one view, 1 day (server default)
  echo \"$DB_PASSWORD\" | wisp send --ttl 1h           from stdin
  wisp send --file backup.tar.gz --views 3 --qr       a file, three views, QR code
  WISP_PASSPHRASE=s3cret wisp send --passphrase-env WISP_PASSPHRASE 'text'
  wisp send --split 2/3 'root password'                three part links, any two open it
  wisp get 'https://wisp.example/s/ID#KEY'            status only
  wisp get --yes 'https://wisp.example/s/ID#KEY'      reveal to stdout
  wisp get --yes -o report.pdf LINK                   save a file
  wisp send --json 'x' | jq -r .metadata_key | xargs wisp watch --timeout 10m
  printf %s \"$TOKEN\" | wisp account add work --server https://wisp.example --token-stdin
  wisp --account work send 'text'                     through a saved account

Server: --server / WISP_SERVER (token from WISP_TOKEN) wins; else --account / WISP_ACCOUNT,
else the default account (shared with the desktop app, token in the OS keyring);
else http://127.0.0.1:8787.
Accounts (and --server with --kind) of every kind work: Wisp, Onetime Secret, Burn the
Secret, SecLink, Seecret.it; each through its own API (files, split links and watch push
need Wisp; other kinds are polled). `get` recognises each kind's links by their shape.
Environment: WISP_SERVER, WISP_KIND, WISP_TOKEN, WISP_ACCOUNT, WISP_CONFIG_DIR, NO_COLOR.";

/// wisp: share self-destructing, end-to-end encrypted secrets from a terminal or a pipeline.
#[derive(Debug, Parser)]
#[command(name = "wisp", version, about, after_help = format!("{EXAMPLES}\n\n{TABLE}"))]
pub struct Cli {
    /// Server URL (overrides accounts; token from WISP_TOKEN).
    #[arg(long, global = true, env = "WISP_SERVER")]
    pub server: Option<String>,
    /// With --server: the kind of server (wisp, onetime_secret, burn_the_secret, seclink,
    /// seecretit). Onetime Secret's WISP_TOKEN is USERNAME:APITOKEN.
    #[arg(long, global = true, env = "WISP_KIND", default_value = "wisp")]
    pub kind: String,
    /// Use this saved account (name or id) instead of the default one.
    #[arg(long, global = true, env = "WISP_ACCOUNT")]
    pub account: Option<String>,
    /// Machine-readable JSON on stdout (stable schema, see README).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Encrypt and send a secret; prints its link.
    Send(SendArgs),
    /// Show a link's status; with --yes reveal it (uses one view).
    Get(GetArgs),
    /// Show a secret's receipt by its metadata key (sender side).
    Status {
        /// The metadata key printed by `send`.
        // Keys are base64url: one may begin with '-' and must not be read as a flag.
        #[arg(allow_hyphen_values = true)]
        metadata_key: String,
    },
    /// Burn a secret now by its metadata key.
    Burn {
        /// The metadata key printed by `send`.
        // Keys are base64url: one may begin with '-' and must not be read as a flag.
        #[arg(allow_hyphen_values = true)]
        metadata_key: String,
    },
    /// List the secrets of the account whose token is in WISP_TOKEN, newest first.
    List {
        /// Only secrets in this state: pending, viewed, burned or expired.
        #[arg(long)]
        state: Option<String>,
        /// At most this many (1–200).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Wait until a secret is viewed, burned or expired; the exit code says which.
    Watch {
        /// The metadata key printed by `send`.
        // Keys are base64url: one may begin with '-' and must not be read as a flag.
        #[arg(allow_hyphen_values = true)]
        metadata_key: String,
        /// Give up after this long (e.g. 30s, 10m, 2h); exit code 9.
        #[arg(long, value_parser = humantime::parse_duration)]
        timeout: Option<Duration>,
    },
    /// Saved accounts (shared with the desktop app; tokens in the OS keyring).
    #[command(subcommand)]
    Account(AccountCommand),
}

/// `wisp account …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Save an account: a name, a server, optionally an API token.
    Add {
        /// A name for the account (unique on this machine).
        name: String,
        /// The server's URL (https://, or http:// on this computer).
        #[arg(long)]
        server: String,
        /// The server's API: wisp, onetime_secret, burn_the_secret, seclink or seecretit.
        #[arg(long, default_value = "wisp")]
        kind: String,
        #[command(flatten)]
        token: TokenSource,
    },
    /// List saved accounts.
    List,
    /// Remove an account and its token.
    Remove {
        /// Name or id.
        name: String,
    },
    /// Make an account the default.
    Default {
        /// Name or id.
        name: String,
    },
}

/// Where an API token comes from: never a plain argument.
#[derive(Debug, Args)]
pub struct TokenSource {
    /// Read the API token from stdin (prompted on a terminal).
    #[arg(long, conflicts_with = "token_env")]
    pub token_stdin: bool,
    /// Read the API token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
}

/// Where a passphrase comes from: never a plain argument (it would land in shell history
/// and `ps`).
#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// Prompt for a passphrase on the terminal.
    #[arg(long, conflicts_with_all = ["passphrase_env", "passphrase_file"])]
    pub passphrase: bool,
    /// Read the passphrase from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "passphrase_file")]
    pub passphrase_env: Option<String>,
    /// Read the passphrase from the first line of this file.
    #[arg(long, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
}

/// `wisp send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The text to send. Without it, stdin is read (unless --file).
    pub text: Option<String>,
    /// Send a file instead of text.
    #[arg(long, short, conflicts_with = "text")]
    pub file: Option<PathBuf>,
    /// Lifetime, e.g. 30m, 1h, 7d (server default when omitted).
    #[arg(long, value_parser = humantime::parse_duration)]
    pub ttl: Option<Duration>,
    /// Views before it burns (1–999).
    #[arg(long, conflicts_with = "unlimited")]
    pub views: Option<u32>,
    /// No view limit: it lives until it expires.
    #[arg(long)]
    pub unlimited: bool,
    /// Split the link: K/N parts, any K open it (e.g. 2/3).
    #[arg(long, value_name = "K/N")]
    pub split: Option<String>,
    /// A note for your receipt (encrypted).
    #[arg(long)]
    pub note: Option<String>,
    /// Print a QR code of each link (terminal only).
    #[arg(long)]
    pub qr: bool,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `wisp get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The link, or every part link of a split link.
    #[arg(required = true)]
    pub links: Vec<String>,
    /// Reveal (uses one view). Without it only the status is shown.
    #[arg(long, short)]
    pub yes: bool,
    /// Write the content to this file (default for files: their own name in the current directory).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// Reads the passphrase from its source, if one was given.
pub fn passphrase(args: &PassphraseArgs) -> Result<Option<SecretString>, String> {
    if args.passphrase {
        let text = rpassword::prompt_password("Passphrase: ")
            .map_err(|e| format!("cannot read the passphrase: {e}"))?;
        return Ok(Some(SecretString::from(text)));
    }
    if let Some(var) = &args.passphrase_env {
        let text =
            std::env::var(var).map_err(|_| format!("the environment variable {var} is not set"))?;
        return Ok(Some(SecretString::from(text)));
    }
    if let Some(path) = &args.passphrase_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let line = text.lines().next().unwrap_or("").to_owned();
        return Ok(Some(SecretString::from(line)));
    }
    Ok(None)
}

/// Parses `K/N`.
pub fn split(text: &str) -> Result<wisp_api::Split, String> {
    let (k, n) = text.split_once('/').ok_or("--split takes K/N, e.g. 2/3")?;
    let needed: u8 = k
        .trim()
        .parse()
        .map_err(|_| "--split: K must be a number")?;
    let total: u8 = n
        .trim()
        .parse()
        .map_err(|_| "--split: N must be a number")?;
    if needed < 2 || total < needed || total > 10 {
        return Err("--split needs 2 ≤ K ≤ N ≤ 10".into());
    }
    Ok(wisp_api::Split { needed, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_checked() {
        assert_eq!(
            split("2/3"),
            Ok(wisp_api::Split {
                needed: 2,
                total: 3
            })
        );
        for bad in ["2", "1/3", "4/3", "2/11", "a/b"] {
            assert!(split(bad).is_err(), "{bad}");
        }
    }
}
