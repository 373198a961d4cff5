//! XML Encryption as SAML uses it: an `saml:EncryptedAssertion` holding one `xenc:EncryptedData`
//! whose AES key travels RSA-encrypted in an `xenc:EncryptedKey` (inside the data's
//! `ds:KeyInfo`, or beside it as Shibboleth writes it).
//!
//! [`decrypt_assertion`] gives a [`Decrypted`] document: the received one with the assertion
//! decrypted in place, parsed by the same hardened parser. Every cryptographic failure is one
//! [`DecryptError::Undecryptable`] with one message, so the answer is no padding oracle.
//! [`encrypt_assertion`] is the same machinery forwards, for the mock IdP and the fixtures.
//!
//! ```
//! use samlcheck::checks::response::{verify_response, VerifyOptions};
//! use samlcheck::saml::{metadata::IdpMetadata, time::parse_instant};
//! use samlcheck::sp::SpProfile;
//! use samlcheck::xml::enc::{encrypt_assertion, DecryptionKey, EncryptOptions, EncryptionCert};
//!
//! // The IdP: a response with a signed assertion, the assertion encrypted for the SP
//! // certificate (RSA-OAEP and AES-256-GCM by default).
//! let signed = std::fs::read_to_string("fixtures/responses/compact.xml")?;
//! let cert = EncryptionCert::from_pem(&std::fs::read("fixtures/keys/sp-rsa.crt")?)?;
//! let encrypted = encrypt_assertion(&signed, &cert, &EncryptOptions::default())?;
//!
//! // The SP: verify with its private key, as `samlcheck verify --sp-key` does.
//! let key = DecryptionKey::from_pem(&std::fs::read("fixtures/keys/sp-rsa.key")?)?;
//! let idp = IdpMetadata::parse(&std::fs::read("fixtures/metadata/okta.xml")?, None)?;
//! let sp = SpProfile::for_org("https://sentry.io", "acme");
//! let now = parse_instant("2026-01-15T10:01:00Z").unwrap();
//! let verdict = verify_response(encrypted.as_bytes(), &idp, &sp, &VerifyOptions::at(now).with_sp_key(key));
//! assert!(verdict.accepted);
//! assert_eq!(verdict.encryption.unwrap().content, "aes256-gcm");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod algorithm;
mod base64;
pub mod cipher;
pub mod decrypt;
pub mod decrypted;
pub mod encrypt;
pub mod error;
pub mod key;
pub mod structure;
pub mod transport;

/// The XML Encryption 1.0 namespace.
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The XML Encryption 1.1 namespace (GCM, generic RSA-OAEP, MGF).
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
/// `EncryptedData Type` for a whole element.
pub const TYPE_ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";
/// `RetrievalMethod Type` naming an EncryptedKey.
pub const TYPE_ENCRYPTED_KEY: &str = "http://www.w3.org/2001/04/xmlenc#EncryptedKey";

pub use algorithm::{ContentAlgorithm, KeyTransport};
pub use decrypt::decrypt_assertion;
pub use decrypted::{Decrypted, Origin};
pub use encrypt::{encrypt_assertion, encrypted_assertion_xml, EncryptOptions, KeyPlacement};
pub use error::{DecryptError, Diagnosis, EncryptError, KeyError};
pub use key::{DecryptionKey, EncryptionCert};

/// The SAML assertion namespace, the one element type decryption may yield here (kept local:
/// the xml layer does not depend on the saml layer).
pub(crate) const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

#[cfg(test)]
mod tests;
