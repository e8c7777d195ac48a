//! Who is watching which receipt: a change wakes only the subscriptions that name its
//! metadata key, so a flood of idle subscriptions costs nothing per event (with a broadcast,
//! every view would wake every subscriber).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

/// Changes queued per subscription before it is told it missed some.
const QUEUE: usize = 64;

/// What a subscription hears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// This receipt changed.
    Changed([u8; 32]),
    /// Changes were dropped (the subscriber was slow): resend every watched receipt.
    Missed,
}

/// Subscription id and its channel, per watched metadata-key hash.
type Watchers = HashMap<[u8; 32], Vec<(u64, Watcher)>>;

/// The registry of live subscriptions by metadata-key hash.
#[derive(Debug, Default)]
pub struct Hub {
    watchers: Mutex<Watchers>,
    next_id: AtomicU64,
}

#[derive(Debug, Clone)]
struct Watcher {
    tx: mpsc::Sender<Heard>,
    missed: Arc<std::sync::atomic::AtomicBool>,
}

/// A live subscription: receives changes to its keys; dropping it unregisters them.
#[derive(Debug)]
pub struct Subscription {
    hub: Arc<Hub>,
    id: u64,
    keys: Vec<[u8; 32]>,
    rx: mpsc::Receiver<Heard>,
    missed: Arc<std::sync::atomic::AtomicBool>,
}

impl Hub {
    /// Registers a subscription to `keys`.
    pub fn subscribe(self: &Arc<Self>, keys: Vec<[u8; 32]>) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(QUEUE);
        let missed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = Watcher {
            tx,
            missed: missed.clone(),
        };
        let mut watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
        for key in &keys {
            watchers
                .entry(*key)
                .or_default()
                .push((id, watcher.clone()));
        }
        drop(watchers);
        Subscription {
            hub: self.clone(),
            id,
            keys,
            rx,
            missed,
        }
    }

    /// Tells the subscriptions watching `key` that it changed. Never waits: a subscription
    /// whose queue is full is marked as having missed changes instead.
    pub fn publish(&self, key: [u8; 32]) {
        let watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
        for (_, w) in watchers.get(&key).into_iter().flatten() {
            if w.tx.try_send(Heard::Changed(key)).is_err() {
                w.missed.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Keys with at least one watcher (for tests and logs).
    pub fn watched(&self) -> usize {
        self.watchers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
}

impl Subscription {
    /// The next change, or `None` when the hub is gone.
    pub async fn next(&mut self) -> Option<Heard> {
        if self.missed.swap(false, Ordering::Relaxed) {
            return Some(Heard::Missed);
        }
        let heard = self.rx.recv().await?;
        if self.missed.swap(false, Ordering::Relaxed) {
            return Some(Heard::Missed);
        }
        Some(heard)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut watchers = self.hub.watchers.lock().unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            if let Some(list) = watchers.get_mut(key) {
                list.retain(|(id, _)| *id != self.id);
                if list.is_empty() {
                    watchers.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_watchers_of_a_key_hear_it_and_leaving_unregisters() {
        let hub = Arc::new(Hub::default());
        let mut a = hub.subscribe(vec![[1; 32], [2; 32]]);
        let mut b = hub.subscribe(vec![[2; 32]]);
        hub.publish([1; 32]);
        hub.publish([2; 32]);
        hub.publish([3; 32]);
        assert_eq!(a.next().await, Some(Heard::Changed([1; 32])));
        assert_eq!(a.next().await, Some(Heard::Changed([2; 32])));
        assert_eq!(b.next().await, Some(Heard::Changed([2; 32])));
        assert!(b.rx.try_recv().is_err(), "b never heard of key 1");
        drop(a);
        assert_eq!(hub.watched(), 1);
        drop(b);
        assert_eq!(hub.watched(), 0);
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_it_missed_changes() {
        let hub = Arc::new(Hub::default());
        let mut slow = hub.subscribe(vec![[1; 32]]);
        for _ in 0..QUEUE + 5 {
            hub.publish([1; 32]);
        }
        assert_eq!(slow.next().await, Some(Heard::Missed));
    }
}
