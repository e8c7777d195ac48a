//! Receiving a payload: streamed from a multipart field into a blob, checked to start with a
//! valid Wisp header, bounded in size, and committed only when complete.

use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use wisp_api::{CreateOptions, ErrorCode};
use wisp_crypto::PayloadHeader;
use wisp_store::{BlobRef, Store};

use crate::error::{AppError, AppResult};
use crate::quota::Charge;

/// A payload committed to storage.
pub(crate) struct Uploaded {
    pub blob: BlobRef,
    pub header: Vec<u8>,
    pub size: u64,
}

/// Smallest possible payload: header without passphrase, stream header, one tag.
const MIN_PAYLOAD: u64 = 23 + 40 + 16;

pub(crate) fn multipart(result: Result<Multipart, MultipartRejection>) -> AppResult<Multipart> {
    result.map_err(|_| {
        AppError::new(
            ErrorCode::UnsupportedMediaType,
            "Secrets are uploaded as multipart/form-data.",
            "Send an `options` part (JSON) followed by a `payload` part (the encrypted bytes).",
        )
    })
}

fn bad_multipart(e: impl std::fmt::Display) -> AppError {
    AppError::invalid(
        ErrorCode::InvalidRequest,
        format!("The upload could not be read: {e}"),
    )
}

/// Which options a request named, where the typed options cannot tell (they fill defaults).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Named {
    /// `max_views` as given: absent, `null` (unlimited) or a number.
    #[serde(default, deserialize_with = "present")]
    pub max_views: Option<Option<u32>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    <Option<u32> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Reads the `options` part, which must come first.
pub(crate) async fn options(multipart: &mut Multipart) -> AppResult<CreateOptions> {
    options_named(multipart).await.map(|(options, _)| options)
}

/// Reads the `options` part, and which options it named.
pub(crate) async fn options_named(multipart: &mut Multipart) -> AppResult<(CreateOptions, Named)> {
    let field = multipart.next_field().await.map_err(bad_multipart)?;
    let Some(field) = field.filter(|f| f.name() == Some("options")) else {
        return Err(AppError::invalid(
            ErrorCode::InvalidRequest,
            "The first part of the upload must be `options`.",
        ));
    };
    let bytes = read_small(field, 64 * 1024).await?;
    let invalid = |e: serde_json::Error| {
        AppError::invalid(
            ErrorCode::InvalidOptions,
            format!("The options are not valid: {e}"),
        )
    };
    if !super::is_json_object(&bytes) {
        return Err(AppError::invalid(
            ErrorCode::InvalidOptions,
            "The options must be a JSON object.",
        ));
    }
    let options = serde_json::from_slice(&bytes).map_err(invalid)?;
    let named = serde_json::from_slice(&bytes).map_err(invalid)?;
    Ok((options, named))
}

async fn read_small(mut field: Field<'_>, limit: usize) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
        if out.len() + chunk.len() > limit {
            return Err(AppError::invalid(
                ErrorCode::InvalidOptions,
                "The options part is too large.",
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Streams the `payload` part into storage. Nothing is kept if anything fails.
pub(crate) async fn payload(
    multipart: &mut Multipart,
    store: &dyn Store,
    max_bytes: u64,
    charge: &mut Charge,
) -> AppResult<Uploaded> {
    let field = multipart.next_field().await.map_err(bad_multipart)?;
    let Some(mut field) = field.filter(|f| f.name() == Some("payload")) else {
        return Err(AppError::invalid(
            ErrorCode::InvalidRequest,
            "The second part of the upload must be `payload`.",
        ));
    };
    let mut writer = store.blob_writer().await?;
    let mut head = Vec::with_capacity(wisp_crypto::payload::MAX_HEADER_LEN);
    let mut header: Option<Vec<u8>> = None;
    while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
        if writer.written() + chunk.len() as u64 > max_bytes {
            return Err(AppError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "The payload is larger than this server accepts ({} bytes).",
                    max_bytes
                ),
                "Send a smaller file, or use an API token for the larger limit.",
            ));
        }
        if header.is_none() {
            let take = (wisp_crypto::payload::MAX_HEADER_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            match PayloadHeader::parse(&head) {
                Ok((_, len)) => header = Some(head[..len].to_vec()),
                Err(wisp_crypto::Error::Truncated)
                    if head.len() < wisp_crypto::payload::MAX_HEADER_LEN => {}
                Err(e) => {
                    return Err(AppError::invalid(
                        ErrorCode::InvalidPayload,
                        format!("The payload is not valid: {e}"),
                    ))
                }
            }
        }
        charge.add(chunk.len() as u64)?;
        writer.write(&chunk).await?;
    }
    let size = writer.written();
    let header = match header {
        Some(h) if size >= MIN_PAYLOAD => h,
        _ => {
            return Err(AppError::invalid(
                ErrorCode::InvalidPayload,
                "The payload is too short to be a Wisp payload.",
            ))
        }
    };
    let blob = writer.commit().await?;
    Ok(Uploaded { blob, header, size })
}
