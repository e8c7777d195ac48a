//! Facing the open internet: the accept loop (connection caps, header and keep-alive
//! timeouts, graceful shutdown), the minimum request-body rate, and the process's
//! open-file limit. See docs/operations.md for every limit and what a client sees.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;
use wisp_api::ErrorCode;

use crate::config::Config;
use crate::error::AppError;
use crate::ids;
use crate::slots::{Refused, Slots};
use crate::state::AppState;

/// File descriptors kept for everything but connections: the database, its journal, payload
/// files being read or written, webhooks and mail.
const RESERVED_FILES: u64 = 256;

/// How long shutdown waits for requests in flight (push streams never end by themselves).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Raises the open-file soft limit to the hard limit and returns the connection cap that
/// fits in it: each connection may hold a socket and a payload file.
pub(crate) fn connection_cap(config: &Config) -> usize {
    let wanted = config.connections.max;
    let Some(files) = raise_open_file_limit() else {
        return wanted;
    };
    let fits = (files.saturating_sub(RESERVED_FILES) / 2) as usize;
    if fits < wanted {
        tracing::warn!(
            open_files = files,
            connections = fits,
            configured = wanted,
            "the open-file limit is low: connections are capped below connections.max \
             (raise it with `ulimit -n` or LimitNOFILE= in the service unit)"
        );
    }
    wanted.min(fits.max(1))
}

#[cfg(unix)]
fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        let raised = rustix::process::Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        match setrlimit(Resource::Nofile, raised) {
            Ok(()) => limit = raised,
            Err(e) => tracing::warn!(error = %e, "cannot raise the open-file limit"),
        }
    }
    // `None` is "unlimited".
    Some(limit.current.unwrap_or(u64::MAX))
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Serves `app` on `listener` until `shutdown` resolves, at most `cap` connections at once
/// (and `connections.per_address` from one address unless behind a trusted proxy).
pub(crate) async fn accept_loop(
    listener: TcpListener,
    app: Router,
    config: &Config,
    cap: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Slots::new(cap);
    let per_address = (!config.trust_proxy).then_some(config.connections.per_address);
    let mut http = hyper::server::conn::http1::Builder::new();
    // The header timeout runs from the moment hyper waits for a request head: it is the
    // slow-headers cut and, on a kept-alive connection, the idle timeout. A streaming
    // response (push) is not waiting for a head, so it is not cut.
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(config.connections.header_timeout_secs))
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut refused_logged = Instant::now() - Duration::from_secs(60);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of files or memory: wait a little instead of spinning on accept.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let key = per_address.map(|n| (ids::network(peer.ip()).to_string(), n));
        let slot = match slots.take(key) {
            Ok(slot) => slot,
            Err(refused) => {
                if refused_logged.elapsed() > Duration::from_secs(10) {
                    refused_logged = Instant::now();
                    tracing::warn!(?refused, held = slots.held(), "connections refused");
                }
                refuse(&stream, refused);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection = http.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("connections still open after the shutdown grace period");
        }
    }
}

/// Answers a connection over a cap with one short response, written only if the socket can
/// take it right away (a refused client never holds anything), then closes it.
fn refuse(stream: &tokio::net::TcpStream, refused: Refused) {
    let (status, code, message, hint) = match refused {
        Refused::KeyFull => (
            "429 Too Many Requests",
            ErrorCode::RateLimited,
            "Too many open connections from your address.",
            "Close idle connections and try again.",
        ),
        Refused::Full => (
            "503 Service Unavailable",
            ErrorCode::Unavailable,
            "The server has too many open connections.",
            "Try again in a few seconds.",
        ),
    };
    let body = serde_json::json!({
        "error": message, "code": code, "hint": hint,
        "request_id": format!("req_{}", &ids::random_id()[..16]),
    })
    .to_string();
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         retry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.try_write(response.as_bytes());
}

/// How fast a request body must arrive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyRate {
    grace: Duration,
    min_bytes_per_sec: u64,
    idle: Duration,
}

impl BodyRate {
    pub(crate) fn of(config: &Config) -> Self {
        let c = &config.connections;
        BodyRate {
            grace: Duration::from_secs(c.body_grace_secs),
            min_bytes_per_sec: c.body_min_bytes_per_sec.max(1),
            idle: Duration::from_secs(c.body_idle_secs),
        }
    }

    /// The total time a body of `bytes` so far may have spent waiting on its client.
    fn allowance(&self, bytes: u64) -> Duration {
        self.grace + Duration::from_secs_f64(bytes as f64 / self.min_bytes_per_sec as f64)
    }
}

/// Middleware: every request body is cut when it arrives slower than the minimum rate, and
/// the request is answered 408 `request_timeout` (so a stalled upload's temp file goes away
/// with the handler that was writing it).
pub(crate) async fn body_rate(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let tripped = Arc::new(AtomicBool::new(false));
    let rate = BodyRate::of(&state.config);
    let declared = crate::routes::secrets::declared_length(request.headers());
    let (leftover_tx, leftover_rx) = tokio::sync::oneshot::channel();
    let request = request.map(|body| {
        let mut body = RateBody::new(body, rate, tripped.clone());
        body.leftover = Some(leftover_tx);
        Body::new(body)
    });
    let response = next.run(request).await;
    if !tripped.load(Ordering::Relaxed) {
        // Refused before its body was read (a bad option, a quota): read the rest of a small
        // body before answering, so the client, still sending, gets the answer instead of
        // a broken pipe when the connection closes under it.
        let refused = response.status().is_client_error() || response.status().is_server_error();
        if refused && declared.is_some_and(|n| n <= LINGER_MAX) {
            if let Ok(rest) = leftover_rx.await {
                linger(rest).await;
            }
        }
        return response;
    }
    let mut response = AppError::new(
        ErrorCode::RequestTimeout,
        "The request body arrived too slowly and was cut.",
        "Check the connection and send it again.",
    )
    .into_response();
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// The largest request body still read to its end after an early refusal.
const LINGER_MAX: u64 = 1 << 20;
/// How long reading that rest may take.
const LINGER_TIME: Duration = Duration::from_secs(2);

/// Reads and discards what is left of a refused request's body, within [`LINGER_TIME`].
async fn linger(mut rest: Body) {
    use http_body_util::BodyExt as _;
    let _ = tokio::time::timeout(LINGER_TIME, async {
        while let Some(Ok(_)) = rest.frame().await {}
    })
    .await;
}

/// A request body that fails once its client has made the server wait longer than the
/// rate allows. Only time spent waiting on the client counts, never the handler's own.
struct RateBody {
    inner: Body,
    rate: BodyRate,
    sleep: Pin<Box<Sleep>>,
    waiting_since: Option<Instant>,
    waited: Duration,
    bytes: u64,
    tripped: Arc<AtomicBool>,
    /// Where what the handler did not read goes when it drops the body.
    leftover: Option<tokio::sync::oneshot::Sender<Body>>,
}

impl Drop for RateBody {
    fn drop(&mut self) {
        if let Some(tx) = self.leftover.take() {
            if !http_body::Body::is_end_stream(&self.inner) {
                let _ = tx.send(std::mem::replace(&mut self.inner, Body::empty()));
            }
        }
    }
}

/// The error a too-slow body ends with.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly")]
struct TooSlow;

impl http_body::Body for RateBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                if let Some(since) = this.waiting_since.take() {
                    this.waited += since.elapsed();
                }
                if let Some(Ok(data)) = frame.as_ref().map(|f| f.as_ref().map(Frame::data_ref)) {
                    this.bytes += data.map_or(0, |d| d.len() as u64);
                }
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let now = Instant::now();
                let since = *this.waiting_since.get_or_insert(now);
                let left = this.rate.allowance(this.bytes).saturating_sub(this.waited);
                let deadline = since + left.min(this.rate.idle);
                if now >= deadline {
                    return this.trip();
                }
                this.sleep.as_mut().reset(deadline);
                if this.sleep.as_mut().poll(cx).is_ready() {
                    return this.trip();
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl RateBody {
    fn new(inner: Body, rate: BodyRate, tripped: Arc<AtomicBool>) -> Self {
        RateBody {
            inner,
            rate,
            sleep: Box::pin(tokio::time::sleep(Duration::ZERO)),
            waiting_since: None,
            waited: Duration::ZERO,
            bytes: 0,
            tripped,
            leftover: None,
        }
    }

    fn trip(&mut self) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        self.tripped.store(true, Ordering::Relaxed);
        Poll::Ready(Some(Err(axum::Error::new(TooSlow))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowance_grows_with_the_bytes_received() {
        // Apache's mod_reqtimeout rule, worked by hand: 20 s, plus 1 s per 500 bytes.
        let rate = BodyRate {
            grace: Duration::from_secs(20),
            min_bytes_per_sec: 500,
            idle: Duration::from_secs(30),
        };
        assert_eq!(rate.allowance(0), Duration::from_secs(20));
        assert_eq!(rate.allowance(5_000), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickling_body_is_cut_and_a_steady_one_is_not() {
        use http_body_util::BodyExt as _;
        let rate = BodyRate {
            grace: Duration::from_secs(2),
            min_bytes_per_sec: 100,
            idle: Duration::from_secs(5),
        };
        let make = |chunks: Vec<(u64, usize)>| {
            let stream = futures_util::stream::unfold(chunks.into_iter(), |mut it| async move {
                let (delay_ms, len) = it.next()?;
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                Some((Ok::<_, std::io::Error>(Bytes::from(vec![0u8; len])), it))
            });
            let tripped = Arc::new(AtomicBool::new(false));
            let body = RateBody::new(Body::from_stream(stream), rate, tripped.clone());
            (body, tripped)
        };
        // 1 byte per second: past the 2 s grace, the allowance (2 s + 1 B / 100 B/s) runs out.
        let (slow, tripped) = make(vec![(1000, 1); 10]);
        assert!(slow.collect().await.is_err());
        assert!(tripped.load(Ordering::Relaxed));
        // 200 bytes per second for 10 s is twice the minimum: never cut.
        let (steady, tripped) = make(vec![(1000, 200); 10]);
        assert_eq!(
            steady.collect().await.expect("steady").to_bytes().len(),
            2000
        );
        assert!(!tripped.load(Ordering::Relaxed));
        // Fast, then a pause longer than the idle limit: cut, however much came before.
        let (paused, _) = make(vec![(0, 100_000), (6000, 1)]);
        assert!(paused.collect().await.is_err());
    }
}
