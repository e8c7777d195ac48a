//! Folders travel as one tar archive, built while it is encrypted and uploaded (never
//! written to disk, never held whole in memory).

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, DuplexStream, ReadBuf};
use tokio::task::JoinHandle;
use tokio_util::io::SyncIoBridge;

/// A stream of the tar archive of `dir` (entries under `name/`). A failure while archiving
/// (a file vanished, permission denied) ends the stream with that error, so a partial
/// archive is never sent as if complete.
pub fn tar_folder(dir: PathBuf, name: String) -> TarStream {
    let (reader, writer) = tokio::io::duplex(256 * 1024);
    let task = tokio::task::spawn_blocking(move || {
        let mut builder = tar::Builder::new(SyncIoBridge::new(writer));
        builder.follow_symlinks(false);
        builder.append_dir_all(&name, &dir)?;
        builder.into_inner()?.shutdown()
    });
    TarStream {
        reader,
        task: Some(task),
    }
}

/// See [`tar_folder`].
#[derive(Debug)]
pub struct TarStream {
    reader: DuplexStream,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl AsyncRead for TarStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.reader).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before => {
                // End of the pipe: only a clean end if the archiver finished without error.
                let Some(task) = self.task.as_mut() else {
                    return Poll::Ready(Ok(()));
                };
                match Pin::new(task).poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(result) => {
                        self.task = None;
                        Poll::Ready(match result {
                            Ok(r) => r,
                            Err(join) => Err(io::Error::other(join)),
                        })
                    }
                }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn archives_a_folder_readably() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("docs/sub")).expect("mkdir");
        std::fs::write(dir.path().join("docs/a.txt"), b"alpha").expect("write");
        std::fs::write(dir.path().join("docs/sub/b.txt"), vec![b'b'; 300_000]).expect("write");
        let mut bytes = Vec::new();
        tar_folder(dir.path().join("docs"), "docs".into())
            .read_to_end(&mut bytes)
            .await
            .expect("read");
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut names: Vec<_> = archive
            .entries()
            .expect("entries")
            .map(|e| {
                e.expect("entry")
                    .path()
                    .expect("path")
                    .display()
                    .to_string()
            })
            .collect();
        names.sort();
        assert!(names.contains(&"docs/a.txt".to_owned()), "{names:?}");
        assert!(names.contains(&"docs/sub/b.txt".to_owned()), "{names:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_folder_is_an_error_not_an_empty_archive() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bytes = Vec::new();
        let result = tar_folder(dir.path().join("nope"), "nope".into())
            .read_to_end(&mut bytes)
            .await;
        assert!(result.is_err());
    }
}
