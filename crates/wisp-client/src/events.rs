//! Reading the server-sent events stream of receipt changes.

use bytes::{Buf, BytesMut};
use futures_util::StreamExt;
use wisp_api::KeyedReceipt;

use crate::{ClientError, Result};

/// A live stream of receipt changes. The first events are the current receipts.
pub struct ReceiptEvents {
    body: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: BytesMut,
    idle_timeout: Option<std::time::Duration>,
}

impl std::fmt::Debug for ReceiptEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptEvents")
    }
}

impl ReceiptEvents {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        ReceiptEvents {
            body: response.bytes_stream().boxed(),
            buffer: BytesMut::new(),
            idle_timeout: None,
        }
    }

    /// Ends the stream with an error when nothing at all (not even the server's keep-alive
    /// ping, every 15 s) arrives for `timeout`: a connection that died without a word
    /// (suspend, network change) is noticed instead of waited on forever.
    pub fn idle_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The next receipt change; `None` when the server closed the stream.
    pub async fn next(&mut self) -> Option<Result<KeyedReceipt>> {
        loop {
            if let Some(end) = find_event_end(&self.buffer) {
                let block = self.buffer.split_to(end.0);
                self.buffer.advance(end.1);
                if let Some(receipt) = parse_block(&block) {
                    return Some(receipt);
                }
                continue; // comments (keep-alive pings) and other events
            }
            let chunk = match self.idle_timeout {
                Some(limit) => match tokio::time::timeout(limit, self.body.next()).await {
                    Ok(chunk) => chunk?,
                    Err(_) => {
                        return Some(Err(ClientError::Protocol(format!(
                            "the push channel was silent for {} s",
                            limit.as_secs()
                        ))))
                    }
                },
                None => self.body.next().await?,
            };
            match chunk {
                Ok(chunk) => self.buffer.extend_from_slice(&chunk),
                Err(e) => return Some(Err(ClientError::Http(e))),
            }
        }
    }
}

/// (block length, separator length) of the first complete event in `buf`.
fn find_event_end(buf: &[u8]) -> Option<(usize, usize)> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2));
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse_block(block: &[u8]) -> Option<Result<KeyedReceipt>> {
    let text = std::str::from_utf8(block).ok()?;
    let mut event = "message";
    let mut data = String::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            event = v.trim();
        } else if let Some(v) = line.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(v.strip_prefix(' ').unwrap_or(v));
        }
    }
    (event == "receipt" && !data.is_empty())
        .then(|| serde_json::from_str(&data).map_err(|e| ClientError::Protocol(e.to_string())))
}
