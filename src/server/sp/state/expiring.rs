//! A set of string keys with values, bounded in count and lifetime: the oldest entry is
//! dropped when full, and an entry older than the lifetime counts as absent (and is dropped
//! on the next insert). A flood of inserts therefore never grows it past its capacity.

use std::collections::{HashMap, VecDeque};

use time::OffsetDateTime;

#[derive(Debug)]
pub struct ExpiringMap<V> {
    capacity: usize,
    ttl: time::Duration,
    entries: HashMap<String, (V, OffsetDateTime)>,
    /// Keys in insertion order with their expiry. An entry whose expiry differs from the
    /// map's is stale (its key was replaced) and is skipped.
    order: VecDeque<(String, OffsetDateTime)>,
}

impl<V> ExpiringMap<V> {
    pub fn new(capacity: usize, ttl: std::time::Duration) -> Self {
        ExpiringMap {
            capacity: capacity.max(1),
            // A century stands for "forever" and keeps `now + ttl` representable.
            ttl: time::Duration::try_from(ttl)
                .unwrap_or(time::Duration::MAX)
                .min(time::Duration::days(36_500)),
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The value of `key`, unless it has expired at `now`.
    pub fn get(&self, key: &str, now: OffsetDateTime) -> Option<&V> {
        self.entries
            .get(key)
            .filter(|(_, expires)| now < *expires)
            .map(|(v, _)| v)
    }

    /// Inserts `key` unless it is present and unexpired; returns whether it was inserted.
    pub fn insert_new(&mut self, key: &str, value: V, now: OffsetDateTime) -> bool {
        if self.get(key, now).is_some() {
            return false;
        }
        self.purge(now);
        while self.entries.len() >= self.capacity {
            if !self.pop_oldest() {
                break;
            }
        }
        let expires = now.checked_add(self.ttl).unwrap_or(now);
        self.entries.insert(key.to_string(), (value, expires));
        self.order.push_back((key.to_string(), expires));
        // Stale order entries come from replaced keys; keep them from piling up.
        if self.order.len() > 2 * self.capacity {
            self.order
                .retain(|(k, e)| self.entries.get(k).is_some_and(|(_, x)| x == e));
        }
        true
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn purge(&mut self, now: OffsetDateTime) {
        while self.order.front().is_some_and(|(_, e)| *e <= now) {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) -> bool {
        let Some((key, expires)) = self.order.pop_front() else {
            return false;
        };
        if self.entries.get(&key).is_some_and(|(_, e)| *e == expires) {
            self.entries.remove(&key);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(s: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_768_471_200 + s).unwrap()
    }

    #[test]
    fn bounded_in_count() {
        let mut m = ExpiringMap::new(3, Duration::from_secs(60));
        for i in 0..10 {
            assert!(m.insert_new(&format!("k{i}"), i, at(0)));
        }
        assert_eq!(m.len(), 3);
        assert!(m.get("k0", at(0)).is_none());
        assert_eq!(m.get("k9", at(0)), Some(&9));
        assert!(!m.insert_new("k9", 0, at(1)));
    }

    #[test]
    fn bounded_in_time() {
        let mut m = ExpiringMap::new(10, Duration::from_secs(60));
        m.insert_new("a", (), at(0));
        assert!(m.get("a", at(59)).is_some());
        assert!(m.get("a", at(60)).is_none());
        assert!(m.insert_new("a", (), at(61)));
        m.insert_new("b", (), at(200));
        assert_eq!(m.len(), 1);
        assert!(m.get("a", at(200)).is_none());
    }

    #[test]
    fn replaced_keys_do_not_pile_up() {
        let mut m = ExpiringMap::new(2, Duration::from_secs(1));
        for i in 0..1000 {
            m.insert_new("same", (), at(i * 2));
        }
        assert_eq!(m.len(), 1);
        assert!(m.order.len() <= 4);
    }
}
