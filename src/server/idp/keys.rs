//! The mock IdP's signing key and certificate: the bundled test key by default, or a PEM pair
//! given on the command line, checked to belong together so the metadata never lies.

use base64::Engine;
use openssl::pkey::PKey;
use openssl::x509::X509;

use crate::xml::dsig::sign::SignError;
use crate::xml::dsig::SigningKey;

/// The bundled test key pair (published in the repository: it protects nothing).
const TEST_KEY: &str = include_str!("../../../fixtures/keys/idp-rsa.key");
const TEST_CERT: &str = include_str!("../../../fixtures/keys/idp-rsa.crt");
/// A second published pair that no metadata lists, for `--fault signed-by-other-key`.
const OTHER_KEY: &str = include_str!("../../../fixtures/keys/attacker.key");
const OTHER_CERT: &str = include_str!("../../../fixtures/keys/attacker.crt");

/// Where the key came from, for the startup banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `fixtures/keys/idp-rsa.key`, compiled in.
    BundledTestKey,
    /// Files given with `--key` / `--cert`.
    Files { key: String, cert: String },
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::BundledTestKey => f.write_str(
                "the bundled TEST key (fixtures/keys/idp-rsa.key): published on purpose, it protects nothing",
            ),
            KeySource::Files { key, cert } => write!(f, "{key} (certificate {cert})"),
        }
    }
}

/// Why a key pair cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("cannot read the certificate: {0}")]
    Certificate(openssl::error::ErrorStack),
    #[error("cannot read the private key: {0}")]
    Key(openssl::error::ErrorStack),
    #[error("the certificate does not belong to the private key (their public keys differ)")]
    Mismatch,
    #[error("the key is neither RSA nor EC; XML-DSig signing needs one of them")]
    UnsupportedKey,
}

/// A signing key with its certificate (DER, for the metadata).
pub struct IdpKey {
    pub signing: SigningKey,
    pub cert_der: Vec<u8>,
    pub source: KeySource,
}

impl std::fmt::Debug for IdpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdpKey")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl IdpKey {
    /// A PEM private key and its PEM certificate.
    pub fn from_pem(
        key_pem: &[u8],
        cert_pem: &[u8],
        source: KeySource,
    ) -> Result<IdpKey, KeyError> {
        let cert = X509::from_pem(cert_pem).map_err(KeyError::Certificate)?;
        let key = PKey::private_key_from_pem(key_pem).map_err(KeyError::Key)?;
        let public = cert.public_key().map_err(KeyError::Certificate)?;
        if !public.public_eq(&key) {
            return Err(KeyError::Mismatch);
        }
        let signing = SigningKey::from_pem(key_pem, Some(cert_pem))?;
        if signing.key_kind().is_none() {
            return Err(KeyError::UnsupportedKey);
        }
        Ok(IdpKey {
            signing,
            cert_der: cert.to_der().map_err(KeyError::Certificate)?,
            source,
        })
    }

    /// The bundled test key.
    pub fn bundled_test_key() -> Result<IdpKey, KeyError> {
        IdpKey::from_pem(
            TEST_KEY.as_bytes(),
            TEST_CERT.as_bytes(),
            KeySource::BundledTestKey,
        )
    }

    /// The certificate as one base64 line, as metadata carries it.
    pub fn cert_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.cert_der)
    }
}

/// The key of `--fault signed-by-other-key`: a valid signer that no IdP metadata trusts.
pub fn other_key() -> Result<SigningKey, SignError> {
    SigningKey::from_pem(OTHER_KEY.as_bytes(), Some(OTHER_CERT.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_pairs_load_and_mismatches_are_refused() {
        let key = IdpKey::bundled_test_key().unwrap();
        assert_eq!(key.source, KeySource::BundledTestKey);
        assert!(key.source.to_string().contains("TEST key"));
        assert!(other_key().is_ok());
        let err = IdpKey::from_pem(
            TEST_KEY.as_bytes(),
            OTHER_CERT.as_bytes(),
            KeySource::BundledTestKey,
        )
        .unwrap_err();
        assert!(matches!(err, KeyError::Mismatch), "{err}");
        assert!(
            IdpKey::from_pem(b"nope", TEST_CERT.as_bytes(), KeySource::BundledTestKey).is_err()
        );
    }
}
