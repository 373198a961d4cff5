//! XML-DSig as SAML uses it: one enveloped signature, one `#ID` Reference, an algorithm
//! allowlist, trust only in the metadata's certificates. [`verify_signature`] returns a
//! [`Verified`] handle; [`sign_element`] is the same machinery backwards.

pub mod algorithm;
pub mod failure;
pub mod key_files;
pub mod keys;
pub mod sign;
pub mod signature;
pub mod verify;

pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

pub use algorithm::{Hash, KeyKind, SignatureAlgorithm};
pub use failure::{AlgorithmRole, DigestHint, SignatureFailure};
pub use keys::{CertInfo, TrustedKey};
pub use sign::{sign_element, SignOptions, SigningKey};
pub use verify::{verify_signature, SignatureCheck, Verified};

#[cfg(test)]
pub(crate) mod tests;
