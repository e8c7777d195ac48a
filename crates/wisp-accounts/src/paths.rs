//! Where Wisp's local files live, and how they are written (atomically, owner-only).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Wisp's config dir: `$WISP_CONFIG_DIR`, else the platform's (`~/.config/wisp` on Linux).
pub fn config_dir() -> PathBuf {
    std::env::var_os("WISP_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("wisp")))
        .unwrap_or_else(|| PathBuf::from(".wisp"))
}

/// Wisp's data dir (history): `$WISP_DATA_HOME`, else the platform's
/// (`~/.local/share/wisp` on Linux).
pub fn data_dir() -> PathBuf {
    std::env::var_os("WISP_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("wisp")))
        .unwrap_or_else(|| PathBuf::from(".wisp"))
}

/// Replaces `path` with `bytes` so a crash leaves the old or the new file, never half of
/// one; the file is readable by its owner only.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile_in(dir)?;
    tmp.1.write_all(bytes)?;
    tmp.1.sync_all()?;
    std::fs::rename(&tmp.0, path)?;
    Ok(())
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    for _ in 0..16 {
        let path = dir.join(format!(".wisp-{:016x}.tmp", rand::random::<u64>()));
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("cannot create a temporary file"))
}
