//! `samlcheck decode`: from whatever the user has (a URL, a form value, raw XML) to every SAML
//! message in it, decoded, verified where possible and explained. HAR and SAML-tracer imports
//! build [`RawMessage`]s and call [`analyze()`] the same way.

pub mod analyze;
pub mod context;
pub mod input;
pub mod message;
pub mod pretty;
pub mod redirect;
pub mod report;
pub mod status;
pub mod summary;

pub use analyze::analyze;
pub use context::DecodeContext;
pub use message::{Binding, CarrierError, Param, RawMessage};
pub use report::{MessageKind, MessageReport};
