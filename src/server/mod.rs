//! The HTTP servers: the mock SP of `samlcheck serve`, where an IdP posts test logins.

pub mod sp;
