//! What the mock SP remembers between requests, each part bounded in size and, where it
//! matters, in time: the AuthnRequests it issued, the assertions it consumed, its recent
//! test logins.

pub mod expiring;
pub mod logins;
pub mod replay;
pub mod requests;

pub use logins::{Login, RecentLogins};
pub use replay::{ReplayCache, Seen};
pub use requests::IssuedRequests;
