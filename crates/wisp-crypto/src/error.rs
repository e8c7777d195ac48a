//! The one error type of the crypto core, with a stable machine-readable code per variant.
//!
//! Every variant is a failure a caller can act on differently: ask again for
//! the passphrase, ask for more parts, tell the user the download was cut
//! short, or report a corrupt or hostile payload. The codes returned by
//! [`Error::code`] are part of Wisp's public contract: the test-vector files,
//! the IPC layer and the CLI's JSON output use them, so they never change.

use std::io;

/// Everything that can go wrong while sealing or opening a Wisp payload or link.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes do not start with Wisp's payload magic: not a Wisp payload at all.
    #[error("this is not a Wisp payload")]
    NotAPayload,

    /// The payload or link was made by a newer Wisp with a format version this build cannot read.
    #[error("format version {0} is not supported by this version of Wisp")]
    UnsupportedVersion(u8),

    /// A header field is outside the bounds this implementation accepts
    /// (for example Argon2 memory above 1 GiB): refused before any work is done.
    #[error("the payload header asks for unacceptable parameters: {0}")]
    AbsurdParameters(&'static str),

    /// The payload ends before its final segment: the download or upload was cut short.
    #[error("the payload is truncated: it ends before its final segment")]
    Truncated,

    /// More data follows the segment marked as final.
    #[error("the payload has data after its final segment")]
    TrailingData,

    /// A segment that authenticates at another position was found at this one.
    #[error(
        "segment {found} of the payload was found at position {position}: segments were reordered"
    )]
    SegmentOutOfOrder {
        /// Where the segment was found in the stream.
        position: u32,
        /// The position it was encrypted for.
        found: u32,
    },

    /// A segment failed authentication: the ciphertext was modified or damaged.
    #[error("segment {index} of the payload is corrupted (authentication failed)")]
    SegmentCorrupted {
        /// Zero-based index of the segment that failed.
        index: u32,
    },

    /// The payload is too large for the 32-bit segment counter.
    #[error("the payload is too large for format version 1")]
    TooLarge,

    /// The link key does not open this payload (no passphrase is involved).
    #[error("this link's key does not open the secret")]
    WrongKey,

    /// The payload needs a passphrase and none was given.
    #[error("this secret is protected by a passphrase")]
    PassphraseRequired,

    /// The passphrase, combined with the link key, does not open the payload.
    #[error("the passphrase is wrong")]
    WrongPassphrase,

    /// The encrypted metadata block is malformed (after successful authentication,
    /// so only a buggy or hostile sender produces this).
    #[error("the payload's metadata is invalid: {0}")]
    InvalidMetadata(String),

    /// Padding after the content is not all zero bytes.
    #[error("the payload's padding is invalid")]
    InvalidPadding,

    /// The content source produced a different number of bytes than declared in the metadata.
    #[error("the content was {actual} bytes long, but {declared} bytes were declared")]
    ContentLength {
        /// Size declared in the metadata.
        declared: u64,
        /// Bytes actually read (stops counting one past the declared size).
        actual: u64,
    },

    /// The header given to [`crate::Opener`] differs from the one at the start of the payload.
    #[error("the payload does not match the header it was opened with")]
    HeaderMismatch,

    /// A link, fragment, secret id or reveal proof could not be parsed.
    #[error("invalid link: {0}")]
    InvalidLink(&'static str),

    /// A split-link part is malformed.
    #[error("invalid link part: {0}")]
    InvalidPart(&'static str),

    /// Split parameters outside 2 ≤ K ≤ N ≤ 10.
    #[error("cannot split into {n} parts with {k} needed: use 2 ≤ needed ≤ parts ≤ 10")]
    InvalidSplit {
        /// Parts needed.
        k: u8,
        /// Parts made.
        n: u8,
    },

    /// Fewer parts than the threshold: nothing can be learned yet.
    #[error("{needed} parts of this link are needed to open it, {have} given")]
    NotEnoughParts {
        /// The threshold K.
        needed: u8,
        /// Distinct parts given.
        have: u8,
    },

    /// The same part was given twice.
    #[error("part {0} was given more than once")]
    DuplicatePart(u8),

    /// The parts belong to different secrets or different splits.
    #[error("these parts do not belong to the same split link")]
    PartsMismatch,

    /// Argon2 refused its inputs (only possible with parameters outside its own limits).
    #[error("passphrase key derivation failed: {0}")]
    Kdf(String),

    /// Reading the source or writing the destination failed.
    #[error("I/O error: {0}")]
    Io(#[source] io::Error),
}

impl Error {
    /// A stable, snake_case identifier for this failure (used in test vectors, IPC and CLI JSON).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotAPayload => "not_a_payload",
            Error::UnsupportedVersion(_) => "unsupported_version",
            Error::AbsurdParameters(_) => "absurd_parameters",
            Error::Truncated => "truncated",
            Error::TrailingData => "trailing_data",
            Error::SegmentOutOfOrder { .. } => "segment_out_of_order",
            Error::SegmentCorrupted { .. } => "segment_corrupted",
            Error::TooLarge => "too_large",
            Error::WrongKey => "wrong_key",
            Error::PassphraseRequired => "passphrase_required",
            Error::WrongPassphrase => "wrong_passphrase",
            Error::InvalidMetadata(_) => "invalid_metadata",
            Error::InvalidPadding => "invalid_padding",
            Error::ContentLength { .. } => "content_length",
            Error::HeaderMismatch => "header_mismatch",
            Error::InvalidLink(_) => "invalid_link",
            Error::InvalidPart(_) => "invalid_part",
            Error::InvalidSplit { .. } => "invalid_split",
            Error::NotEnoughParts { .. } => "not_enough_parts",
            Error::DuplicatePart(_) => "duplicate_part",
            Error::PartsMismatch => "parts_mismatch",
            Error::Kdf(_) => "kdf",
            Error::Io(_) => "io",
        }
    }

    /// Recovers a crypto error that travelled through an `io::Error` (from the `Read` adapters).
    pub fn from_io(err: io::Error) -> Self {
        if err.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            if let Some(inner) = err.into_inner() {
                if let Ok(own) = inner.downcast::<Error>() {
                    return *own;
                }
            }
            // Unreachable in practice: `is::<Error>()` was true above.
            return Error::Io(io::Error::other("lost crypto error"));
        }
        if err.kind() == io::ErrorKind::UnexpectedEof {
            return Error::Truncated;
        }
        Error::Io(err)
    }

    /// Wraps this error for transport through `std::io::Read`/`Write`.
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            Error::Io(e) => e,
            other => io::Error::other(other),
        }
    }
}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::from_io(err)
    }
}

/// Result alias for the crypto core.
pub type Result<T, E = Error> = std::result::Result<T, E>;
