//! Assertion IDs already consumed, so the same assertion is accepted once only.

use time::OffsetDateTime;

use super::expiring::ExpiringMap;
use crate::server::sp::limits::ServerLimits;

/// When an assertion was first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The test login it came with.
    pub login: u64,
    pub at: OffsetDateTime,
}

#[derive(Debug)]
pub struct ReplayCache {
    seen: ExpiringMap<Seen>,
}

impl ReplayCache {
    pub fn new(limits: &ServerLimits) -> Self {
        ReplayCache {
            seen: ExpiringMap::new(limits.max_replay, limits.replay_ttl),
        }
    }

    /// Remembers `assertion_id`; if it was already seen, returns when (and remembers nothing).
    pub fn check(&mut self, assertion_id: &str, login: u64, now: OffsetDateTime) -> Option<Seen> {
        if let Some(first) = self.seen.get(assertion_id, now) {
            return Some(*first);
        }
        self.seen
            .insert_new(assertion_id, Seen { login, at: now }, now);
        None
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}
