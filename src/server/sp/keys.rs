//! The mock SP's key pair: the private key decrypts EncryptedAssertions (and, given on the
//! command line, signs AuthnRequests), the certificate is published in the SP metadata for
//! IdPs to encrypt for. From PEM files, or made at start (RSA 2048, self-signed) so that an
//! encrypted test login needs no setup.

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage};
use openssl::x509::{X509NameBuilder, X509};

use crate::saml::authn_request::{AuthnRequestError, RequestSigner};
use crate::xml::enc::{DecryptionKey, KeyError};

/// The subject of a certificate made here, so nobody mistakes it for a real one.
const GENERATED_CN: &str = "samlcheck mock SP (generated at start, for tests only)";
/// Long enough that no test login ever meets an expired SP certificate.
const GENERATED_DAYS: u32 = 3650;

/// Where the key pair came from, for the startup banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpKeySource {
    /// `--sp-key` and `--sp-cert`.
    Files { key: String, cert: String },
    /// `--sp-key` alone: the certificate was made for it at start.
    KeyFile { key: String },
    /// Neither: both were made at start and live as long as the server.
    Generated,
}

impl std::fmt::Display for SpKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpKeySource::Files { key, cert } => write!(f, "{key} (certificate {cert})"),
            SpKeySource::KeyFile { key } => {
                write!(f, "{key} (with a self-signed certificate made at start)")
            }
            SpKeySource::Generated => f.write_str(
                "an RSA 2048 key pair made at start (it changes at every start: give the IdP the SP metadata again)",
            ),
        }
    }
}

/// Why the SP key pair cannot be used or made.
#[derive(Debug, thiserror::Error)]
pub enum SpKeyError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot make a key pair: {0}")]
    Generate(#[from] openssl::error::ErrorStack),
}

/// The SP private key with its certificate.
#[derive(Clone)]
pub struct SpKeys {
    decryption: DecryptionKey,
    key_pem: Vec<u8>,
    cert_pem: Vec<u8>,
    cert_der: Vec<u8>,
    pub source: SpKeySource,
}

// Never print key material.
impl std::fmt::Debug for SpKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpKeys")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl SpKeys {
    /// A PEM private key (RSA) and its PEM certificate; without a certificate, a self-signed
    /// one is made for the key.
    pub fn from_pem(
        key_pem: &[u8],
        cert_pem: Option<&[u8]>,
        source: SpKeySource,
    ) -> Result<SpKeys, SpKeyError> {
        let decryption = DecryptionKey::from_pem(key_pem)?;
        let cert_pem = match cert_pem {
            Some(pem) => pem.to_vec(),
            None => {
                let key = PKey::private_key_from_pem(key_pem)
                    .map_err(|e| KeyError::Pem(e.to_string()))?;
                self_signed(&key)?.to_pem()?
            }
        };
        let decryption = decryption.with_certificate_pem(&cert_pem)?;
        let cert_der = decryption
            .certificate()
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        Ok(SpKeys {
            decryption,
            key_pem: key_pem.to_vec(),
            cert_pem,
            cert_der,
            source,
        })
    }

    /// A fresh RSA 2048 key with a self-signed certificate.
    pub fn generate() -> Result<SpKeys, SpKeyError> {
        let key = PKey::from_rsa(Rsa::generate(2048)?)?;
        let cert = self_signed(&key)?;
        SpKeys::from_pem(
            &key.private_key_to_pem_pkcs8()?,
            Some(&cert.to_pem()?),
            SpKeySource::Generated,
        )
    }

    /// The key that decrypts EncryptedAssertions (`VerifyOptions::sp_key`).
    pub fn decryption(&self) -> &DecryptionKey {
        &self.decryption
    }

    /// The certificate (DER) published in the SP metadata.
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// The certificate (PEM), e.g. for `samlcheck idp --encrypt-for`.
    pub fn certificate_pem(&self) -> &[u8] {
        &self.cert_pem
    }

    /// A signer for AuthnRequests with this key, its certificate in the KeyInfo.
    pub fn request_signer(&self) -> Result<RequestSigner, AuthnRequestError> {
        RequestSigner::from_pem(&self.key_pem, Some(&self.cert_pem))
    }
}

fn self_signed(key: &PKey<Private>) -> Result<X509, openssl::error::ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", GENERATED_CN)?;
    let name = name.build();
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    let mut cert = X509::builder()?;
    cert.set_version(2)?;
    let serial = serial.to_asn1_integer()?;
    cert.set_serial_number(&serial)?;
    cert.set_subject_name(&name)?;
    cert.set_issuer_name(&name)?;
    cert.set_pubkey(key)?;
    let (from, until) = (
        Asn1Time::days_from_now(0)?,
        Asn1Time::days_from_now(GENERATED_DAYS)?,
    );
    cert.set_not_before(&from)?;
    cert.set_not_after(&until)?;
    cert.append_extension(BasicConstraints::new().build()?)?;
    cert.append_extension(
        KeyUsage::new()
            .digital_signature()
            .key_encipherment()
            .build()?,
    )?;
    cert.sign(key, MessageDigest::sha256())?;
    Ok(cert.build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::enc::EncryptionCert;

    #[test]
    fn generated_and_file_keys_carry_a_matching_certificate() {
        let made = SpKeys::generate().unwrap();
        assert_eq!(made.source, SpKeySource::Generated);
        assert_eq!(made.decryption().bits(), 2048);
        assert!(made
            .decryption()
            .matches_certificate(made.certificate_der()));
        let cert = EncryptionCert::from_der(made.certificate_der()).unwrap();
        assert!(cert.info().unwrap().subject.contains("samlcheck mock SP"));
        assert!(made.request_signer().is_ok());
        assert!(!format!("{made:?}").contains("PRIVATE"));

        let key = std::fs::read("fixtures/keys/sp-rsa.key").unwrap();
        let crt = std::fs::read("fixtures/keys/sp-rsa.crt").unwrap();
        let files = SpKeySource::Files {
            key: "k".into(),
            cert: "c".into(),
        };
        let given = SpKeys::from_pem(&key, Some(&crt), files.clone()).unwrap();
        assert!(given
            .decryption()
            .matches_certificate(given.certificate_der()));
        let own = SpKeys::from_pem(&key, None, SpKeySource::KeyFile { key: "k".into() }).unwrap();
        assert!(own.decryption().matches_certificate(own.certificate_der()));
        assert_ne!(own.certificate_der(), given.certificate_der());

        let other = std::fs::read("fixtures/keys/idp-rsa.crt").unwrap();
        assert!(matches!(
            SpKeys::from_pem(&key, Some(&other), files),
            Err(SpKeyError::Key(KeyError::CertificateMismatch))
        ));
        let ec = std::fs::read("fixtures/keys/idp-ec.key").unwrap();
        assert!(SpKeys::from_pem(&ec, None, SpKeySource::Generated).is_err());
    }
}
