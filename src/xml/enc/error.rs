//! What can go wrong with keys, decryption and encryption.

use crate::xml::XmlError;

/// An SP key or certificate that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the private key (PEM, PKCS#8 or PKCS#1 RSA): {0}")]
    Pem(String),
    #[error("the key is {0}, but XML Encryption key transport needs RSA")]
    NotRsa(String),
    #[error("cannot read the certificate: {0}")]
    Certificate(String),
    #[error("the certificate does not belong to the private key")]
    CertificateMismatch,
}

/// Facts about a failed decryption that do not depend on any secret: the algorithms named,
/// the certificate the IdP encrypted for and whether the SP key matches it. Built before any
/// cryptography runs, so it reads the same whatever made the decryption fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnosis {
    pub notes: Vec<String>,
}

/// Why an EncryptedAssertion yielded no assertion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// Every cryptographic failure: wrong key, bad key transport, corrupted or truncated
    /// ciphertext, bad padding, a failed GCM tag, a plaintext that is not text. One variant and
    /// one message, so the answer cannot serve as a padding oracle.
    #[error("the encrypted assertion could not be decrypted with the SP key")]
    Undecryptable(Diagnosis),
    /// The XML structure around the ciphertext is not what XML Encryption defines.
    #[error("the EncryptedAssertion is malformed: {0}")]
    Malformed(String),
    #[error("the EncryptedAssertion uses the {role} {uri:?}, which is not supported")]
    Unsupported { role: &'static str, uri: String },
    /// The authenticated plaintext is text but not acceptable XML (a DOCTYPE, a limit...);
    /// the position is inside the plaintext.
    #[error("the decrypted assertion is refused: {0}")]
    Plaintext(XmlError),
    /// The authenticated plaintext is XML but not one `saml:Assertion`.
    #[error("the decrypted content is not one saml:Assertion: {0}")]
    NotAnAssertion(String),
}

impl DecryptError {
    /// The rule id this failure is reported under.
    pub fn rule(&self) -> &'static str {
        match self {
            DecryptError::Plaintext(e) => e.kind.rule(),
            _ => "assertion/decryption-failed",
        }
    }

    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            DecryptError::Undecryptable(d) => Some(d),
            _ => None,
        }
    }
}

/// Why an assertion could not be encrypted.
#[derive(Debug, thiserror::Error)]
pub enum EncryptError {
    #[error("the document is not acceptable XML: {0}")]
    Xml(#[from] XmlError),
    #[error("the document holds no saml:Assertion to encrypt")]
    NoAssertion,
    #[error("the assertion's start tag could not be read")]
    BadAssertion,
    #[error("openssl failed: {0}")]
    Crypto(#[from] openssl::error::ErrorStack),
}
