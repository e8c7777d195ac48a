//! Background upkeep: expire secrets past their TTL (payload deleted, receipt kept, events
//! published), delete payloads of fully viewed secrets after the resume window, and forget
//! receipts after the retention period.

use std::time::Duration;

use crate::state::AppState;

/// How often the sweeper runs.
const PERIOD: Duration = Duration::from_secs(5);

pub(crate) async fn run(state: AppState) {
    let mut tick = tokio::time::interval(PERIOD);
    loop {
        tick.tick().await;
        if let Err(e) = sweep_once(&state).await {
            tracing::warn!(error = %e, "sweep failed");
        }
    }
}

pub(crate) async fn sweep_once(state: &AppState) -> Result<(), wisp_store::StoreError> {
    let now = crate::now();
    for record in state.store.expire_due(now).await? {
        state.publish(record.metadata_hash);
        state.notifier.secret_event(&record, now);
    }
    let limits = &state.config.limits;
    let payload_cutoff = now - limits.resume_window as i64;
    let receipt_cutoff = now - (limits.receipt_retention_days * 86_400) as i64;
    let deleted = state.store.sweep(payload_cutoff, receipt_cutoff).await?;
    if deleted > 0 {
        tracing::debug!(deleted, "payloads of viewed secrets deleted");
    }
    Ok(())
}
