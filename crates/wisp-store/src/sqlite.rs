//! The embedded backend: one SQLite database (WAL) for records plus a directory of payload
//! files. No setup, one data directory, survives `kill -9` (WAL with `synchronous=NORMAL`
//! loses nothing on a process crash; payloads are fsynced before their record exists).
//!
//! SQLite serialises writers, so every read-modify-write below is a single statement or a
//! single transaction on the one connection: that is what makes `claim_view` atomic.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Row};
use wisp_api::{BurnReason, ReceiptState, Split};

use crate::blob::{blob_path, BlobRef, BlobWriter};
use crate::record::{
    AbuseReport, Claim, DownloadToken, NewSecret, SecretRecord, Token, Update, ViewEntry,
    WrongProof,
};
use crate::{PayloadReader, Result, Store, StoreError, UnixTime};

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        StoreError::Database(Box::new(err))
    }
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS secrets (
    id                 TEXT PRIMARY KEY,
    metadata_hash      BLOB NOT NULL UNIQUE,
    account            INTEGER,
    state              TEXT NOT NULL,
    verifier           BLOB NOT NULL,
    header             BLOB NOT NULL,
    size               INTEGER NOT NULL,
    max_views          INTEGER,
    views_used         INTEGER NOT NULL DEFAULT 0,
    wrong_proofs       INTEGER NOT NULL DEFAULT 0,
    split_needed       INTEGER,
    split_total        INTEGER,
    note               TEXT,
    recipient_can_burn INTEGER NOT NULL,
    webhook_url        TEXT,
    notify_email       TEXT,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    blob               TEXT,
    compat             TEXT,
    passphrase_verifier BLOB,
    burn_reason        TEXT
);
CREATE INDEX IF NOT EXISTS secrets_expiry ON secrets (expires_at) WHERE state IN ('pending', 'viewed');
CREATE INDEX IF NOT EXISTS secrets_account ON secrets (account, created_at DESC);
CREATE TABLE IF NOT EXISTS views (
    secret_id TEXT NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    country   TEXT,
    client    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS views_secret ON views (secret_id);
CREATE TABLE IF NOT EXISTS tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reports (
    secret_id TEXT NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
    reporter  TEXT NOT NULL,
    reason    TEXT,
    at        INTEGER NOT NULL,
    PRIMARY KEY (secret_id, reporter)
);
CREATE TABLE IF NOT EXISTS download_tokens (
    token_hash BLOB PRIMARY KEY,
    secret_id  TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
"#;

const COLUMNS: &str =
    "id, metadata_hash, account, state, verifier, header, size, max_views, views_used, \
    wrong_proofs, split_needed, split_total, note, recipient_can_burn, webhook_url, notify_email, \
    created_at, expires_at, updated_at, blob, compat, passphrase_verifier, burn_reason";

/// The embedded SQLite + files backend.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    /// The one connection that writes (SQLite has one writer at a time anyway).
    conn: Arc<Mutex<Connection>>,
    /// Read-only connections: in WAL mode readers never wait for the writer, so lookups
    /// (status, receipts, tokens) do not queue behind reveals and creates.
    readers: Arc<Vec<Mutex<Connection>>>,
    blobs: PathBuf,
}

/// Payloads up to this size are read whole when opened.
const SMALL_PAYLOAD: u64 = 256 * 1024;

/// Read-only connections kept open.
const READERS: usize = 4;

/// A small number that differs between the blocking pool's threads.
fn thread_slot() -> usize {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::thread::current().id().hash(&mut h);
    h.finish() as usize
}

impl SqliteStore {
    /// Removes what uploads cut by a crash left in `payloads/incoming` (never visible).
    /// Only the serving process may call this, at start: other processes that open the
    /// store (token management) must not touch the files of uploads in flight.
    pub fn remove_abandoned_uploads(&self) {
        if let Ok(entries) = std::fs::read_dir(self.blobs.join("incoming")) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Opens (creating if needed) the store in `dir`: `dir/wisp.sqlite3` and `dir/payloads/`.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir.join("payloads").join("incoming"))?;
        let conn = Connection::open(dir.join("wisp.sqlite3"))?;
        // First: every statement below, the pragmas included, may meet another process's
        // lock (`wisp-server token create` beside a running server) and must wait, not fail.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Freed pages are overwritten with zeros: burned records leave no residue in the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    dir.join("wisp.sqlite3"),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(Mutex::new(reader))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(readers),
            blobs: dir.join("payloads"),
        })
    }

    async fn with<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| StoreError::Task("database lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs a read on a free read-only connection (waiting for one if all are busy).
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            let free = readers.iter().find_map(|r| r.try_lock().ok());
            let guard = match free {
                Some(guard) => guard,
                None => {
                    // All busy: wait on one, picked by the thread, so waiters spread out.
                    let pick = thread_slot() % readers.len();
                    readers[pick]
                        .lock()
                        .map_err(|_| StoreError::Task("database lock poisoned".into()))?
                }
            };
            f(&guard)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    fn remove_blob_file(root: &Path, blob: &BlobRef) {
        if let Some(path) = blob_path(root, blob) {
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "could not delete a payload file");
                }
            }
        }
    }
}

/// Brings a database made by an older version up to date; each step runs once.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // Version 2: compatibility-layer attributes. A database created by this version already
    // has the column from `SCHEMA`.
    if version < 2 {
        let has_compat: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM pragma_table_info('secrets') WHERE name = 'compat'",
            [],
            |r| r.get(0),
        )?;
        if !has_compat {
            conn.execute_batch("ALTER TABLE secrets ADD COLUMN compat TEXT")?;
        }
        conn.pragma_update(None, "user_version", 2)?;
    }
    // Version 3 (format v2): the passphrase proof's verifier, and why a secret burned.
    if version < 3 {
        for (column, kind) in [("passphrase_verifier", "BLOB"), ("burn_reason", "TEXT")] {
            let present: bool = conn.query_row(
                "SELECT COUNT(*) > 0 FROM pragma_table_info('secrets') WHERE name = ?1",
                [column],
                |r| r.get(0),
            )?;
            if !present {
                conn.execute_batch(&format!("ALTER TABLE secrets ADD COLUMN {column} {kind}"))?;
            }
        }
        conn.pragma_update(None, "user_version", 3)?;
    }
    Ok(())
}

fn hash32(row: &Row<'_>, idx: usize) -> rusqlite::Result<[u8; 32]> {
    let bytes: Vec<u8> = row.get(idx)?;
    bytes.try_into().map_err(|_| {
        rusqlite::Error::InvalidColumnType(idx, "hash".into(), rusqlite::types::Type::Blob)
    })
}

fn record(row: &Row<'_>) -> rusqlite::Result<SecretRecord> {
    let state: String = row.get(3)?;
    let split_needed: Option<u8> = row.get(10)?;
    let split_total: Option<u8> = row.get(11)?;
    Ok(SecretRecord {
        id: row.get(0)?,
        metadata_hash: hash32(row, 1)?,
        account: row.get(2)?,
        state: ReceiptState::parse(&state).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(3, "state".into(), rusqlite::types::Type::Text)
        })?,
        verifier: hash32(row, 4)?,
        header: row.get(5)?,
        size: row.get::<_, i64>(6)? as u64,
        max_views: row.get(7)?,
        views_used: row.get(8)?,
        wrong_proofs: row.get(9)?,
        split: split_needed
            .zip(split_total)
            .map(|(needed, total)| Split { needed, total }),
        note: row.get(12)?,
        recipient_can_burn: row.get(13)?,
        webhook_url: row.get(14)?,
        notify_email: row.get(15)?,
        created_at: row.get(16)?,
        expires_at: row.get(17)?,
        updated_at: row.get(18)?,
        blob: row.get::<_, Option<String>>(19)?.map(BlobRef),
        compat: row.get(20)?,
        passphrase_verifier: row
            .get::<_, Option<Vec<u8>>>(21)?
            .map(|b| {
                b.try_into().map_err(|_| {
                    rusqlite::Error::InvalidColumnType(
                        21,
                        "hash".into(),
                        rusqlite::types::Type::Blob,
                    )
                })
            })
            .transpose()?,
        burn_reason: row
            .get::<_, Option<String>>(22)?
            .and_then(|r| BurnReason::parse(&r)),
    })
}

fn get_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<SecretRecord>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM secrets WHERE id = ?1"),
        [id],
        record,
    )
    .optional()
}

/// The condition under which a recipient may still reveal a secret, in SQL.
const AVAILABLE: &str =
    "state IN ('pending', 'viewed') AND (max_views IS NULL OR views_used < max_views) \
    AND expires_at > ?2 AND blob IS NOT NULL";

#[async_trait]
impl Store for SqliteStore {
    async fn insert(&self, s: NewSecret) -> Result<()> {
        self.with(move |conn| {
            let result = conn.execute(
                &format!(
                    "INSERT INTO secrets ({COLUMNS}) VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, 0, 0, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?14, ?16, ?17, ?18, NULL)"
                ),
                params![
                    s.id,
                    &s.metadata_hash[..],
                    s.account,
                    &s.verifier[..],
                    s.header,
                    s.size as i64,
                    s.max_views,
                    s.split.map(|x| x.needed),
                    s.split.map(|x| x.total),
                    s.note,
                    s.recipient_can_burn,
                    s.webhook_url,
                    s.notify_email,
                    s.created_at,
                    s.expires_at,
                    s.blob.0,
                    s.compat,
                    s.passphrase_verifier.as_ref().map(|v| &v[..]),
                ],
            );
            match result {
                Ok(_) => Ok(()),
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                    Err(StoreError::Conflict("secret id or metadata key"))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn get(&self, id: &str) -> Result<Option<SecretRecord>> {
        let id = id.to_owned();
        self.read(move |conn| Ok(get_by_id(conn, &id)?)).await
    }

    async fn get_by_metadata(&self, metadata_hash: &[u8; 32]) -> Result<Option<SecretRecord>> {
        let hash = *metadata_hash;
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM secrets WHERE metadata_hash = ?1"),
                    [&hash[..]],
                    record,
                )
                .optional()?)
        })
        .await
    }

    async fn get_many_by_metadata(&self, hashes: &[[u8; 32]]) -> Result<Vec<SecretRecord>> {
        let hashes = hashes.to_vec();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM secrets WHERE metadata_hash = ?1"
            ))?;
            let mut out = Vec::with_capacity(hashes.len());
            for hash in &hashes {
                if let Some(r) = stmt.query_row([&hash[..]], record).optional()? {
                    out.push(r);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn claim_view(
        &self,
        id: &str,
        verifier: &[u8; 32],
        passphrase_verifier: Option<&[u8; 32]>,
        now: UnixTime,
        view: ViewEntry,
        download: Option<DownloadToken>,
    ) -> Result<Option<Claim>> {
        let id = id.to_owned();
        let verifier = *verifier;
        let passphrase_verifier = passphrase_verifier.copied();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let changed = tx.execute(
                &format!("UPDATE secrets SET views_used = views_used + 1, state = 'viewed', updated_at = ?2 WHERE id = ?1 AND {AVAILABLE} AND verifier = ?3 AND passphrase_verifier IS ?4"),
                params![id, now, &verifier[..], passphrase_verifier.as_ref().map(|v| &v[..])],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO views (secret_id, at, country, client) VALUES (?1, ?2, ?3, ?4)",
                params![id, view.at, view.country, view.client],
            )?;
            if let Some(d) = download {
                tx.execute(
                    "INSERT OR REPLACE INTO download_tokens (token_hash, secret_id, expires_at) VALUES (?1, ?2, ?3)",
                    params![&d.hash[..], id, d.expires_at],
                )?;
            }
            let record = get_by_id(&tx, &id)?.ok_or_else(|| StoreError::Corrupt("claimed secret vanished".into()))?;
            tx.commit()?;
            let blob = record.blob.clone().ok_or_else(|| StoreError::Corrupt("claimed secret has no payload".into()))?;
            Ok(Some(Claim { record, blob }))
        })
        .await
    }

    async fn record_wrong_proof(
        &self,
        id: &str,
        limit: u32,
        now: UnixTime,
        reason: BurnReason,
    ) -> Result<Option<WrongProof>> {
        let id = id.to_owned();
        let root = self.blobs.clone();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let wrong: Option<u32> = tx
                .query_row(
                    &format!("UPDATE secrets SET wrong_proofs = wrong_proofs + 1 WHERE id = ?1 AND {AVAILABLE} RETURNING wrong_proofs"),
                    params![id, now],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(wrong) = wrong else {
                return Ok(None);
            };
            let burned = wrong >= limit;
            let mut old_blob = None;
            if burned {
                old_blob = tx
                    .query_row("SELECT blob FROM secrets WHERE id = ?1", [&id], |r| r.get::<_, Option<String>>(0))?
                    .map(BlobRef);
                tx.execute(
                    "UPDATE secrets SET state = 'burned', blob = NULL, burn_reason = ?3, updated_at = ?2 WHERE id = ?1",
                    params![id, now, reason.as_str()],
                )?;
                tx.execute("DELETE FROM download_tokens WHERE secret_id = ?1", [&id])?;
            }
            tx.commit()?;
            if let Some(blob) = old_blob {
                Self::remove_blob_file(&root, &blob);
            }
            Ok(Some(WrongProof { attempts_left: limit.saturating_sub(wrong), burned }))
        })
        .await
    }

    async fn burn(
        &self,
        id: &str,
        now: UnixTime,
        reason: BurnReason,
    ) -> Result<Option<SecretRecord>> {
        let id = id.to_owned();
        let root = self.blobs.clone();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let Some(before) = get_by_id(&tx, &id)? else {
                return Ok(None);
            };
            // Only an available secret burns: a viewed or expired one keeps its state.
            let changed = tx.execute(
                &format!("UPDATE secrets SET state = 'burned', blob = NULL, burn_reason = ?3, updated_at = ?2 WHERE id = ?1 AND {AVAILABLE}"),
                params![id, now, reason.as_str()],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            tx.execute("DELETE FROM download_tokens WHERE secret_id = ?1", [&id])?;
            let after = get_by_id(&tx, &id)?;
            tx.commit()?;
            if let Some(blob) = before.blob {
                Self::remove_blob_file(&root, &blob);
            }
            Ok(after)
        })
        .await
    }

    async fn update(
        &self,
        id: &str,
        update: Update,
        now: UnixTime,
    ) -> Result<Option<SecretRecord>> {
        let id = id.to_owned();
        let root = self.blobs.clone();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let Some(before) = get_by_id(&tx, &id)? else { return Ok(None) };
            if before.state != ReceiptState::Pending || before.views_used > 0 || now >= before.expires_at {
                return Ok(None);
            }
            if let Some(expires_at) = update.expires_at {
                tx.execute("UPDATE secrets SET expires_at = ?2 WHERE id = ?1", params![id, expires_at])?;
            }
            if let Some(max_views) = update.max_views {
                tx.execute("UPDATE secrets SET max_views = ?2 WHERE id = ?1", params![id, max_views])?;
            }
            let mut replaced = None;
            if let Some(p) = &update.payload {
                tx.execute(
                    "UPDATE secrets SET header = ?2, verifier = ?3, size = ?4, blob = ?5, wrong_proofs = 0, passphrase_verifier = ?6 WHERE id = ?1",
                    params![id, p.header, &p.verifier[..], p.size as i64, p.blob.0, p.passphrase_verifier.as_ref().map(|v| &v[..])],
                )?;
                replaced = before.blob.clone();
            }
            tx.execute("UPDATE secrets SET updated_at = ?2 WHERE id = ?1", params![id, now])?;
            let after = get_by_id(&tx, &id)?;
            tx.commit()?;
            if let Some(old) = replaced {
                Self::remove_blob_file(&root, &old);
            }
            Ok(after)
        })
        .await
    }

    async fn expire_due(&self, now: UnixTime) -> Result<Vec<SecretRecord>> {
        let root = self.blobs.clone();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            let due: Vec<SecretRecord> = {
                let mut stmt = tx.prepare(&format!(
                    "SELECT {COLUMNS} FROM secrets WHERE state IN ('pending', 'viewed') AND expires_at <= ?1 \
                     AND (max_views IS NULL OR views_used < max_views)"
                ))?;
                let rows = stmt.query_map([now], record)?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for r in &due {
                tx.execute("UPDATE secrets SET state = 'expired', blob = NULL, updated_at = ?2 WHERE id = ?1", params![r.id, now])?;
                tx.execute("DELETE FROM download_tokens WHERE secret_id = ?1", [&r.id])?;
            }
            tx.commit()?;
            let mut out = Vec::with_capacity(due.len());
            for mut r in due {
                if let Some(blob) = r.blob.take() {
                    Self::remove_blob_file(&root, &blob);
                }
                r.state = ReceiptState::Expired;
                r.updated_at = now;
                out.push(r);
            }
            Ok(out)
        })
        .await
    }

    async fn sweep(&self, payload_cutoff: UnixTime, receipt_cutoff: UnixTime) -> Result<u64> {
        let root = self.blobs.clone();
        self.with(move |conn| {
            let tx = conn.transaction()?;
            // Fully viewed secrets keep their payload only for the resume window.
            let consumed: Vec<(String, String)> = {
                let mut stmt = tx.prepare(
                    "SELECT id, blob FROM secrets WHERE blob IS NOT NULL AND \
                     ((max_views IS NOT NULL AND views_used >= max_views AND updated_at <= ?1) \
                      OR state IN ('burned', 'expired'))",
                )?;
                let rows = stmt.query_map([payload_cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for (id, _) in &consumed {
                tx.execute("UPDATE secrets SET blob = NULL WHERE id = ?1", [id])?;
            }
            tx.execute("DELETE FROM download_tokens WHERE expires_at <= ?1", [payload_cutoff])?;
            tx.execute(
                "DELETE FROM secrets WHERE state IN ('viewed', 'burned', 'expired') AND blob IS NULL AND updated_at <= ?1",
                [receipt_cutoff],
            )?;
            tx.commit()?;
            for (_, blob) in &consumed {
                Self::remove_blob_file(&root, &BlobRef(blob.clone()));
            }
            Ok(consumed.len() as u64)
        })
        .await
    }

    async fn views(&self, id: &str) -> Result<Vec<ViewEntry>> {
        let id = id.to_owned();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT at, country, client FROM views WHERE secret_id = ?1 ORDER BY at, rowid",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(ViewEntry {
                    at: r.get(0)?,
                    country: r.get(1)?,
                    client: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn list(
        &self,
        account: i64,
        state: Option<ReceiptState>,
        before: Option<(UnixTime, String)>,
        limit: u32,
    ) -> Result<Vec<SecretRecord>> {
        self.with(move |conn| {
            let (before_at, before_id) = before.unwrap_or((i64::MAX, String::new()));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM secrets WHERE account = ?1 AND (?2 IS NULL OR state = ?2) \
                 AND (created_at < ?3 OR (created_at = ?3 AND id < ?4)) ORDER BY created_at DESC, id DESC LIMIT ?5"
            ))?;
            let rows = stmt.query_map(
                params![account, state.map(ReceiptState::as_str), before_at, before_id, limit],
                record,
            )?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn stats(&self, account: i64) -> Result<[(ReceiptState, u64); 4]> {
        self.with(move |conn| {
            let mut out = [
                (ReceiptState::Pending, 0),
                (ReceiptState::Viewed, 0),
                (ReceiptState::Burned, 0),
                (ReceiptState::Expired, 0),
            ];
            let mut stmt = conn.prepare_cached(
                "SELECT state, COUNT(*) FROM secrets WHERE account = ?1 GROUP BY state",
            )?;
            let rows = stmt.query_map([account], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (state, n) = row?;
                if let Some(slot) = out.iter_mut().find(|(s, _)| s.as_str() == state) {
                    slot.1 = n as u64;
                }
            }
            Ok(out)
        })
        .await
    }

    async fn create_token(&self, name: &str, token_hash: [u8; 32], now: UnixTime) -> Result<Token> {
        let name = name.to_owned();
        self.with(move |conn| {
            match conn.execute(
                "INSERT INTO tokens (name, token_hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, &token_hash[..], now],
            ) {
                Ok(_) => Ok(Token {
                    id: conn.last_insert_rowid(),
                    name,
                    created_at: now,
                }),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Err(StoreError::Conflict("token name"))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn find_token(&self, token_hash: &[u8; 32]) -> Result<Option<Token>> {
        let hash = *token_hash;
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT id, name, created_at FROM tokens WHERE token_hash = ?1 AND revoked = 0",
                    [&hash[..]],
                    |r| {
                        Ok(Token {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            created_at: r.get(2)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        self.with(|conn| {
            conn.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
        .await?;
        // The payload directory must still be there and writable-looking (a lost mount).
        let incoming = self.blobs.join("incoming");
        tokio::fs::metadata(&incoming).await?;
        Ok(())
    }

    async fn list_tokens(&self) -> Result<Vec<Token>> {
        self.with(|conn| {
            let mut stmt = conn
                .prepare("SELECT id, name, created_at FROM tokens WHERE revoked = 0 ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(Token {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn revoke_token(&self, name: &str) -> Result<bool> {
        let name = name.to_owned();
        self.with(move |conn| {
            Ok(conn.execute(
                "UPDATE tokens SET revoked = 1 WHERE name = ?1 AND revoked = 0",
                [name],
            )? > 0)
        })
        .await
    }

    async fn check_download_token(
        &self,
        token_hash: &[u8; 32],
        id: &str,
        now: UnixTime,
    ) -> Result<bool> {
        let (hash, id) = (*token_hash, id.to_owned());
        self.with(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM download_tokens WHERE token_hash = ?1 AND secret_id = ?2 AND expires_at > ?3",
                    params![&hash[..], id, now],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        })
        .await
    }

    async fn set_compat(&self, id: &str, compat: Option<String>) -> Result<()> {
        let id = id.to_owned();
        self.with(move |conn| {
            conn.execute(
                "UPDATE secrets SET compat = ?2 WHERE id = ?1",
                params![id, compat],
            )?;
            Ok(())
        })
        .await
    }

    async fn add_report(
        &self,
        id: &str,
        reporter: &str,
        reason: Option<String>,
        now: UnixTime,
    ) -> Result<u32> {
        let (id, reporter) = (id.to_owned(), reporter.to_owned());
        self.with(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT OR IGNORE INTO reports (secret_id, reporter, reason, at) VALUES (?1, ?2, ?3, ?4)",
                params![id, reporter, reason, now],
            )?;
            let count: u32 = tx.query_row(
                "SELECT COUNT(*) FROM reports WHERE secret_id = ?1",
                [&id],
                |r| r.get(0),
            )?;
            tx.commit()?;
            Ok(count)
        })
        .await
    }

    async fn reports(&self, limit: u32) -> Result<Vec<AbuseReport>> {
        self.with(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT secret_id, reporter, reason, at FROM reports ORDER BY at DESC, rowid DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit], |r| {
                Ok(AbuseReport {
                    secret_id: r.get(0)?,
                    reporter: r.get(1)?,
                    reason: r.get(2)?,
                    at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn blob_writer(&self) -> Result<BlobWriter> {
        BlobWriter::create(&self.blobs).await
    }

    async fn open_blob(&self, blob: &BlobRef, offset: u64) -> Result<PayloadReader> {
        use std::io::{Read, Seek};
        let path = blob_path(&self.blobs, blob)
            .ok_or_else(|| StoreError::Corrupt("bad payload reference".into()))?;
        // One trip to the blocking pool: open, seek, and for a small payload (most
        // secrets) read it whole, instead of one trip per read of a `tokio::fs::File`.
        tokio::task::spawn_blocking(move || -> Result<PayloadReader> {
            let mut file = std::fs::File::open(path)?;
            if offset > 0 {
                file.seek(std::io::SeekFrom::Start(offset))?;
            }
            let left = file.metadata()?.len().saturating_sub(offset);
            if left <= SMALL_PAYLOAD {
                let mut bytes = Vec::with_capacity(left as usize);
                file.read_to_end(&mut bytes)?;
                return Ok(Box::new(std::io::Cursor::new(bytes)));
            }
            Ok(Box::new(tokio::fs::File::from_std(file)))
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    async fn delete_blob(&self, blob: &BlobRef) -> Result<()> {
        Self::remove_blob_file(&self.blobs, blob);
        Ok(())
    }
}
