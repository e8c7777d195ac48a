//! The kinds of server an account can live on: Wisp's own API and the four services whose
//! APIs a Wisp server also speaks.

use serde::{Deserialize, Serialize};

/// Which API an account's server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerKind {
    /// Wisp's native API: end-to-end encrypted, the server never sees content.
    Wisp,
    /// Onetime Secret's v1 API.
    OnetimeSecret,
    /// Burn the Secret's API.
    BurnTheSecret,
    /// SecLink's API (client-side encrypted).
    Seclink,
    /// Seecret.it's form API.
    Seecretit,
}

impl ServerKind {
    /// Every kind, in the order the account dialog offers them.
    pub const ALL: [ServerKind; 5] = [
        ServerKind::Wisp,
        ServerKind::OnetimeSecret,
        ServerKind::BurnTheSecret,
        ServerKind::Seclink,
        ServerKind::Seecretit,
    ];

    /// The stable name used in config files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::Wisp => "wisp",
            ServerKind::OnetimeSecret => "onetime_secret",
            ServerKind::BurnTheSecret => "burn_the_secret",
            ServerKind::Seclink => "seclink",
            ServerKind::Seecretit => "seecretit",
        }
    }

    /// The product name, for people.
    pub fn label(self) -> &'static str {
        match self {
            ServerKind::Wisp => "Wisp",
            ServerKind::OnetimeSecret => "Onetime Secret",
            ServerKind::BurnTheSecret => "Burn the Secret",
            ServerKind::Seclink => "SecLink",
            ServerKind::Seecretit => "Seecret.it",
        }
    }

    /// Whether the API takes plaintext, so the server can read what is shared: such
    /// accounts are labelled "server can read content" wherever they are offered.
    pub fn server_reads_content(self) -> bool {
        matches!(
            self,
            ServerKind::OnetimeSecret | ServerKind::BurnTheSecret | ServerKind::Seecretit
        )
    }
}

impl std::fmt::Display for ServerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ServerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Spellings people type: "Seecret.it", "burn-the-secret", "OnetimeSecret".
        let wanted: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '.' | '_'))
            .collect();
        ServerKind::ALL
            .into_iter()
            .find(|k| k.as_str().replace('_', "") == wanted)
            .ok_or_else(|| {
                let names: Vec<_> = ServerKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown server kind {s:?} (one of {})", names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_accept_spellings() {
        for kind in ServerKind::ALL {
            assert_eq!(kind.as_str().parse::<ServerKind>(), Ok(kind));
        }
        assert_eq!("Seecret.it".parse(), Ok(ServerKind::Seecretit));
        assert_eq!("burn-the-secret".parse(), Ok(ServerKind::BurnTheSecret));
        assert_eq!("onetimesecret".parse(), Ok(ServerKind::OnetimeSecret));
        assert!("pastebin".parse::<ServerKind>().is_err());
    }

    #[test]
    fn only_plaintext_apis_are_flagged() {
        assert!(!ServerKind::Wisp.server_reads_content());
        assert!(!ServerKind::Seclink.server_reads_content());
        assert!(ServerKind::OnetimeSecret.server_reads_content());
    }
}
