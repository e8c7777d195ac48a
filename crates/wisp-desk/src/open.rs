//! Received links: read the status without spending a view, then reveal on request — text
//! into memory (zeroized after it is handed over), files streamed to where the user chose,
//! visible under their final name only once fully decrypted and authenticated.

use std::future::Future;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use tokio::io::AsyncWriteExt;
use wisp_client::Client;
use wisp_crypto::{ContentKind, Link, LinkSecret};

use crate::views::{LinkStatus, RevealOutcome, SavedFile};
use crate::{DeskError, ErrorCode};

/// Parses pasted links: one per line or separated by spaces; empty lines ignored.
pub fn parse_links(input: &[String]) -> Result<Vec<Link>, DeskError> {
    let links: Vec<Link> = input
        .iter()
        .flat_map(|chunk| chunk.split_whitespace())
        .map(|text| {
            Link::parse(text).map_err(|_| {
                DeskError::invalid(
                    "That is not a Wisp link: it should look like https://server/s/ID#KEY. Copy the whole link, including the part after #.",
                )
                .keyed("error.notALink")
            })
        })
        .collect::<Result<_, _>>()?;
    let Some(first) = links.first() else {
        return Err(DeskError::invalid("Paste a Wisp link first.").keyed("error.pasteLink"));
    };
    if links
        .iter()
        .any(|l| l.secret_id() != first.secret_id() || l.base() != first.base())
    {
        return Err(DeskError::invalid(
            "These links point at different secrets: open them one at a time.",
        )
        .keyed("error.differentSecrets"));
    }
    Ok(links)
}

fn parts(links: &[Link]) -> (u8, u8) {
    let mut ordinals = Vec::new();
    let mut needed = 1;
    for link in links {
        match link.secret() {
            LinkSecret::Key(_) => return (1, 1),
            LinkSecret::Part(p) => {
                needed = p.needed();
                if !ordinals.contains(&p.ordinal()) {
                    ordinals.push(p.ordinal());
                }
            }
        }
    }
    (needed, ordinals.len().min(u8::MAX as usize) as u8)
}

/// The status of the secret behind `links` (never spends a view).
pub(crate) async fn inspect(links: &[Link]) -> Result<LinkStatus, DeskError> {
    let first = links
        .first()
        .ok_or_else(|| DeskError::invalid("Paste a Wisp link first.").keyed("error.pasteLink"))?;
    let client = Client::new(first.base(), None)?;
    let (parts_needed, parts_given) = parts(links);
    let status = match client.status(first.secret_id().as_str()).await {
        Ok(status) => status,
        Err(e) => {
            let e = DeskError::from(e);
            if e.code != ErrorCode::Unavailable {
                return Err(e);
            }
            return Ok(LinkStatus {
                id: first.secret_id().as_str().to_owned(),
                available: false,
                kind: None,
                size: None,
                needs_passphrase: false,
                parts_needed,
                parts_given,
                views_left: None,
                expires_at: None,
            });
        }
    };
    Ok(LinkStatus {
        id: status.id,
        available: true,
        kind: None,
        size: Some(status.size),
        needs_passphrase: status.needs_passphrase,
        parts_needed: status.split.map_or(parts_needed, |s| s.needed),
        parts_given,
        views_left: status.views_left,
        expires_at: Some(crate::desk::rfc3339(status.expires_at)),
    })
}

/// Reveals: text comes back; a file goes to the path `choose` returns for the sender's
/// (sanitised) file name — `None` from `choose` discards it.
pub(crate) async fn reveal<C, F>(
    links: &[Link],
    passphrase: Option<SecretString>,
    choose: C,
) -> Result<RevealOutcome, DeskError>
where
    C: FnOnce(String) -> F,
    F: Future<Output = Option<PathBuf>>,
{
    let first = links
        .first()
        .ok_or_else(|| DeskError::invalid("Paste a Wisp link first.").keyed("error.pasteLink"))?;
    let client = Client::new(first.base(), None)?;
    let revealed = client.reveal(links, passphrase.as_ref()).await?;
    let views_left = revealed.views_left;
    match revealed.metadata.kind {
        ContentKind::Text => {
            let bytes = wisp_crypto::async_io::read_to_end(revealed.content)
                .await
                .map_err(DeskError::from)?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| {
                    DeskError::new(ErrorCode::Server, "The secret is not valid text.")
                        .keyed("error.notText")
                })?
                .to_owned();
            Ok(RevealOutcome::Text { text, views_left })
        }
        ContentKind::File => {
            let name = revealed.metadata.safe_file_name();
            let Some(path) = choose(name.clone()).await else {
                return Ok(RevealOutcome::File {
                    file: None,
                    views_left,
                });
            };
            let size = save_stream(revealed.content, &path).await?;
            Ok(RevealOutcome::File {
                file: Some(SavedFile {
                    path: path.display().to_string(),
                    name,
                    size,
                    views_left,
                }),
                views_left,
            })
        }
    }
}

/// Streams decrypted content to a temporary file beside `path`, renamed into place only
/// after the last segment authenticated; on any error the temporary file is removed.
pub(crate) async fn save_stream<R>(mut content: R, path: &Path) -> Result<u64, DeskError>
where
    R: tokio::io::AsyncRead + Unpin,
{
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(
        ".{}.wisp-partial",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let result = async {
        let mut file = tokio::fs::File::create(&temp).await?;
        let size = tokio::io::copy(&mut content, &mut file).await?;
        file.flush().await?;
        file.sync_all().await?;
        tokio::fs::rename(&temp, path).await?;
        Ok::<u64, std::io::Error>(size)
    }
    .await;
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        DeskError::from(wisp_crypto::Error::from_io(e))
    })
}

/// A file name from a sender is untrusted: keep the last component, drop control characters
/// and leading dots.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_links_are_checked() {
        assert_eq!(
            parse_links(&["".into()]).expect_err("empty").code,
            ErrorCode::InvalidInput
        );
        let err = parse_links(&["https://example.com/not-a-link".into()]).expect_err("bad");
        assert!(err.message.contains("Wisp link"));
    }
}
