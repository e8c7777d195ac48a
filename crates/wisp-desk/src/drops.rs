//! Files the user dropped on the window or picked in a dialog. The webview only ever gets an
//! opaque token per item: it cannot name a path of its own choosing, so the app reads exactly
//! the files the user handed it and nothing else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::views::DroppedFile;
use crate::{DeskError, ErrorCode};

/// A registered file or folder.
#[derive(Debug, Clone)]
pub struct Dropped {
    /// Where it is.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// Bytes (sum of regular files for a folder).
    pub size: u64,
    /// A folder.
    pub is_dir: bool,
    /// Regular files inside.
    pub file_count: u32,
}

/// The registry of dropped files, by token.
#[derive(Debug, Default)]
pub struct Drops {
    items: Mutex<HashMap<String, Dropped>>,
}

impl Drops {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Dropped>> {
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers what the user dropped; items over `limit` bytes are flagged, unreadable ones
    /// are skipped (with the reason in the log, never the content).
    pub fn register(&self, paths: &[PathBuf], limit: u64) -> Vec<DroppedFile> {
        let mut out = Vec::new();
        for path in paths {
            match inspect(path) {
                Ok(item) => {
                    let token = hex_token();
                    out.push(DroppedFile {
                        token: token.clone(),
                        name: item.name.clone(),
                        size: item.size,
                        is_dir: item.is_dir,
                        file_count: item.file_count,
                        too_large: limit > 0 && item.size > limit,
                    });
                    self.lock().insert(token, item);
                }
                Err(e) => tracing::warn!(error = %e, "a dropped item cannot be read"),
            }
        }
        out
    }

    /// The item behind a token.
    pub fn get(&self, token: &str) -> Result<Dropped, DeskError> {
        self.lock().get(token).cloned().ok_or_else(|| {
            DeskError::new(
                ErrorCode::NotFound,
                "That file is no longer available: drop it on the window again.",
            )
            .keyed("error.dropGone")
        })
    }

    /// Forgets a token (after sending).
    pub fn forget(&self, token: &str) {
        self.lock().remove(token);
    }
}

fn hex_token() -> String {
    rand::random::<[u8; 12]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn inspect(path: &Path) -> std::io::Result<Dropped> {
    let meta = std::fs::metadata(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "folder".into());
    if meta.is_dir() {
        let (size, file_count) = walk(path)?;
        Ok(Dropped {
            path: path.to_owned(),
            name,
            size,
            is_dir: true,
            file_count,
        })
    } else if meta.is_file() {
        Ok(Dropped {
            path: path.to_owned(),
            name,
            size: meta.len(),
            is_dir: false,
            file_count: 1,
        })
    } else {
        Err(std::io::Error::other("not a regular file or folder"))
    }
}

/// Sum of sizes and count of regular files under `dir`; symlinks are not followed (the
/// archive stores them as links, never what they point at).
fn walk(dir: &Path) -> std::io::Result<(u64, u32)> {
    let mut size = 0u64;
    let mut count = 0u32;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                size = size.saturating_add(entry.metadata()?.len());
                count = count.saturating_add(1);
            }
        }
    }
    Ok((size, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_files_and_folders_by_token_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("report.pdf");
        std::fs::write(&file, vec![7u8; 1000]).expect("write");
        let folder = dir.path().join("photos");
        std::fs::create_dir_all(folder.join("2026")).expect("mkdir");
        std::fs::write(folder.join("a.jpg"), [1u8; 10]).expect("write");
        std::fs::write(folder.join("2026/b.jpg"), [1u8; 20]).expect("write");

        let drops = Drops::default();
        let listed = drops.register(
            &[file.clone(), folder.clone(), dir.path().join("missing")],
            500,
        );
        assert_eq!(listed.len(), 2, "the missing path is skipped");
        assert_eq!(listed[0].name, "report.pdf");
        assert!(listed[0].too_large);
        assert_eq!(
            (listed[1].size, listed[1].file_count, listed[1].is_dir),
            (30, 2, true)
        );
        assert!(!listed[1].too_large);
        assert_eq!(drops.get(&listed[0].token).expect("get").path, file);
        drops.forget(&listed[0].token);
        assert_eq!(
            drops.get(&listed[0].token).expect_err("gone").code,
            ErrorCode::NotFound
        );
        assert!(drops.get("../../etc/passwd").is_err());
    }
}
