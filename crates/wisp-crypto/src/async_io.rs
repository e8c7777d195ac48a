//! Tokio adapters: seal and open payloads from `AsyncRead` sources without blocking the runtime.
//!
//! AES-GCM and Argon2 are CPU work, so the synchronous pipeline runs on tokio's blocking
//! pool and talks to the async side through a bounded in-memory pipe: memory stays at a
//! couple of segments whatever the payload size, and an error in the pipeline reaches the
//! reader as an error, never as a clean (and therefore misleading) end of stream.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use secrecy::SecretString;
use tokio::io::{AsyncRead, DuplexStream, ReadBuf};
use tokio::sync::oneshot;
use tokio_util::io::SyncIoBridge;

use crate::error::{Error, Result};
use crate::keys::LinkKey;
use crate::payload::{Metadata, Opener, PayloadReader, Sealer};

/// Bytes buffered between the blocking pipeline and the async reader.
const PIPE_CAPACITY: usize = 128 * 1024;

/// An `AsyncRead` fed by a pipeline on the blocking pool; reports the pipeline's error at the end.
#[derive(Debug)]
pub struct PipelineReader {
    pipe: DuplexStream,
    outcome: oneshot::Receiver<io::Result<()>>,
}

impl AsyncRead for PipelineReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.pipe).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() == before && buf.remaining() > 0 => {
                // End of the pipe: only a clean end if the pipeline says so.
                match Pin::new(&mut this.outcome).poll(cx) {
                    Poll::Ready(Ok(result)) => Poll::Ready(result),
                    Poll::Ready(Err(_)) => Poll::Ready(Err(io::Error::other(
                        "the encryption task stopped unexpectedly",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
            other => other,
        }
    }
}

fn spawn_pipeline<F>(job: F) -> PipelineReader
where
    F: FnOnce(&mut SyncIoBridge<DuplexStream>) -> io::Result<()> + Send + 'static,
{
    let (reader, writer) = tokio::io::duplex(PIPE_CAPACITY);
    let (tx, rx) = oneshot::channel();
    let mut sink = SyncIoBridge::new(writer);
    tokio::task::spawn_blocking(move || {
        let result = job(&mut sink).and_then(|()| sink.shutdown());
        let _ = tx.send(result);
    });
    PipelineReader {
        pipe: reader,
        outcome: rx,
    }
}

/// Seals `content` on the blocking pool; the returned reader yields the whole payload.
/// Must be called from within a tokio runtime.
pub fn seal_async<R>(sealer: Sealer, metadata: Metadata, content: R) -> PipelineReader
where
    R: AsyncRead + Send + Unpin + 'static,
{
    let source = SyncIoBridge::new(content);
    spawn_pipeline(move |sink| {
        let mut sealed = sealer.seal(&metadata, source).map_err(Error::into_io)?;
        io::copy(&mut sealed, sink).map(|_| ())
    })
}

/// Opens a payload from an async source: checks the key, decrypts the metadata, then
/// streams the content. Must be called from within a tokio runtime.
pub async fn open_async<R>(
    link_key: LinkKey,
    passphrase: Option<SecretString>,
    payload: R,
) -> Result<(Metadata, PipelineReader)>
where
    R: AsyncRead + Send + Unpin + 'static,
{
    spawn_open(payload, move |source| {
        crate::payload::open(&link_key, passphrase.as_ref(), source)
    })
    .await
}

/// Like [`open_async`] for a client that already checked the key against the header
/// (it fetched the header with the status, derived the proof, then revealed).
pub async fn open_with_async<R>(opener: Opener, payload: R) -> Result<(Metadata, PipelineReader)>
where
    R: AsyncRead + Send + Unpin + 'static,
{
    spawn_open(payload, move |source| opener.open(source)).await
}

async fn spawn_open<R, F>(payload: R, open: F) -> Result<(Metadata, PipelineReader)>
where
    R: AsyncRead + Send + Unpin + 'static,
    F: FnOnce(SyncIoBridge<R>) -> Result<PayloadReader<SyncIoBridge<R>>> + Send + 'static,
{
    let source = SyncIoBridge::new(payload);
    let (meta_tx, meta_rx) = oneshot::channel::<Result<Metadata>>();
    let reader = spawn_pipeline(move |sink| {
        let mut reader = match open(source) {
            Ok(reader) => reader,
            Err(e) => {
                let _ = meta_tx.send(Err(e));
                return Ok(());
            }
        };
        let _ = meta_tx.send(Ok(reader.metadata().clone()));
        io::copy(&mut reader, sink).map(|_| ())
    });
    let metadata = meta_rx
        .await
        .map_err(|_| Error::Io(io::Error::other("the decryption task stopped unexpectedly")))??;
    Ok((metadata, reader))
}

/// Reads a whole async reader into memory that is zeroized on drop (for small secrets).
pub async fn read_to_end<R: AsyncRead + Unpin>(
    mut reader: R,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    use tokio::io::AsyncReadExt;
    let mut out = zeroize::Zeroizing::new(Vec::new());
    reader.read_to_end(&mut out).await.map_err(Error::from_io)?;
    Ok(out)
}
