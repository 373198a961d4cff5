//! samlcheck: make SAML2 single sign-on work the first time.
//!
//! Data flows one way: bytes -> [`xml`] (tree) -> [`xml::dsig`] (verified handle) ->
//! [`saml`] model -> [`checks`] (findings) -> [`report`] (text, JSON...).
//!
//! Verifying a captured response against IdP metadata, as `samlcheck verify` does:
//!
//! ```
//! use samlcheck::checks::response::{verify_response, VerifyOptions};
//! use samlcheck::saml::{metadata::IdpMetadata, time::parse_instant};
//! use samlcheck::sp::SpProfile;
//!
//! let idp = IdpMetadata::parse(&std::fs::read("fixtures/metadata/okta.xml")?, None)?;
//! let sp = SpProfile::for_org("https://sentry.io", "acme");
//! let now = parse_instant("2026-01-15T10:01:00Z").unwrap();
//! let response = std::fs::read("fixtures/responses/okta.xml")?;
//!
//! let verdict = verify_response(&response, &idp, &sp, &VerifyOptions::at(now));
//! assert!(verdict.accepted);
//! assert_eq!(verdict.subject.unwrap().name_id, "jane.doe@acme.example");
//!
//! // The same response checked for another org is rejected, and says why.
//! let other = SpProfile::for_org("https://sentry.io", "acme-corp");
//! let verdict = verify_response(&response, &idp, &other, &VerifyOptions::at(now));
//! assert!(verdict.has("response/destination-mismatch"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod checks;
pub mod cli;
pub mod config;
pub mod decode;
pub mod fetch;
pub mod lint;
pub mod preflight;
pub mod report;
pub mod saml;
pub mod server;
pub mod sp;
pub mod xml;
