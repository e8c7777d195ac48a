//! A real `wisp-server` process on port 0 with its own data directory, per test.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub mod smtp;

use wisp_client::{Client, SendOptions};

/// `toml` with every compatibility layer switched on (the plaintext ones are off by
/// default), except those the configuration already names.
pub fn with_layers(toml: &str) -> String {
    let lines: String = ["onetime", "burn_the_secret", "seclink", "seecret"]
        .iter()
        .filter(|k| !toml.contains(&format!("{k} =")))
        .map(|k| format!("{k} = true\n"))
        .collect();
    if toml.contains("[compat]\n") {
        toml.replacen("[compat]\n", &format!("[compat]\n{lines}"), 1)
    } else {
        format!("{toml}\n[compat]\n{lines}")
    }
}

pub struct Server {
    pub child: Child,
    pub base: String,
    pub dir: tempfile::TempDir,
}

impl Server {
    pub fn start() -> Self {
        Self::start_with(&[], "")
    }

    /// Starts with extra environment variables and extra TOML configuration.
    /// Starts with every compatibility layer on (see [`with_layers`]).
    pub fn start_compat(env: &[(&str, &str)], toml: &str) -> Self {
        Self::start_with(env, &with_layers(toml))
    }

    pub fn start_with(env: &[(&str, &str)], toml: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        Self::start_in(dir, env, toml)
    }

    pub fn start_in(dir: tempfile::TempDir, env: &[(&str, &str)], toml: &str) -> Self {
        let config = dir.path().join("server.toml");
        std::fs::write(&config, toml).expect("config");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wisp-server"));
        cmd.args(["--config"])
            .arg(&config)
            .args(["serve", "--announce"])
            .env("WISP_LISTEN", "127.0.0.1:0")
            .env("WISP_DATA_DIR", dir.path().join("data"))
            .env("WISP_WEBHOOKS_ALLOW_PRIVATE", "true")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn wisp-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("announce");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .expect("announce line")
            .to_owned();
        Server { child, base, dir }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base, None).expect("client")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn payload_files(&self) -> usize {
        count_files(&self.data().join("payloads"))
    }

    /// `kill -9`, then hand back the data directory.
    pub fn kill_hard(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.dir, tempfile::tempdir().expect("tempdir"))
    }

    pub fn token(&self, name: &str) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_wisp-server"))
            .args(["token", "create", "--name", name])
            .env("WISP_DATA_DIR", self.data())
            .output()
            .expect("token create");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf8")
            .trim()
            .to_owned()
    }
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Cheap Argon2 costs keep debug-build tests fast; the format carries them in the header.
pub fn fast_options() -> SendOptions {
    SendOptions {
        seal: wisp_crypto::SealOptions {
            kdf: wisp_crypto::KdfParams {
                m_cost_kib: 256,
                t_cost: 1,
                p_cost: 1,
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A create (or payload replacement) upload: the `options` part (JSON), then the payload.
pub fn upload_form(options: &serde_json::Value, payload: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part(
            "options",
            reqwest::multipart::Part::text(options.to_string())
                .mime_str("application/json")
                .expect("mime"),
        )
        .part(
            "payload",
            reqwest::multipart::Part::bytes(payload)
                .mime_str("application/octet-stream")
                .expect("mime"),
        )
}

/// A plain HTTP client for the compatibility layers (no redirects followed, so tests see them).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// The forms `bytes` could be stored in: raw, hex (both cases), and base64 / base64url at
/// each of the three alignments it can have inside a longer encoded value (the edge
/// characters, which depend on the neighbours, are left out).
pub fn encodings(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine as _;
    let mut out = vec![
        bytes.to_vec(),
        hex::encode(bytes).into_bytes(),
        hex::encode_upper(bytes).into_bytes(),
    ];
    for shift in 0..3usize {
        let mut shifted = vec![0u8; shift];
        shifted.extend_from_slice(bytes);
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let text = engine.encode(&shifted);
            let skip = (shift * 4).div_ceil(3);
            let core = &text.as_bytes()[skip..text.len().saturating_sub(2)];
            if core.len() >= 8 {
                out.push(core.to_vec());
            }
        }
    }
    out
}

/// Whether any file under the server's data directory contains `needle` (plaintext, keys)
/// in any of its [`encodings`]: the database, its WAL, and every payload file.
pub fn data_contains(server: &Server, needle: &[u8]) -> bool {
    encodings(needle)
        .iter()
        .any(|form| data_contains_exactly(server, form))
}

/// Whether any file under the server's data directory contains exactly these bytes.
pub fn data_contains_exactly(server: &Server, needle: &[u8]) -> bool {
    fn walk(dir: &Path, needle: &[u8]) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        entries.flatten().any(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path, needle)
            } else {
                std::fs::read(&path)
                    .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
                    .unwrap_or(false)
            }
        })
    }
    assert!(!needle.is_empty());
    walk(&server.data(), needle)
}

/// Asserts the response's `Content-Type` is JSON.
pub fn assert_json(response: &reqwest::Response) {
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.starts_with("application/json"), "content-type {ct:?}");
}

/// Sends `head` (request line and headers, no body) on a raw connection and returns what
/// the server answers within 10 seconds, or `None` when it answers nothing in that time.
/// With a large `Content-Length` and no body, this tells whether the server decides without
/// waiting for (or reading) the body; since nothing unread is left on the connection, the
/// answer arrives intact.
pub async fn answer_without_body(base: &str, head: &str) -> Option<String> {
    use std::io::{Read as _, Write as _};
    let addr = base.strip_prefix("http://").expect("http base").to_owned();
    let head = head.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        stream.write_all(head.as_bytes()).expect("write");
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&answer);
                    // Headers and a complete body (Content-Length) are enough.
                    if let Some((headers, body)) = text.split_once("\r\n\r\n") {
                        let length = headers.lines().find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        });
                        if length.is_some_and(|n| body.len() >= n) {
                            break;
                        }
                    }
                }
                Err(_) => break,
            }
        }
        (!answer.is_empty()).then(|| String::from_utf8_lossy(&answer).into_owned())
    })
    .await
    .expect("join")
}
