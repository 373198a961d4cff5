//! The SP's RSA key pair: the private key decrypts, the certificate is what IdPs encrypt for.

use openssl::hash::{hash, MessageDigest};
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::x509::X509;

use super::error::KeyError;
use crate::xml::dsig::keys::{cert_info, CertInfo};

/// The SP private key that decrypts EncryptedAssertions, with its certificate when known.
#[derive(Clone)]
pub struct DecryptionKey {
    key: PKey<Private>,
    cert_der: Option<Vec<u8>>,
    /// Keys the stand-in AES key used when RSA decryption fails (implicit rejection), so the
    /// stand-in is the same on every attempt with one ciphertext and unknown to anyone else.
    rejection_secret: [u8; 32],
}

// Never print key material.
impl std::fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("bits", &self.bits())
            .field("certificate", &self.cert_der.is_some())
            .finish()
    }
}

impl DecryptionKey {
    /// A PEM private key (PKCS#8 or PKCS#1); a CERTIFICATE block in the same PEM, if any, is
    /// kept for diagnosis.
    pub fn from_pem(pem: &[u8]) -> Result<DecryptionKey, KeyError> {
        let key = PKey::private_key_from_pem(pem).map_err(|e| KeyError::Pem(e.to_string()))?;
        let mut key = DecryptionKey::from_pkey(key)?;
        if let Some(at) = find(pem, b"-----BEGIN CERTIFICATE-----") {
            key = key.with_certificate_pem(&pem[at..])?;
        }
        Ok(key)
    }

    pub fn from_pkey(key: PKey<Private>) -> Result<DecryptionKey, KeyError> {
        if key.id() != Id::RSA {
            return Err(KeyError::NotRsa(format!("{:?}", key.id())));
        }
        let der = key
            .private_key_to_der()
            .map_err(|e| KeyError::Pem(e.to_string()))?;
        let mut input = b"samlcheck implicit rejection\0".to_vec();
        input.extend_from_slice(&der);
        let digest =
            hash(MessageDigest::sha256(), &input).map_err(|e| KeyError::Pem(e.to_string()))?;
        let mut rejection_secret = [0u8; 32];
        rejection_secret.copy_from_slice(&digest);
        Ok(DecryptionKey {
            key,
            cert_der: None,
            rejection_secret,
        })
    }

    /// Adds the SP certificate (PEM); it must hold this key's public half.
    pub fn with_certificate_pem(mut self, pem: &[u8]) -> Result<DecryptionKey, KeyError> {
        let cert = X509::from_pem(pem).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let public = cert
            .public_key()
            .map_err(|e| KeyError::Certificate(e.to_string()))?;
        if !self.key.public_eq(&public) {
            return Err(KeyError::CertificateMismatch);
        }
        self.cert_der = Some(
            cert.to_der()
                .map_err(|e| KeyError::Certificate(e.to_string()))?,
        );
        Ok(self)
    }

    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// The certificate's DER, when one was given.
    pub fn certificate(&self) -> Option<&[u8]> {
        self.cert_der.as_deref()
    }

    /// Whether the certificate `der` carries this key's public half.
    pub fn matches_certificate(&self, der: &[u8]) -> bool {
        X509::from_der(der)
            .and_then(|c| c.public_key())
            .is_ok_and(|p| self.key.public_eq(&p))
    }

    /// A one-line description, for notes: "RSA 2048" plus the certificate when known.
    pub fn describe(&self) -> String {
        match self.cert_der.as_deref().map(cert_info) {
            Some(Ok(info)) => format!(
                "RSA {} (certificate {:?}, SHA-256 {})",
                self.bits(),
                info.subject,
                info.sha256
            ),
            _ => format!("RSA {}", self.bits()),
        }
    }

    pub(crate) fn pkey(&self) -> &PKey<Private> {
        &self.key
    }

    pub(crate) fn rejection_secret(&self) -> &[u8; 32] {
        &self.rejection_secret
    }
}

/// The SP certificate an IdP encrypts for.
#[derive(Clone)]
pub struct EncryptionCert {
    key: PKey<Public>,
    der: Vec<u8>,
}

impl std::fmt::Debug for EncryptionCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptionCert")
            .field("bits", &self.key.bits())
            .finish()
    }
}

impl EncryptionCert {
    pub fn from_pem(pem: &[u8]) -> Result<EncryptionCert, KeyError> {
        let cert = X509::from_pem(pem).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let der = cert
            .to_der()
            .map_err(|e| KeyError::Certificate(e.to_string()))?;
        EncryptionCert::from_der(&der)
    }

    pub fn from_der(der: &[u8]) -> Result<EncryptionCert, KeyError> {
        let cert = X509::from_der(der).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let key = cert
            .public_key()
            .map_err(|e| KeyError::Certificate(e.to_string()))?;
        if key.id() != Id::RSA {
            return Err(KeyError::NotRsa(format!("{:?}", key.id())));
        }
        Ok(EncryptionCert {
            key,
            der: der.to_vec(),
        })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn info(&self) -> Option<CertInfo> {
        cert_info(&self.der).ok()
    }

    pub(crate) fn pkey(&self) -> &PKey<Public> {
        &self.key
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
