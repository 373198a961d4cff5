//! `samlcheck decode`: from whatever the user has (a URL, a form value, raw XML) to every SAML
//! message in it, decoded, verified where possible and explained. HAR and SAML-tracer imports
//! build [`RawMessage`]s and call [`analyze`] the same way.

pub mod context;
pub mod message;
pub mod report;

pub use context::DecodeContext;
pub use message::{Binding, CarrierError, Param, RawMessage};
pub use report::{MessageKind, MessageReport};

/// Decodes, summarizes, verifies and explains one message.
pub fn analyze(message: &RawMessage, _ctx: &DecodeContext<'_>) -> MessageReport {
    MessageReport {
        binding: message.binding,
        param: message.param,
        url: message.url.clone(),
        relay_state: message.relay_state.clone(),
        ..MessageReport::default()
    }
}
