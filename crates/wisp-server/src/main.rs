//! `wisp-server`: run the server, or manage API tokens.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use wisp_server::config::Config;

/// Wisp's self-hostable server: stores encrypted secrets it cannot read.
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    after_help = "Examples:\n  wisp-server serve\n  wisp-server --config /etc/wisp/server.toml serve\n  wisp-server token create --name laptop\n  wisp-server reports\n  wisp-server reports --burn SECRET_ID\n\nEnvironment: WISP_LISTEN, WISP_DATA_DIR, WISP_PUBLIC_URL, WISP_TRUST_PROXY, WISP_ANONYMOUS,\nWISP_MAX_PAYLOAD_BYTES, WISP_WEBHOOK_SECRET, WISP_WEBHOOKS_ALLOW_PRIVATE, WISP_SMTP_URL,\nWISP_MAIL_FROM, WISP_COUNTRY_DB, WISP_COMPAT (e.g. onetime,seclink or none), RUST_LOG (e.g. info, debug), WISP_LOG_FORMAT=json."
)]
struct Cli {
    /// TOML configuration file (environment variables override it).
    #[arg(long, short, global = true, env = "WISP_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve {
        /// Print the bound address as `listening on http://ADDR` once ready (for scripts).
        #[arg(long)]
        announce: bool,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Abuse reports filed through the SecLink layer, newest first
    /// (secret id, reporter hash, time, reason).
    Reports {
        /// Most reports to show.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Burn this reported secret now (its receipt shows burn reason `reports`).
        #[arg(long, value_name = "SECRET_ID")]
        burn: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TokenAction {
    /// Create a token; it is printed once and stored only as a hash.
    Create {
        /// A unique name, e.g. the person or machine it is for.
        #[arg(long)]
        name: String,
    },
    /// List tokens.
    List,
    /// Revoke a token by name.
    Revoke {
        /// Its name.
        #[arg(long)]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // Structured logs for log shippers with WISP_LOG_FORMAT=json; readable lines otherwise.
    if std::env::var("WISP_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve { announce: false }) {
        Command::Serve { announce } => {
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            if announce {
                println!("listening on http://{}", listener.local_addr()?);
            }
            wisp_server::serve(listener, config, shutdown_signal()).await
        }
        Command::Reports {
            limit,
            burn: Some(id),
        } => {
            let _ = limit;
            let store = wisp_server::open_store(&config)?;
            // Its payload is deleted with it; the receipt stays, with burn reason `reports`.
            match store
                .burn(&id, wisp_server::now(), wisp_api::BurnReason::Reports)
                .await?
            {
                Some(_) => eprintln!("Secret {id} burned."),
                None => anyhow::bail!("no available secret has the id {id:?}"),
            }
            Ok(())
        }
        Command::Reports { limit, burn: None } => {
            let store = wisp_server::open_store(&config)?;
            for r in store.reports(limit).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    r.secret_id,
                    r.reporter,
                    wisp_server::routes::format_time(r.at),
                    wisp_server::routes::printable(&r.reason.unwrap_or_default())
                );
            }
            Ok(())
        }
        Command::Token { action } => {
            let store = wisp_server::open_store(&config)?;
            let now = wisp_server::now();
            match action {
                TokenAction::Create { name } => {
                    let token = wisp_server::ids::random_token();
                    store
                        .create_token(&name, wisp_server::ids::sha256(&token), now)
                        .await
                        .with_context(|| format!("cannot create token {name:?}"))?;
                    println!("{token}");
                    eprintln!(
                        "Token {name:?} created. It is shown once; the server keeps only its hash."
                    );
                }
                TokenAction::List => {
                    for t in store.list_tokens().await? {
                        println!(
                            "{}\t{}",
                            t.name,
                            wisp_server::routes::format_time(t.created_at)
                        );
                    }
                }
                TokenAction::Revoke { name } => {
                    if !store.revoke_token(&name).await? {
                        anyhow::bail!("no token named {name:?}");
                    }
                    eprintln!("Token {name:?} revoked.");
                }
            }
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
