//! The AuthnRequests this server sent, by ID, so a response's InResponseTo can be matched to
//! one of them. Kept for a while and not consumed: a second response to the same request is
//! caught by the replay cache, with a clearer message.

use time::OffsetDateTime;

use super::expiring::ExpiringMap;
use crate::server::sp::limits::ServerLimits;

#[derive(Debug)]
pub struct IssuedRequests {
    ids: ExpiringMap<()>,
}

impl IssuedRequests {
    pub fn new(limits: &ServerLimits) -> Self {
        IssuedRequests {
            ids: ExpiringMap::new(limits.max_requests, limits.request_ttl),
        }
    }

    pub fn issue(&mut self, id: &str, now: OffsetDateTime) {
        self.ids.insert_new(id, (), now);
    }

    pub fn was_issued(&self, id: &str, now: OffsetDateTime) -> bool {
        self.ids.get(id, now).is_some()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}
