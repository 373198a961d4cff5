//! SAML 2.0: bindings (how messages travel), metadata, and the Response/Assertion model.

pub mod authn_request;
pub mod binding;
pub mod capture;
pub mod logout;
pub mod metadata;
pub mod ns;
pub mod response;
pub mod time;
