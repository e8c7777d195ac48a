//! Counted slots: how many connections or push subscriptions are held at once, in total and
//! per key (an address or a token). A slot is given back when its guard is dropped, so a
//! connection or stream that ends in any way frees it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Slots with a total cap and per-key caps.
#[derive(Clone, Debug)]
pub struct Slots {
    inner: Arc<Mutex<Held>>,
    max: usize,
}

#[derive(Debug, Default)]
struct Held {
    total: usize,
    by_key: HashMap<String, usize>,
}

/// Why a slot was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The total cap is reached.
    Full,
    /// This key holds its share.
    KeyFull,
}

/// One held slot; dropping it gives it back.
#[derive(Debug)]
pub struct Slot {
    inner: Arc<Mutex<Held>>,
    key: Option<String>,
}

impl Slots {
    /// At most `max` slots in all.
    pub fn new(max: usize) -> Self {
        Slots {
            inner: Arc::default(),
            max,
        }
    }

    /// Takes a slot, counted against `key` (at most `per_key` for it) when one is given.
    /// The caps are checked and the slot taken under one lock, so concurrent callers can
    /// never overshoot them.
    pub fn take(&self, key: Option<(String, usize)>) -> Result<Slot, Refused> {
        let mut held = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if held.total >= self.max {
            return Err(Refused::Full);
        }
        if let Some((key, per_key)) = &key {
            let count = held.by_key.get(key).copied().unwrap_or(0);
            if count >= *per_key {
                return Err(Refused::KeyFull);
            }
            held.by_key.insert(key.clone(), count + 1);
        }
        held.total += 1;
        Ok(Slot {
            inner: self.inner.clone(),
            key: key.map(|(k, _)| k),
        })
    }

    /// Slots held now (for tests and logs).
    pub fn held(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        held.total = held.total.saturating_sub(1);
        if let Some(key) = self.key.take() {
            // Keys with nothing held are removed, so the map only ever holds live keys.
            if let Some(count) = held.by_key.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    held.by_key.remove(&key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_and_slots_come_back() {
        let slots = Slots::new(3);
        let a1 = slots.take(Some(("a".into(), 2))).expect("a1");
        let _a2 = slots.take(Some(("a".into(), 2))).expect("a2");
        assert_eq!(
            slots.take(Some(("a".into(), 2))).err(),
            Some(Refused::KeyFull)
        );
        let _b = slots.take(Some(("b".into(), 2))).expect("b");
        assert_eq!(slots.take(None).err(), Some(Refused::Full));
        drop(a1);
        assert_eq!(slots.held(), 2);
        let _a3 = slots.take(Some(("a".into(), 2))).expect("a3 after a1 left");
        assert_eq!(slots.inner.lock().expect("lock").by_key.len(), 2);
    }
}
