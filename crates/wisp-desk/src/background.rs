//! What the app does without its window: quick share (the clipboard's text with the default
//! account's defaults), the tray's recent secrets and "burn all pending".

use zeroize::Zeroizing;

use crate::views::{HistoryFilter, HistoryItem, SecretState, SendRequest, SentSecret};
use crate::{Desk, DeskError};

/// How "burn all pending" went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BurnAll {
    /// Secrets burned.
    pub burned: usize,
    /// Secrets that could not be burned (their server failed); the last error says why.
    pub failed: usize,
    /// The last failure.
    pub error: Option<DeskError>,
}

impl Desk {
    /// Sends `text` with every option at its default (the default account, its or the app's
    /// lifetime and view limit), as the tray and the global shortcut do.
    pub async fn quick_share(&self, text: Zeroizing<String>) -> Result<SentSecret, DeskError> {
        let request = SendRequest {
            account_id: None,
            ttl_secs: None,
            max_views: None,
            passphrase: None,
            split: None,
            note: None,
            recipient_email: None,
            keep_link: self.settings().keep_links,
        };
        self.send_text(text, &request).await
    }

    /// The newest `n` secrets, for the tray.
    pub fn recent(&self, n: usize) -> Result<Vec<HistoryItem>, DeskError> {
        let mut items = self.list_history(&HistoryFilter {
            account_id: None,
            state: None,
        })?;
        items.truncate(n);
        Ok(items)
    }

    /// Burns every pending secret of every account; one failure does not stop the others.
    pub async fn burn_all_pending(&self) -> Result<BurnAll, DeskError> {
        let pending = self.list_history(&HistoryFilter {
            account_id: None,
            state: Some(SecretState::Pending),
        })?;
        let mut outcome = BurnAll::default();
        for item in pending {
            match self.burn(&item.id).await {
                Ok(_) => outcome.burned += 1,
                Err(e) => {
                    outcome.failed += 1;
                    outcome.error = Some(e);
                }
            }
        }
        Ok(outcome)
    }
}
