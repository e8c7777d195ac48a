//! Payload files: written to a temporary name, synced, then renamed into place, so a
//! half-uploaded payload never becomes visible and a committed one survives a crash.

use std::path::{Path, PathBuf};

use rand::RngCore;
use tokio::io::AsyncWriteExt;

use crate::Result;

/// Where a committed payload lives (an opaque random name, unrelated to the secret id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobRef(pub String);

/// A payload being uploaded. Dropping it without [`BlobWriter::commit`] removes the file.
#[derive(Debug)]
pub struct BlobWriter {
    file: Option<tokio::fs::File>,
    temp: PathBuf,
    final_dir: PathBuf,
    name: String,
    written: u64,
}

impl BlobWriter {
    pub(crate) async fn create(root: &Path) -> Result<Self> {
        let mut raw = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let name = hex::encode(raw);
        let temp = root.join("incoming").join(format!("{name}.part"));
        let file = tokio::fs::File::create(&temp).await?;
        Ok(BlobWriter {
            file: Some(file),
            temp,
            final_dir: root.join(&name[..2]),
            name,
            written: 0,
        })
    }

    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        if let Some(file) = self.file.as_mut() {
            file.write_all(chunk).await?;
            self.written += chunk.len() as u64;
        }
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Syncs and moves the payload into place; returns its reference.
    pub async fn commit(mut self) -> Result<BlobRef> {
        if let Some(mut file) = self.file.take() {
            file.flush().await?;
            file.sync_all().await?;
        }
        tokio::fs::create_dir_all(&self.final_dir).await?;
        tokio::fs::rename(&self.temp, self.final_dir.join(&self.name)).await?;
        // Make the rename itself durable.
        if let Ok(dir) = tokio::fs::File::open(&self.final_dir).await {
            let _ = dir.sync_all().await;
        }
        Ok(BlobRef(std::mem::take(&mut self.name)))
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if !self.name.is_empty() {
            // Not committed: the upload failed or was cancelled. Remove the partial file.
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Path of a committed payload.
pub(crate) fn blob_path(root: &Path, blob: &BlobRef) -> Option<PathBuf> {
    let name = &blob.0;
    let valid = name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| root.join(&name[..2]).join(name))
}
