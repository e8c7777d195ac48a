//! Wisp's own API, through `wisp-client`: the link key never leaves this process.

use secrecy::SecretString;
use wisp_accounts::ServerKind;
use wisp_client::{Client, SendOptions};
use wisp_crypto::Link;
use zeroize::Zeroizing;

use crate::{
    Checked, Created, KindFeatures, LinkInfo, Listed, Provider, ProviderError, Receipt, Result,
    Revealed, State, TextOptions,
};

pub(crate) fn features() -> KindFeatures {
    KindFeatures {
        passphrase: true,
        max_views: true,
        max_views_limit: 1000,
        unlimited_views: true,
        split: true,
        files: true,
        recipient_email: true,
        note: true,
        list: true,
        receipts: true,
        push: true,
        burn: true,
        link_status: true,
        server_reads_content: false,
        min_ttl_secs: 60,
        max_ttl_secs: 30 * 86_400,
        ttl_choices: Vec::new(),
    }
}

/// A Wisp server.
#[derive(Debug)]
pub(crate) struct Wisp {
    client: Client,
    has_token: bool,
}

impl Wisp {
    pub(crate) fn new(base: &str, token: Option<SecretString>) -> Result<Self> {
        let has_token = token.is_some();
        Ok(Wisp {
            client: Client::new(base, token)?,
            has_token,
        })
    }
}

pub(crate) fn state(s: wisp_api::ReceiptState) -> State {
    match s {
        wisp_api::ReceiptState::Pending => State::Pending,
        wisp_api::ReceiptState::Viewed => State::Viewed,
        wisp_api::ReceiptState::Burned => State::Burned,
        wisp_api::ReceiptState::Expired => State::Expired,
    }
}

pub(crate) fn parse_links(urls: &[String]) -> Result<Vec<Link>> {
    let links: Vec<Link> = urls
        .iter()
        .map(|u| Link::parse(u))
        .collect::<std::result::Result<_, _>>()?;
    if links.is_empty() {
        return Err(ProviderError::Invalid("no link given".into()));
    }
    Ok(links)
}

/// Status of Wisp link(s) on the server they name (spends nothing).
pub(crate) async fn wisp_link_status(links: &[Link]) -> Result<LinkInfo> {
    let first = &links[0];
    let client = Client::new(first.base(), None)?;
    match client.status(first.secret_id().as_str()).await {
        Ok(s) => Ok(LinkInfo {
            available: true,
            needs_passphrase: s.needs_passphrase,
            views_left: s.views_left,
            expires_at: Some(s.expires_at),
        }),
        Err(e) => match ProviderError::from(e) {
            ProviderError::Gone(_) | ProviderError::NotFound(_) => Ok(LinkInfo {
                available: false,
                needs_passphrase: false,
                views_left: Some(0),
                expires_at: None,
            }),
            other => Err(other),
        },
    }
}

/// Reveals Wisp link(s) on the server they name.
pub(crate) async fn wisp_reveal(
    links: &[Link],
    passphrase: Option<&SecretString>,
) -> Result<Revealed> {
    let client = Client::new(links[0].base(), None)?;
    let revealed = client.reveal(links, passphrase).await?;
    let file_name = match revealed.metadata.kind {
        wisp_crypto::ContentKind::File => revealed.metadata.name.clone(),
        _ => None,
    };
    let views_left = revealed.views_left;
    let content = wisp_crypto::async_io::read_to_end(revealed.content).await?;
    Ok(Revealed {
        content,
        file_name,
        views_left,
    })
}

#[async_trait::async_trait]
impl Provider for Wisp {
    fn kind(&self) -> ServerKind {
        ServerKind::Wisp
    }

    async fn check(&self) -> Result<Checked> {
        let account = self.client.account().await?;
        if self.has_token && account.anonymous {
            return Err(ProviderError::Unauthorized("the token was not used".into()));
        }
        Ok(Checked {
            authenticated: !account.anonymous,
            account_name: (!account.anonymous).then_some(account.name),
            max_payload_bytes: Some(account.limits.max_payload_bytes),
        })
    }

    async fn create_text(&self, text: &str, options: &TextOptions) -> Result<Created> {
        crate::refuse_unsupported(ServerKind::Wisp, options)?;
        let send = SendOptions {
            ttl: options.ttl_secs,
            max_views: options.max_views,
            passphrase: options.passphrase.clone(),
            split: options
                .split
                .map(|(needed, total)| wisp_api::Split { needed, total }),
            note: options.note.clone(),
            send_to: options.recipient_email.clone(),
            seal: options.seal.clone(),
            ..SendOptions::default()
        };
        let sent = self.client.send_text(text, &send).await?;
        Ok(Created {
            links: sent
                .links
                .iter()
                .map(|l| Zeroizing::new(l.expose_url().to_string()))
                .collect(),
            id: sent.created.id,
            key: sent.created.metadata_key,
            expires_at: sent.created.expires_at,
            max_views: sent.created.max_views,
        })
    }

    async fn receipts(&self, keys: &[String]) -> Result<Vec<Receipt>> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(wisp_api::MAX_BATCH_KEYS) {
            let batch = self.client.receipts(chunk).await?;
            out.extend(batch.receipts.into_iter().map(|r| Receipt {
                key: r.key,
                state: state(r.receipt.state),
                views: Some(r.receipt.views_used),
                expires_at: Some(r.receipt.expires_at),
                known: true,
            }));
            out.extend(batch.unknown.into_iter().map(|key| Receipt {
                key,
                state: State::Expired,
                views: None,
                expires_at: None,
                known: false,
            }));
        }
        Ok(out)
    }

    async fn burn(&self, key: &str) -> Result<()> {
        Ok(self.client.burn(key).await?)
    }

    async fn list(&self) -> Result<Vec<Listed>> {
        if !self.has_token {
            return Err(ProviderError::Unauthorized(
                "listing needs an API token".into(),
            ));
        }
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.client.list(None, 100, cursor.as_deref()).await?;
            out.extend(page.secrets.into_iter().map(|r| Listed {
                id: r.id,
                key: None,
                state: state(r.state),
                views: Some(r.views_used),
                max_views: r.max_views,
                created_at: Some(r.created_at),
                expires_at: Some(r.expires_at),
                note: None,
            }));
            match page.next_cursor {
                Some(c) if out.len() < 1000 => cursor = Some(c),
                _ => break,
            }
        }
        Ok(out)
    }

    async fn link_status(&self, url: &str) -> Result<LinkInfo> {
        wisp_link_status(&parse_links(&[url.to_owned()])?).await
    }

    async fn reveal(&self, urls: &[String], passphrase: Option<&SecretString>) -> Result<Revealed> {
        wisp_reveal(&parse_links(urls)?, passphrase).await
    }
}
