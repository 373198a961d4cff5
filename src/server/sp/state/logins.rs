//! Recent test logins: what arrived at the ACS, the verdict and the rendered report, newest
//! last, at most `max_logins` of them.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::checks::response::Verdict;
use crate::sp::preview::LinkPreview;

/// One post to the ACS, checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Login {
    pub number: u64,
    /// RFC 3339.
    pub received: String,
    /// Where its report is (a path on this server).
    pub report: String,
    /// The AuthnRequest it answers, when it answers one this server sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    #[serde(flatten)]
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<LinkPreview>,
    /// The report page, rendered once.
    #[serde(skip)]
    pub html: String,
}

impl Login {
    /// Whether the report names `rule`: among the response's findings or the account's.
    pub fn reported(&self, rule: &str) -> bool {
        self.verdict.has(rule)
            || self
                .preview
                .as_ref()
                .is_some_and(|p| p.findings.iter().any(|f| f.rule == rule))
    }
}

#[derive(Debug)]
pub struct RecentLogins {
    capacity: usize,
    items: VecDeque<Arc<Login>>,
}

impl RecentLogins {
    pub fn new(capacity: usize) -> Self {
        RecentLogins {
            capacity: capacity.max(1),
            items: VecDeque::new(),
        }
    }

    pub fn push(&mut self, login: Arc<Login>) {
        while self.items.len() >= self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(login);
    }

    pub fn get(&self, number: u64) -> Option<Arc<Login>> {
        self.items.iter().find(|l| l.number == number).cloned()
    }

    /// Newest first.
    pub fn newest_first(&self) -> Vec<Arc<Login>> {
        self.items.iter().rev().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
