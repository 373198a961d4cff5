//! samlcheck: make SAML2 single sign-on work the first time.
//!
//! Data flows one way: bytes -> [`xml`] (tree) -> [`xml::dsig`] (verified handle) ->
//! [`saml`] model -> [`checks`] (findings) -> [`report`] (text, JSON...).
#![forbid(unsafe_code)]

pub mod checks;
pub mod cli;
pub mod config;
pub mod fetch;
pub mod lint;
pub mod report;
pub mod saml;
pub mod sp;
pub mod xml;
