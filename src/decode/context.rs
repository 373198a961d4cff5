//! What a message is checked against besides itself: the IdP and SP when known, the time,
//! the request it should answer. Everything is optional except the time: a message with no
//! context is still decoded, summarized and explained.

use crate::saml::metadata::IdpMetadata;
use crate::sp::mapping::AttributeMapping;
use crate::sp::SpProfile;
use crate::xml::dsig::TrustedKey;
use crate::xml::enc::DecryptionKey;

/// The context [`crate::decode::analyze()`] checks a message in.
#[derive(Debug, Clone)]
pub struct DecodeContext<'a> {
    /// The IdP: its signing certificates verify Responses, logout messages and Redirect
    /// signatures from the IdP.
    pub idp: Option<&'a IdpMetadata>,
    /// The IdP's `WantAuthnRequestsSigned`, when its metadata says (`true` makes an unsigned
    /// AuthnRequest an error).
    pub want_authn_requests_signed: Option<bool>,
    /// The SP under test. With `idp`, Responses run through the full `verify` pipeline.
    pub sp: Option<&'a SpProfile>,
    /// The SP's signing certificates (`--sp-cert`), for AuthnRequests and the SP's logout
    /// messages signed over the Redirect query.
    pub sp_certs: &'a [TrustedKey],
    /// The attribute mapping (from `--preset` / `--map` / samlcheck.toml), checked against a
    /// Response's attributes.
    pub mapping: Option<&'a AttributeMapping>,
    pub now: time::OffsetDateTime,
    /// Allowed clock difference, in seconds.
    pub clock_skew: i64,
    /// The ID of the AuthnRequest the SP sent, for InResponseTo.
    pub request_id: Option<&'a str>,
    /// The SP private key, to decrypt an EncryptedAssertion.
    pub sp_key: Option<&'a DecryptionKey>,
    pub deny_warnings: bool,
}

impl<'a> DecodeContext<'a> {
    /// No IdP, no SP: decode, summarize and explain only.
    pub fn at(now: time::OffsetDateTime) -> DecodeContext<'a> {
        DecodeContext {
            idp: None,
            want_authn_requests_signed: None,
            sp: None,
            sp_certs: &[],
            mapping: None,
            now,
            clock_skew: 300,
            request_id: None,
            sp_key: None,
            deny_warnings: false,
        }
    }
}
