//! The captured test login, read for its values: the URLs the IdP sent it to and the
//! attributes it carries. Whether it can be trusted is the test login's verdict, not this.

use crate::checks::mapping::ObservedAssertion;
use crate::saml::binding::decode_message;
use crate::saml::response::{Assertion, ResponseEnvelope};
use crate::xml::{Document, Limits};

/// A decoded and parsed Response with its first Assertion (the one an SP consumes).
#[derive(Debug)]
pub struct Capture {
    /// The input's name, for locations.
    pub name: String,
    pub doc: Document,
    pub envelope: ResponseEnvelope,
    /// Read without its signature; see [`Capture::observed`].
    pub assertion: Option<Assertion>,
}

impl Capture {
    /// `None` when the input is not a readable Response; the test login says why.
    pub fn read(name: &str, input: &[u8], limits: Limits) -> Option<Capture> {
        let decoded = decode_message(input).ok()?;
        let doc = Document::parse_bytes(&decoded.xml, limits).ok()?;
        let envelope = ResponseEnvelope::read(&doc)?;
        let assertion = envelope
            .assertions
            .first()
            .map(|&node| Assertion::read_unverified_for_diagnosis(&doc, node));
        Some(Capture {
            name: name.to_string(),
            doc,
            envelope,
            assertion,
        })
    }

    /// The assertion for the mapping checks. It is the one `verify` consumes, so when the test
    /// login is accepted its content is the signed content.
    pub fn observed(&self) -> Option<ObservedAssertion<'_>> {
        self.assertion
            .as_ref()
            .map(|a| ObservedAssertion::new(&self.doc, a))
    }
}
