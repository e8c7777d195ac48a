//! The types that cross IPC between the Rust core and the UI. With feature `ts` each one
//! exports its TypeScript twin to `ui/src/bindings` (checked for drift in CI). Times are
//! RFC 3339 strings; byte counts are numbers (exact up to 2^53).

use serde::{Deserialize, Serialize};

/// Declares view types with the derives they all share.
macro_rules! view {
    ($($item:item)*) => {$(
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        $item
    )*};
}

view! {
    /// Which API an account's server speaks.
    #[serde(rename_all = "snake_case")]
    pub enum ServerKind {
        /// Wisp.
        Wisp,
        /// Onetime Secret.
        OnetimeSecret,
        /// Burn the Secret.
        BurnTheSecret,
        /// SecLink.
        Seclink,
        /// Seecret.it.
        Seecretit,
    }

    /// An account as the UI sees it: never the token itself.
    pub struct AccountView {
        /// Id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Server kind.
        pub kind: ServerKind,
        /// Base URL.
        pub url: String,
        /// Whether it is the default account.
        pub is_default: bool,
        /// Whether a token is stored in the keyring.
        pub has_token: bool,
        /// Default lifetime (seconds).
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        pub default_ttl_secs: Option<u64>,
        /// Default view limit (0 = unlimited).
        pub default_max_views: Option<u32>,
        /// Notifications on.
        pub notifications: bool,
        /// The API takes plaintext: label it "server can read content".
        pub server_reads_content: bool,
        /// What the account's kind of server supports (the send screen offers only these).
        pub features: KindFeatures,
    }

    /// What a kind of server supports.
    pub struct KindFeatures {
        /// A passphrase can protect a secret.
        pub passphrase: bool,
        /// The view limit can be chosen (else every secret opens once).
        pub max_views: bool,
        /// Largest view limit.
        pub max_views_limit: u32,
        /// Unlimited views are possible.
        pub unlimited_views: bool,
        /// Links can be split in parts.
        pub split: bool,
        /// Files can be sent.
        pub files: bool,
        /// The server can e-mail the link to a recipient.
        pub recipient_email: bool,
        /// A note can be kept with the secret.
        pub note: bool,
        /// The server can list the account's secrets.
        pub list: bool,
        /// The sender is told when a secret is viewed.
        pub receipts: bool,
        /// The server pushes changes (else they are polled).
        pub push: bool,
        /// The sender can burn a secret.
        pub burn: bool,
        /// A received link's status can be read without opening it.
        pub link_status: bool,
        /// The server receives the content in the clear.
        pub server_reads_content: bool,
        /// Shortest lifetime (seconds).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub min_ttl_secs: u64,
        /// Longest lifetime (seconds).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub max_ttl_secs: u64,
        /// The only lifetimes the API takes (seconds), when it has such a list.
        #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
        pub ttl_choices: Vec<u64>,
    }

    /// One of an account's secrets as its server lists it.
    pub struct ServerSecret {
        /// Id on the server.
        pub id: String,
        /// State.
        pub state: SecretState,
        /// Views used, when the server says.
        pub views: Option<u32>,
        /// View limit (`null`: unlimited or unknown).
        pub max_views: Option<u32>,
        /// Created, when the server says.
        pub created_at: Option<String>,
        /// Expires, when the server says.
        pub expires_at: Option<String>,
        /// The sender's note, when the server keeps one.
        pub note: Option<String>,
        /// Whether this machine's history has it.
        pub in_history: bool,
    }

    /// Add or edit an account. `token`: `null` keeps the stored token, `""` removes it.
    pub struct AccountInput {
        /// Name.
        pub name: String,
        /// Server kind.
        pub kind: ServerKind,
        /// Base URL.
        pub url: String,
        /// API token (see above).
        pub token: Option<String>,
        /// Default lifetime (seconds).
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        pub default_ttl_secs: Option<u64>,
        /// Default view limit (0 = unlimited).
        pub default_max_views: Option<u32>,
        /// Notifications on.
        pub notifications: bool,
    }

    /// The result of testing an account's connection.
    pub struct ConnectionReport {
        /// The server answered as the account's kind of server.
        pub reachable: bool,
        /// The token was accepted (false for anonymous accounts).
        pub authenticated: bool,
        /// The server's version, when it says.
        pub server_version: Option<String>,
        /// A sentence for the user (English).
        pub message: String,
        /// The UI's dictionary key for `message`, when it has one.
        pub key: Option<String>,
        /// Values of the key's placeholders.
        pub vars: std::collections::BTreeMap<String, String>,
    }

    /// K-of-N split.
    pub struct SplitInput {
        /// Parts needed to open.
        pub needed: u8,
        /// Parts made.
        pub total: u8,
    }

    /// How to send: `null` fields take the account's (then the app's) defaults.
    /// `max_views`: `0` means unlimited.
    pub struct SendRequest {
        /// Account id (the default account when `null`).
        pub account_id: Option<String>,
        /// Lifetime in seconds.
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        pub ttl_secs: Option<u64>,
        /// View limit (0 = unlimited).
        pub max_views: Option<u32>,
        /// Passphrase.
        pub passphrase: Option<String>,
        /// Split the link.
        pub split: Option<SplitInput>,
        /// Creator note.
        pub note: Option<String>,
        /// Have the server e-mail the recipient.
        pub recipient_email: Option<String>,
        /// Keep the link(s) in the local history.
        pub keep_link: bool,
    }

    /// One link to hand to a recipient (or one part of a split link).
    pub struct LinkView {
        /// The full link, key in the fragment.
        pub url: String,
        /// QR code of the link, as SVG.
        pub qr_svg: String,
        /// "Part 1 of 3", or empty.
        pub label: String,
    }

    /// A secret that was just sent: its links are shown once.
    pub struct SentSecret {
        /// Its history id.
        pub history_id: String,
        /// Link(s).
        pub links: Vec<LinkView>,
        /// Expiry.
        pub expires_at: String,
        /// View limit (`null` = unlimited).
        pub max_views: Option<u32>,
    }

    /// A file or folder the user dropped or picked; `token` names it in later commands.
    pub struct DroppedFile {
        /// Opaque handle.
        pub token: String,
        /// File or folder name.
        pub name: String,
        /// Bytes (sum of the files for a folder).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub size: u64,
        /// A folder (sent as one .tar).
        pub is_dir: bool,
        /// Files inside (1 for a file).
        pub file_count: u32,
        /// Larger than the default account accepts.
        pub too_large: bool,
    }

    /// Event `transfer-progress`: bytes of plaintext read so far for one upload.
    pub struct TransferProgress {
        /// The transfer.
        pub transfer_id: String,
        /// Bytes done.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub done: u64,
        /// Bytes in all, when known.
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        pub total: Option<u64>,
    }

    /// Lifecycle of a sent secret.
    #[serde(rename_all = "snake_case")]
    pub enum SecretState {
        /// Not viewed yet.
        Pending,
        /// Viewed.
        Viewed,
        /// Burned.
        Burned,
        /// Expired.
        Expired,
    }

    /// Why a secret burned, as its server said.
    #[serde(rename_all = "snake_case")]
    pub enum BurnReason {
        /// Its sender burned it.
        Sender,
        /// A recipient burned it after viewing.
        Recipient,
        /// Too many wrong passphrases (each from someone holding the link).
        WrongPassphrase,
        /// Too many wrong reveal proofs on an older (v1) secret: wrong link or passphrase.
        WrongProof,
        /// Abuse reports reached the server operator's threshold.
        Reports,
    }

    /// What a secret holds.
    #[serde(rename_all = "snake_case")]
    pub enum ContentKind {
        /// Text.
        Text,
        /// A file.
        File,
    }

    /// One secret sent from this machine.
    pub struct HistoryItem {
        /// Secret id.
        pub id: String,
        /// Account id.
        pub account_id: String,
        /// Account name (empty when the account was removed).
        pub account_name: String,
        /// Text or file.
        pub kind: ContentKind,
        /// File name, or empty.
        pub label: String,
        /// Creator note.
        pub note: Option<String>,
        /// Plaintext bytes.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub size: u64,
        /// Created.
        pub created_at: String,
        /// Expires.
        pub expires_at: String,
        /// View limit (`null` = unlimited).
        pub max_views: Option<u32>,
        /// Views used.
        pub views: u32,
        /// State.
        pub state: SecretState,
        /// The link(s), when kept.
        pub links: Option<Vec<String>>,
        /// Why it burned, when its server said (`null` otherwise, and for other states).
        pub burn_reason: Option<BurnReason>,
        /// Wrong passphrase attempts its server counted (with `burn_reason`
        /// `wrong_passphrase`: how many burned it).
        pub wrong_attempts: u32,
    }

    /// Which history entries to list.
    pub struct HistoryFilter {
        /// Only this account.
        pub account_id: Option<String>,
        /// Only this state.
        pub state: Option<SecretState>,
    }

    /// What a received link points at, read without spending a view.
    pub struct LinkStatus {
        /// Secret id.
        pub id: String,
        /// Still there.
        pub available: bool,
        /// Text or file (known only after the reveal, so `null` here for now).
        pub kind: Option<ContentKind>,
        /// Stored size (padded, so approximate).
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        pub size: Option<u64>,
        /// A passphrase is needed.
        pub needs_passphrase: bool,
        /// Parts needed (1 for a whole link).
        pub parts_needed: u8,
        /// Distinct parts given.
        pub parts_given: u8,
        /// Views left (`null` = unlimited).
        pub views_left: Option<u32>,
        /// Expiry.
        pub expires_at: Option<String>,
    }

    /// What a reveal gave: text to show, or a file saved where the user chose (`file` is
    /// `null` when the user discarded it at the save dialog).
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum RevealOutcome {
        /// A text secret.
        Text {
            /// The text.
            text: String,
            /// Views left after this one.
            views_left: Option<u32>,
        },
        /// A file secret.
        File {
            /// Where it was saved.
            file: Option<SavedFile>,
            /// Views left after this one.
            views_left: Option<u32>,
        },
    }

    /// A revealed file, written where the user chose.
    pub struct SavedFile {
        /// Where.
        pub path: String,
        /// The sender's file name.
        pub name: String,
        /// Bytes written.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub size: u64,
        /// Views left after this one.
        pub views_left: Option<u32>,
    }

    /// Colour theme.
    #[serde(rename_all = "snake_case")]
    pub enum Theme {
        /// Follow the OS.
        System,
        /// Light.
        Light,
        /// Dark.
        Dark,
    }

    /// App-wide preferences (stored in the config dir, never secret).
    pub struct Settings {
        /// Default lifetime (seconds).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub default_ttl_secs: u64,
        /// Default view limit (0 = unlimited).
        pub default_max_views: u32,
        /// Clear copied secrets and links from the clipboard after this many seconds (0 = never).
        pub clipboard_clear_secs: u32,
        /// Theme.
        pub theme: Theme,
        /// "system" or a language tag (en, fr, es, ru).
        pub language: String,
        /// Keep links in the history by default.
        pub keep_links: bool,
        /// Closing the window keeps Wisp running in the tray.
        pub close_to_tray: bool,
        /// Global shortcut for sharing the clipboard ("" = none), e.g. "Ctrl+Alt+S".
        pub quick_share_shortcut: String,
        /// Look for an update when the app starts.
        pub check_updates: bool,
        /// Where updates are announced (https, or http on loopback).
        pub update_endpoint: String,
        /// No desktop notifications for now, for any account (the history still updates).
        pub pause_notifications: bool,
        /// Largest upload the default account accepts (read-only).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        pub max_upload_bytes: u64,
    }

    /// Where the UI should go when the app is asked from outside (a link opened in another
    /// app, a notification or tray item clicked).
    #[serde(tag = "to", rename_all = "snake_case")]
    pub enum Navigation {
        /// Open received link(s): status first, reveal on click.
        Links {
            /// The links (whole, or the parts of a split link).
            links: Vec<String>,
        },
        /// Show a secret in the history.
        Secret {
            /// Its history id.
            id: String,
        },
        /// Check for updates and offer what is found.
        Updates,
    }

    /// An update the user can install.
    pub struct UpdateOffer {
        /// The new version.
        pub version: String,
        /// This version.
        pub current_version: String,
        /// Release notes (may be empty).
        pub notes: String,
        /// Publication date (RFC 3339, may be empty).
        pub date: String,
    }

    /// What installing an update did.
    #[serde(rename_all = "snake_case")]
    pub enum Installed {
        /// Installed; Wisp restarts now.
        Restarting,
        /// Downloaded and its signature verified, but this copy of Wisp was not installed
        /// from a package (a development build): the package manager must install it.
        VerifiedOnly,
    }

    /// Every command error crosses IPC as `{code, message, key?, vars?}`: `message` is a human
    /// sentence in English, `key` + `vars` the same sentence for the UI's dictionaries.
    pub struct CommandError {
        /// Stable code.
        pub code: crate::ErrorCode,
        /// For people (English): the fallback when `key` is absent or unknown to the UI.
        pub message: String,
        /// The UI dictionary key of a known error ("error.…"), to show it localised.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        pub key: Option<String>,
        /// Values for the key's `{placeholders}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        pub vars: Option<std::collections::BTreeMap<String, String>>,
    }
}

impl From<wisp_accounts::ServerKind> for ServerKind {
    fn from(kind: wisp_accounts::ServerKind) -> Self {
        use wisp_accounts::ServerKind as K;
        match kind {
            K::Wisp => ServerKind::Wisp,
            K::OnetimeSecret => ServerKind::OnetimeSecret,
            K::BurnTheSecret => ServerKind::BurnTheSecret,
            K::Seclink => ServerKind::Seclink,
            K::Seecretit => ServerKind::Seecretit,
        }
    }
}

impl From<ServerKind> for wisp_accounts::ServerKind {
    fn from(kind: ServerKind) -> Self {
        use wisp_accounts::ServerKind as K;
        match kind {
            ServerKind::Wisp => K::Wisp,
            ServerKind::OnetimeSecret => K::OnetimeSecret,
            ServerKind::BurnTheSecret => K::BurnTheSecret,
            ServerKind::Seclink => K::Seclink,
            ServerKind::Seecretit => K::Seecretit,
        }
    }
}

impl From<wisp_history::SecretState> for SecretState {
    fn from(state: wisp_history::SecretState) -> Self {
        use wisp_history::SecretState as S;
        match state {
            S::Pending => SecretState::Pending,
            S::Viewed => SecretState::Viewed,
            S::Burned => SecretState::Burned,
            S::Expired => SecretState::Expired,
        }
    }
}

impl From<SecretState> for wisp_history::SecretState {
    fn from(state: SecretState) -> Self {
        use wisp_history::SecretState as S;
        match state {
            SecretState::Pending => S::Pending,
            SecretState::Viewed => S::Viewed,
            SecretState::Burned => S::Burned,
            SecretState::Expired => S::Expired,
        }
    }
}

impl From<wisp_history::BurnReason> for BurnReason {
    fn from(reason: wisp_history::BurnReason) -> Self {
        use wisp_history::BurnReason as R;
        match reason {
            R::Sender => BurnReason::Sender,
            R::Recipient => BurnReason::Recipient,
            R::WrongPassphrase => BurnReason::WrongPassphrase,
            R::WrongProof => BurnReason::WrongProof,
            R::Reports => BurnReason::Reports,
        }
    }
}

impl From<wisp_history::ContentKind> for ContentKind {
    fn from(kind: wisp_history::ContentKind) -> Self {
        match kind {
            wisp_history::ContentKind::Text => ContentKind::Text,
            wisp_history::ContentKind::File => ContentKind::File,
        }
    }
}

impl From<wisp_providers::KindFeatures> for KindFeatures {
    fn from(f: wisp_providers::KindFeatures) -> Self {
        KindFeatures {
            passphrase: f.passphrase,
            max_views: f.max_views,
            max_views_limit: f.max_views_limit,
            unlimited_views: f.unlimited_views,
            split: f.split,
            files: f.files,
            recipient_email: f.recipient_email,
            note: f.note,
            list: f.list,
            receipts: f.receipts,
            push: f.push,
            burn: f.burn,
            link_status: f.link_status,
            server_reads_content: f.server_reads_content,
            min_ttl_secs: f.min_ttl_secs,
            max_ttl_secs: f.max_ttl_secs,
            ttl_choices: f.ttl_choices,
        }
    }
}

impl From<wisp_providers::State> for SecretState {
    fn from(state: wisp_providers::State) -> Self {
        use wisp_providers::State as S;
        match state {
            S::Pending => SecretState::Pending,
            S::Viewed => SecretState::Viewed,
            S::Burned => SecretState::Burned,
            S::Expired => SecretState::Expired,
        }
    }
}
