//! Bounds on what one client, or a flood of them, can make the server hold: body size, time to
//! send headers and body, open connections, and the sizes and lifetimes of the state kept
//! between requests.

use std::time::Duration;

use crate::server::accept::ConnectionLimits;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Largest request body; a larger one is refused with 413 before it is read.
    pub max_body: usize,
    /// Time a client has to send a request's headers (also closes idle keep-alive connections).
    pub header_timeout: Duration,
    /// Time a client has to send a request's body.
    pub read_timeout: Duration,
    /// Open connections; further ones wait in the listen backlog.
    pub max_connections: usize,
    /// Test logins kept for `/` and `/api/logins`; the oldest is dropped first.
    pub max_logins: usize,
    /// AuthnRequest IDs remembered for InResponseTo, and for how long.
    pub max_requests: usize,
    pub request_ttl: Duration,
    /// Assertion IDs remembered against replay, and for how long. The lifetime outlasts the
    /// validity windows IdPs use (minutes to an hour), after which a replay is expired anyway.
    pub max_replay: usize,
    pub replay_ttl: Duration,
    /// On shutdown, time given to connections to finish the request they are serving.
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_body: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_connections: 256,
            max_logins: 50,
            max_requests: 10_000,
            request_ttl: Duration::from_secs(30 * 60),
            max_replay: 50_000,
            replay_ttl: Duration::from_secs(24 * 3600),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

impl ServerLimits {
    /// The limits the accept loop enforces per connection.
    pub fn connections(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: self.header_timeout,
            max_connections: self.max_connections,
            shutdown_grace: self.shutdown_grace,
        }
    }
}
