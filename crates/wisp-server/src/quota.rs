//! Storage quotas: the bytes a caller (an address without a token, or a token) may store
//! per hour and per day, charged as an upload arrives, and the free-disk floor below which
//! nothing new is stored.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use wisp_api::ErrorCode;

use crate::error::AppError;
use crate::routes::Caller;
use crate::state::AppState;

const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
/// The free space is checked again after this many bytes of one upload.
const DISK_CHECK_EVERY: u64 = 8 << 20;
/// Room in a create body for what is not payload: multipart framing and the options part.
const FRAMING: u64 = 64 * 1024;
/// Callers remembered before stale ones are dropped.
const PRUNE_AT: usize = 50_000;

/// Bytes charged per caller in the current hour and day (fixed windows).
#[derive(Debug, Default)]
pub struct ByteQuota {
    usage: Mutex<HashMap<String, Usage>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Usage {
    hour: u64,
    hour_bytes: u64,
    day: u64,
    day_bytes: u64,
}

/// What a caller may still store, and when that grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remaining {
    /// Bytes.
    pub left: u64,
    /// Seconds until the binding window starts afresh.
    pub resets_in: u64,
}

/// What one caller may store.
#[derive(Clone, Copy, Debug)]
pub struct Allowance {
    /// Bytes per hour.
    pub per_hour: u64,
    /// Bytes per day.
    pub per_day: u64,
}

impl ByteQuota {
    /// Charges `bytes` to `key` at `now` (Unix seconds). Over either window's allowance,
    /// nothing is charged and the answer is the seconds until that window ends.
    pub fn charge(&self, key: &str, bytes: u64, allowance: Allowance, now: u64) -> Result<(), u64> {
        let mut usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        if usage.len() >= PRUNE_AT {
            usage.retain(|_, u| u.day == now / DAY);
        }
        let u = usage.entry(key.to_owned()).or_default();
        if u.hour != now / HOUR {
            u.hour = now / HOUR;
            u.hour_bytes = 0;
        }
        if u.day != now / DAY {
            u.day = now / DAY;
            u.day_bytes = 0;
        }
        if u.day_bytes.saturating_add(bytes) > allowance.per_day {
            return Err(DAY - now % DAY);
        }
        if u.hour_bytes.saturating_add(bytes) > allowance.per_hour {
            return Err(HOUR - now % HOUR);
        }
        u.hour_bytes += bytes;
        u.day_bytes += bytes;
        Ok(())
    }

    /// Bytes `key` may still store now and the seconds until the window that binds (the one
    /// with less left) starts afresh; `left` is 0 when nothing may be stored.
    pub fn remaining(&self, key: &str, allowance: Allowance, now: u64) -> Remaining {
        let usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        let u = usage.get(key).copied().unwrap_or_default();
        let hour_used = if u.hour == now / HOUR {
            u.hour_bytes
        } else {
            0
        };
        let day_used = if u.day == now / DAY { u.day_bytes } else { 0 };
        let day_left = allowance.per_day.saturating_sub(day_used);
        let hour_left = allowance.per_hour.saturating_sub(hour_used);
        if day_left <= hour_left {
            Remaining {
                left: day_left,
                resets_in: DAY - now % DAY,
            }
        } else {
            Remaining {
                left: hour_left,
                resets_in: HOUR - now % HOUR,
            }
        }
    }

    /// Gives back bytes of an upload that was not kept (in the windows they were charged in,
    /// if those are still current).
    pub fn refund(&self, key: &str, bytes: u64, charged_at: u64) {
        let mut usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = usage.get_mut(key) {
            if u.hour == charged_at / HOUR {
                u.hour_bytes = u.hour_bytes.saturating_sub(bytes);
            }
            if u.day == charged_at / DAY {
                u.day_bytes = u.day_bytes.saturating_sub(bytes);
            }
        }
    }
}

/// One upload's running charge: bytes are charged as they arrive, and given back if the
/// upload is not kept (dropped without [`Charge::keep`]).
pub(crate) struct Charge {
    quota: Arc<ByteQuota>,
    key: String,
    allowance: Allowance,
    charged: u64,
    started: u64,
    disk: Option<(PathBuf, u64)>,
    next_disk_check: u64,
}

impl Charge {
    /// Starts charging an upload by `caller` (from `ip` when anonymous). Refuses at once,
    /// before any of the body is read, when the disk is below its floor, when the caller has
    /// nothing left to store, or when the body's declared length (`declared`, less room for
    /// the multipart framing and options) is more than it has left.
    pub(crate) fn start(
        state: &AppState,
        caller: &Caller,
        ip: std::net::IpAddr,
        declared: Option<u64>,
    ) -> Result<Self, AppError> {
        let q = &state.config.quota;
        let allowance = match caller {
            Caller::Account(_) => Allowance {
                per_hour: q.token_bytes_per_hour,
                per_day: q.token_bytes_per_day,
            },
            Caller::Anonymous => Allowance {
                per_hour: q.anonymous_bytes_per_hour,
                per_day: q.anonymous_bytes_per_day,
            },
        };
        let key = caller.bucket(ip);
        let disk = (q.min_free_disk_bytes > 0).then(|| {
            (
                state.config.data_dir.join("payloads"),
                q.min_free_disk_bytes,
            )
        });
        let mut charge = Charge {
            quota: state.quota.clone(),
            key,
            allowance,
            charged: 0,
            started: crate::now().max(0) as u64,
            disk,
            next_disk_check: 0,
        };
        charge.add(0)?;
        let now = crate::now().max(0) as u64;
        let Remaining { left, resets_in } = charge.quota.remaining(&charge.key, allowance, now);
        let payload = declared.map(|n| n.saturating_sub(FRAMING));
        if payload.is_some_and(|n| n > allowance.per_hour.min(allowance.per_day)) {
            // No wait would help: say so instead of naming a time to come back.
            return Err(AppError::new(
                ErrorCode::QuotaExceeded,
                "This upload is larger than this server lets you store in an hour or a day.",
                "Send something smaller, or ask the operator for a token with a larger quota.",
            ));
        }
        if left == 0 || payload.is_some_and(|n| n > left) {
            return Err(quota_exceeded(resets_in));
        }
        Ok(charge)
    }

    /// Charges `bytes` more.
    pub(crate) fn add(&mut self, bytes: u64) -> Result<(), AppError> {
        if self.charged >= self.next_disk_check {
            self.next_disk_check = self.charged + DISK_CHECK_EVERY;
            if let Some((dir, floor)) = &self.disk {
                check_free_disk(dir, *floor)?;
            }
        }
        if bytes == 0 {
            return Ok(());
        }
        match self
            .quota
            .charge(&self.key, bytes, self.allowance, crate::now().max(0) as u64)
        {
            Ok(()) => {
                self.charged += bytes;
                Ok(())
            }
            Err(retry_after) => Err(quota_exceeded(retry_after)),
        }
    }

    /// The upload was kept: its bytes stay charged.
    pub(crate) fn keep(mut self) {
        self.charged = 0;
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        if self.charged > 0 {
            self.quota.refund(&self.key, self.charged, self.started);
        }
    }
}

fn quota_exceeded(retry_after: u64) -> AppError {
    let mut err = AppError::new(
        ErrorCode::QuotaExceeded,
        "You have stored as much as this server allows for now.",
        format!(
            "Wait {retry_after} seconds, send less, or ask the operator for a token with a larger quota."
        ),
    );
    err.retry_after = Some(retry_after);
    err
}

/// Refuses with 507 `insufficient_storage` when the file system holding `dir` has less than
/// `floor` bytes free for unprivileged users.
fn check_free_disk(dir: &std::path::Path, floor: u64) -> Result<(), AppError> {
    match free_bytes(dir) {
        Some(free) if free < floor => {
            tracing::warn!(
                free,
                floor,
                "free disk below quota.min_free_disk_bytes: refusing new payloads"
            );
            Err(AppError::new(
                ErrorCode::InsufficientStorage,
                "The server is out of storage space for new secrets.",
                "Try again later; the operator has been warned in the server's log.",
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_dir: &std::path::Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cap_and_refunds_return() {
        let q = ByteQuota::default();
        let a = Allowance {
            per_hour: 100,
            per_day: 150,
        };
        let t = 10 * DAY + 60;
        assert_eq!(q.charge("k", 60, a, t), Ok(()));
        // 60 + 50 > 100 in this hour: refused until the hour ends (3540 s left), nothing charged.
        assert_eq!(q.charge("k", 50, a, t), Err(HOUR - 60));
        assert_eq!(q.charge("k", 40, a, t), Ok(()));
        // Next hour: the hour is fresh, the day has 100 of 150 used.
        assert_eq!(q.charge("k", 60, a, t + HOUR), Err(DAY - (60 + HOUR)));
        q.refund("k", 40, t);
        assert_eq!(q.charge("k", 50, a, t + HOUR), Ok(()));
        // Other callers have their own windows.
        assert_eq!(q.charge("other", 100, a, t), Ok(()));
    }
}
